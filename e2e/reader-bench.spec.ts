// Reader figures in Chromium against `longbox serve`, on scan-sized pages (1600×2400 JPEGs of about
// 1.9 MB; a 200-page webtoon of 800×1600 strips). Prints the figures; asserts nothing about time.
// Runs only with LONGBOX_READER_BENCH=1 (it takes a minute): see bench/README.md, "Reader".
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { expect, openAllComics, test, type Host } from './testing/host-fixture.js';
import { numberedPages, renderPage, writeComic } from './testing/reader-fixtures.js';
import { installProbe, keyToPaint, resetProbe, summary } from './testing/reader-probe.js';
import { removeDir, tempDir } from './testing/serve.js';
import { cellByTitle } from './testing/ui.js';

test.skip(process.env.LONGBOX_READER_BENCH !== '1', 'reader figures run with LONGBOX_READER_BENCH=1 (npx playwright test e2e/reader-bench.spec.ts)');
test.setTimeout(600_000);

const SCANS = 6;
const SCAN_PAGES = 24;
const STRIP_PAGES = 200;

async function setUp(page: Page, host: Host): Promise<void> {
  const root = path.join(await tempDir('reader-bench'), 'Comics');
  host.onCleanup(() => removeDir(path.dirname(root)));
  const scans = await Promise.all(Array.from({ length: 6 }, (_, i) => renderPage({ width: 1600, height: 2400, label: `SCAN ${i + 1}`, hue: i * 50, noise: true })));
  const strips = await Promise.all(Array.from({ length: 8 }, (_, i) => renderPage({ width: 800, height: 1600, label: `STRIP ${i + 1}`, hue: 90 + i * 20, noise: true })));
  for (let n = 1; n <= SCANS; n++) {
    await writeComic(root, { file: `Scans/Scan Test ${n}.cbz`, series: 'Scan Test', number: n, pages: numberedPages(SCAN_PAGES) }, scans);
  }
  await writeComic(root, { file: 'Strips/Long Webtoon 1.cbz', series: 'Long Webtoon', number: 1, pages: numberedPages(STRIP_PAGES, { width: 800, height: 1600 }) }, strips);
  console.log(`bench pages: scan ${(scans[0]!.length / 1e6).toFixed(2)} MB (1600×2400), strip ${(strips[0]!.length / 1e6).toFixed(2)} MB (800×1600)`);
  await openAllComics(page, await host.serve(root, { watch: false }), SCANS + 1);
}

/** Renderer process memory: resident set of the page's renderer (largest renderer of this browser), MB. */
async function rendererRssMb(browser: Browser): Promise<number | null> {
  try {
    const session = await browser.newBrowserCDPSession();
    const info = (await session.send('SystemInfo.getProcessInfo')) as { processInfo: Array<{ type: string; id: number }> };
    await session.detach();
    let max = 0;
    for (const p of info.processInfo.filter((x) => x.type === 'renderer')) {
      const status = await readFile(`/proc/${p.id}/status`, 'utf8').catch(() => '');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      max = Math.max(max, kb / 1024);
    }
    return max || null;
  } catch {
    return null;
  }
}

async function jsHeapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  await cdp.detach();
  return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1e6;
}

test('reader figures on scan-sized pages', async ({ page, browser, host }) => {
  await setUp(page, host);
  await installProbe(page);
  const reader = page.getByRole('dialog', { name: /^Reader/ });
  const opens: number[] = [];
  const turns: number[] = [];
  const firstTurns: number[] = [];
  for (let n = 1; n <= SCANS; n++) {
    const cell = cellByTitle(page, `Scan Test #${n}`);
    await cell.click();
    await resetProbe(page);
    await page.keyboard.press('Enter');
    opens.push(await keyToPaint(page, 0, 30_000));
    // Page turns with the prefetch given time to land (a reader's pace, not a flip-through).
    for (let i = 1; i < 12; i++) {
      await page.waitForTimeout(400);
      await page.keyboard.press('ArrowRight');
      const ms = await keyToPaint(page, i, 30_000);
      (i === 1 ? firstTurns : turns).push(ms);
    }
    await page.keyboard.press('Escape');
    await expect(reader).toBeHidden();
  }
  // Flipping as fast as the keys go: only 3 pages ahead are prefetched, so later presses wait for the host.
  await cellByTitle(page, 'Scan Test #2').click();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/read\/\d+\/\d+$/);
  const resumed = Number(/#\/read\/\d+\/(\d+)$/.exec(page.url())![1]) - 1; // reopened: at its saved page
  await keyToPaint(page, resumed, 30_000);
  await page.waitForTimeout(1000);
  const flips: number[] = [];
  for (let i = resumed + 1; i < SCAN_PAGES; i++) {
    await page.keyboard.press('ArrowRight');
    flips.push(await keyToPaint(page, i, 30_000));
  }
  await page.keyboard.press('Escape');
  console.log(`reader: open → first page painted ${summary(opens)}`);
  console.log(`reader: key → next page painted, first turn 400 ms after the open (prefetch still running) ${summary(firstTurns)}`);
  console.log(`reader: key → next page painted (prefetched, 400 ms apart) ${summary(turns)}`);
  console.log(`reader: key → next page painted (no pause between presses) ${summary(flips)}`);

  // Memory while reading a 200-page webtoon to the end.
  await cellByTitle(page, 'Long Webtoon #1').click();
  await page.keyboard.press('Enter');
  await keyToPaint(page, 0, 30_000);
  await page.keyboard.press('w');
  const stage = page.getByTestId('reader-stage');
  await expect(stage).toHaveClass(/is-webtoon/);
  const before = { rss: await rendererRssMb(browser), heap: await jsHeapMb(page) };
  const samples: string[] = [];
  let maxImages = 0;
  for (const mark of [50, 100, 150, 200]) {
    const reached = await stage.evaluate(async (el, target) => {
      const s = el as unknown as { scrollTop: number; scrollHeight: number; clientHeight: number; querySelectorAll(q: string): { length: number } };
      const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      let max = 0;
      const end = (s.scrollHeight * target) / 200;
      while (s.scrollTop + s.clientHeight < Math.min(end, s.scrollHeight) - 1) {
        s.scrollTop += 400;
        await wait(40);
        max = Math.max(max, s.querySelectorAll('img').length);
      }
      return max;
    }, mark);
    maxImages = Math.max(maxImages, reached);
    await page.waitForTimeout(500);
    samples.push(`page ${mark}: renderer RSS ${(await rendererRssMb(browser))?.toFixed(0) ?? '?'} MB, JS heap ${(await jsHeapMb(page)).toFixed(1)} MB`);
  }
  await expect(page.getByTestId('reader-position')).toHaveText(`Page ${STRIP_PAGES} of ${STRIP_PAGES}`);
  console.log(
    `reader: 200-page webtoon: before reading renderer RSS ${before.rss?.toFixed(0) ?? '?'} MB, JS heap ${before.heap.toFixed(1)} MB; ${samples.join('; ')}; at most ${maxImages} page images in the DOM`,
  );
});
