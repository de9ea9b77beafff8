// A bounded prefetch window: the pages around the current view are fetched and decoded ahead of time
// (AHEAD views forward, BEHIND views back), at most one window's worth at once. Pages that leave the
// window (the user jumped) are cancelled, so a jump to page 80 never waits behind pages 2–4.
import type { View } from './layout.js';

export const PREFETCH_AHEAD = 3;
export const PREFETCH_BEHIND = 1;

/** Page indices to prefetch around view `current`, nearest first (the next view's pages lead). */
export function prefetchPages(views: readonly View[], current: number, ahead = PREFETCH_AHEAD, behind = PREFETCH_BEHIND): number[] {
  const order: number[] = [];
  for (let d = 1; d <= ahead; d++) {
    const view = views[current + d];
    if (view) order.push(...view);
  }
  for (let d = 1; d <= behind; d++) {
    const view = views[current - d];
    if (view) order.push(...view);
  }
  return order;
}

/** What the prefetcher needs from an image loader (the DOM's HTMLImageElement in the app, a fake in tests). */
export interface PrefetchHandle {
  /** Stops the download (and the decode) if it is still running. */
  cancel(): void;
}
/** Starts loading `url`; calls `onSize` with the image's pixel size once it is decoded. */
export type PrefetchLoader = (url: string, onSize: (width: number, height: number) => void) => PrefetchHandle;

export class Prefetcher {
  readonly #load: PrefetchLoader;
  readonly #onSize: (url: string, width: number, height: number) => void;
  readonly #active = new Map<string, PrefetchHandle>();

  constructor(load: PrefetchLoader = loadImage, onSize: (url: string, width: number, height: number) => void = () => undefined) {
    this.#load = load;
    this.#onSize = onSize;
  }

  /** Makes the set of prefetched URLs exactly `urls`: starts the new ones, cancels the rest. */
  setWindow(urls: readonly string[]): void {
    const wanted = new Set(urls);
    for (const [url, handle] of this.#active) {
      if (!wanted.has(url)) {
        handle.cancel();
        this.#active.delete(url);
      }
    }
    for (const url of urls) {
      if (!this.#active.has(url)) this.#active.set(url, this.#load(url, (width, height) => this.#onSize(url, width, height)));
    }
  }

  get urls(): string[] {
    return [...this.#active.keys()];
  }

  clear(): void {
    this.setWindow([]);
  }
}

/**
 * Downloads and decodes an image off screen. Once decoded, the browser paints an <img> with the same
 * URL from its memory cache without waiting. Cancelling drops the src, which aborts a running download.
 */
export function loadImage(url: string, onSize: (width: number, height: number) => void): PrefetchHandle {
  const img = new Image();
  img.decoding = 'async';
  img.src = url;
  // A failed prefetch is not an error: the page shows its own message when it is really displayed.
  if (typeof img.decode === 'function') {
    img.decode().then(
      () => onSize(img.naturalWidth, img.naturalHeight),
      () => undefined,
    );
  }
  return {
    cancel() {
      if (!img.complete) img.src = '';
    },
  };
}
