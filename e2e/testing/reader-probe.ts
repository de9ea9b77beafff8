// In-page probes for the reader figures: when each page image was painted (Element Timing, the
// `elementtiming="page-N"` attribute the reader puts on its images) against when a key went down.
import type { Page } from '@playwright/test';

interface ProbeGlobals {
  __paints: Array<{ id: string; renderTime: number }>;
  __keys: Array<{ key: string; t: number }>;
  PerformanceObserver: new (cb: (list: { getEntries(): Array<{ identifier: string; renderTime: number; loadTime: number }> }) => void) => {
    observe(options: object): void;
  };
  addEventListener(type: string, listener: (e: { key: string; timeStamp: number }) => void, capture: boolean): void;
}

/** Starts recording paints and key presses (call once per page load). */
export async function installProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = globalThis as unknown as ProbeGlobals;
    w.__paints = [];
    w.__keys = [];
    new w.PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__paints.push({ id: e.identifier, renderTime: e.renderTime || e.loadTime });
    }).observe({ type: 'element', buffered: false });
    w.addEventListener('keydown', (e) => w.__keys.push({ key: e.key, t: e.timeStamp }), true);
  });
}

/** Milliseconds from the last key press to the paint of page `index` (waits for the paint). */
export async function keyToPaint(page: Page, index: number, timeoutMs = 10_000): Promise<number> {
  const handle = await page.waitForFunction(
    (id) => {
      const w = globalThis as unknown as ProbeGlobals;
      const key = w.__keys.at(-1);
      const paint = w.__paints.find((p) => p.id === id && key !== undefined && p.renderTime >= key.t);
      return paint && key ? paint.renderTime - key.t : null;
    },
    `page-${index}`,
    { timeout: timeoutMs },
  );
  return (await handle.jsonValue()) as number;
}

export async function resetProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = globalThis as unknown as ProbeGlobals;
    w.__paints = [];
    w.__keys = [];
  });
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function summary(values: readonly number[]): string {
  return `p50 ${percentile(values, 50).toFixed(1)} ms, p95 ${percentile(values, 95).toFixed(1)} ms (n=${values.length})`;
}
