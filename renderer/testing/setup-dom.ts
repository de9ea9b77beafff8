// jsdom has no layout: give the scroll containers a size so the virtualizer renders rows.
import type { StateStorage } from 'zustand/middleware';

export const VIEWPORT = { width: 1000, height: 600 };

export function mockLayout(size = VIEWPORT): () => void {
  const proto = HTMLElement.prototype;
  const saved = {
    clientWidth: Object.getOwnPropertyDescriptor(proto, 'clientWidth'),
    clientHeight: Object.getOwnPropertyDescriptor(proto, 'clientHeight'),
    scrollTo: Object.getOwnPropertyDescriptor(proto, 'scrollTo'),
    scrollTop: Object.getOwnPropertyDescriptor(proto, 'scrollTop'),
    scrollHeight: Object.getOwnPropertyDescriptor(proto, 'scrollHeight'),
  };
  // jsdom keeps scrollTop at 0; remember what was set so the virtualizer can scroll.
  const offsets = new WeakMap<Element, number>();
  Object.defineProperty(proto, 'scrollTop', {
    configurable: true,
    get(this: HTMLElement) {
      return offsets.get(this) ?? 0;
    },
    set(this: HTMLElement, value: number) {
      offsets.set(this, value);
    },
  });
  const isScroller = (el: HTMLElement) => el.classList.contains('results-scroll');
  Object.defineProperty(proto, 'clientWidth', { configurable: true, get(this: HTMLElement) { return isScroller(this) ? size.width : 0; } });
  Object.defineProperty(proto, 'clientHeight', { configurable: true, get(this: HTMLElement) { return isScroller(this) ? size.height : 0; } });
  // The scrollable height is the virtual space's inline height.
  Object.defineProperty(proto, 'scrollHeight', {
    configurable: true,
    get(this: HTMLElement) {
      const inner = this.firstElementChild as HTMLElement | null;
      return inner ? parseFloat(inner.style.height) || 0 : 0;
    },
  });
  Object.defineProperty(proto, 'scrollTo', {
    configurable: true,
    value(this: HTMLElement, options?: ScrollToOptions) {
      if (options && typeof options.top === 'number') {
        // Like a browser: no scroll event when the position does not change, and the event comes
        // later, never from inside the call (a synchronous one re-entered React from its own layout
        // effects: "flushSync was called from inside a lifecycle method").
        if (this.scrollTop === options.top) return;
        this.scrollTop = options.top;
        queueMicrotask(() => this.dispatchEvent(new Event('scroll')));
      }
    },
  });
  return () => {
    for (const [key, descriptor] of Object.entries(saved)) {
      if (descriptor) Object.defineProperty(proto, key, descriptor);
      else delete (proto as unknown as Record<string, unknown>)[key];
    }
  };
}

export function memoryStorage(): StateStorage {
  const map = new Map<string, string>();
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

/** Lets pending promise callbacks run. */
export async function flush(times = 3): Promise<void> {
  for (let i = 0; i < times; i++) await new Promise<void>((resolve) => setTimeout(resolve, 0));
}
