// The reader in Chromium against `longbox serve`: opening from the grid, page turns, resume after a
// reload, right to left, double page, webtoon's bound of images, next issue, and the way back.
// Prints the reader's timing figures (no assertions on them: they belong in bench/README.md).
import { rename } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { WEBTOON_MAX_IMAGES } from '../renderer/reader/webtoon-model.js';
import { numberedPages, writeComic } from './testing/reader-fixtures.js';
import { installProbe, keyToPaint, summary } from './testing/reader-probe.js';
import { expect, openAllComics, test, type Host } from './testing/host-fixture.js';
import { addComics, removeDir, tempDir, type ServedLibrary } from './testing/serve.js';
import { cellByTitle, rows, screenshot, screenshotLightAndDark } from './testing/ui.js';

const FILLERS = 40;
const OWN = 4;

/** The reader's comics plus generated fillers (so the grid scrolls), built once per worker. */
async function buildLibrary(): Promise<string> {
  const root = path.join(await tempDir('reader-lib'), 'Comics');
  await writeComic(root, { file: 'Reader Test/Reader Test 001.cbz', series: 'Reader Test', number: 1, pages: numberedPages(10, { hue: 200, wide: [4] }) });
  await writeComic(root, { file: 'Reader Test/Reader Test 002.cbz', series: 'Reader Test', number: 2, pages: numberedPages(6, { hue: 20 }) });
  await writeComic(root, { file: 'Manga/Manga Test 001.cbz', series: 'Manga Test', number: 1, pages: numberedPages(6, { hue: 320 }), manga: true });
  await writeComic(root, { file: 'Webtoon/Long Strip 001.cbz', series: 'Long Strip', number: 1, pages: numberedPages(60, { hue: 120, width: 400, height: 1200 }) });
  await addComics(root, 'Fillers', FILLERS, 5);
  return root;
}
let libraryRoot: Promise<string> | null = null;
test.afterAll(async () => {
  if (libraryRoot) await removeDir(path.dirname(await libraryRoot));
});

async function openLibrary(page: Page, host: Host): Promise<ServedLibrary> {
  libraryRoot ??= buildLibrary();
  const server = await host.serve(await libraryRoot, { watch: false });
  await openAllComics(page, server, FILLERS + OWN); // the app starts on Home; this spec is about All comics
  return server;
}

const reader = (page: Page): Locator => page.getByRole('dialog', { name: /^Reader/ });
const pageImage = (page: Page, n: number, of: number): Locator => reader(page).getByRole('img', { name: `Page ${n} of ${of}`, exact: true });

/** The image is on screen and decoded (not just in the DOM). */
async function expectShown(image: Locator): Promise<void> {
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth > 0)).toBe(true);
}

/** Selects a comic in the grid with a click (details open), then reads it with Enter. */
async function openWithEnter(page: Page, title: string): Promise<void> {
  await cellByTitle(page, title).scrollIntoViewIfNeeded();
  await cellByTitle(page, title).click();
  await page.keyboard.press('Enter');
  await expect(reader(page)).toBeVisible();
}

/** Serves the library, opens `title` from the grid with Enter and waits for its page 1 of `pages`. */
async function readFromGrid(page: Page, host: Host, title: string, pages: number): Promise<ServedLibrary> {
  const served = await openLibrary(page, host);
  await openWithEnter(page, title);
  await expectShown(pageImage(page, 1, pages));
  return served;
}

async function imagesOnScreen(page: Page): Promise<string[]> {
  return reader(page).getByRole('img').evaluateAll((els) => els.map((el) => el.getAttribute('alt') ?? ''));
}

test('Enter opens page 1; → → shows page 3; a reload resumes at page 3; Esc shows the progress in the grid', async ({ page, host }) => {
  await readFromGrid(page, host, 'Reader Test #1', 10);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expectShown(pageImage(page, 3, 10));
  await expect(page).toHaveURL(/#\/read\/\d+\/3$/);
  await screenshotLightAndDark(page, 'reader-single');
  await page.emulateMedia({ colorScheme: 'light' });

  await page.reload();
  await expectShown(pageImage(page, 3, 10));
  await page.keyboard.press('Escape');
  await expect(reader(page)).toBeHidden();
  // The saved page shows as a progress bar on the cover (page 3 of 10).
  const progress = cellByTitle(page, 'Reader Test #1').getByRole('progressbar', { name: 'Reading progress' });
  await expect(progress).toHaveAttribute('aria-valuenow', '3');
  // The details panel offers to continue.
  await cellByTitle(page, 'Reader Test #1').click();
  await expect(page.getByRole('button', { name: 'Continue from page 3' })).toBeVisible();
  await screenshot(page, 'reader-progress-grid');
});

test('a right-to-left comic turns the other way', async ({ page, host }) => {
  await readFromGrid(page, host, 'Manga Test #1', 6);
  await expect(reader(page)).toHaveAttribute('data-direction', 'rtl');
  await page.keyboard.press('ArrowRight');
  // → is "back" in a right-to-left book: still page 1.
  await expectShown(pageImage(page, 1, 6));
  await page.keyboard.press('ArrowLeft');
  await expectShown(pageImage(page, 2, 6));
  await page.keyboard.press('ArrowLeft');
  await expectShown(pageImage(page, 3, 6));
  await page.keyboard.press('ArrowRight');
  await expectShown(pageImage(page, 2, 6));
  // Double page, mirrored: the later page on the left.
  await page.keyboard.press('d');
  await expect.poll(() => imagesOnScreen(page)).toEqual(['Page 3 of 6', 'Page 2 of 6']);
  const [left, right] = await Promise.all([pageImage(page, 3, 6).boundingBox(), pageImage(page, 2, 6).boundingBox()]);
  expect(left!.x).toBeLessThan(right!.x);
  await screenshotLightAndDark(page, 'reader-rtl-double');
});

test('double page keeps the cover alone and a spread alone', async ({ page, host }) => {
  await readFromGrid(page, host, 'Reader Test #1', 10);
  await page.keyboard.press('d');
  await expect.poll(() => imagesOnScreen(page)).toEqual(['Page 1 of 10']);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => imagesOnScreen(page)).toEqual(['Page 2 of 10', 'Page 3 of 10']);
  await expectShown(pageImage(page, 3, 10));
  await screenshot(page, 'reader-double-light');
  await page.keyboard.press('ArrowRight');
  // Page 4 has no partner before the spread: alone. Then the spread (page 5), alone.
  await expect.poll(() => imagesOnScreen(page)).toEqual(['Page 4 of 10']);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => imagesOnScreen(page)).toEqual(['Page 5 of 10']);
  await expectShown(pageImage(page, 5, 10));
  const spread = await pageImage(page, 5, 10).boundingBox();
  expect(spread!.width).toBeGreaterThan(spread!.height);
  await screenshotLightAndDark(page, 'reader-double-spread');
  // The mode is remembered for the series: issue 2 opens in double page too.
  await page.keyboard.press('End');
  await page.keyboard.press('n');
  await expect(page).toHaveURL(/#\/read\/\d+\/1$/);
  await expect(reader(page)).toHaveAttribute('data-mode', 'double');
});

test(`webtoon: scrolling through 60 pages never holds more than ${WEBTOON_MAX_IMAGES} page images`, async ({ page, host }) => {
  await readFromGrid(page, host, 'Long Strip #1', 60);
  await page.keyboard.press('w');
  const stage = page.getByTestId('reader-stage');
  await expect(stage).toHaveClass(/is-webtoon/);
  // Count page images on every frame while scrolling to the end.
  const maxImages = await stage.evaluate(async (el) => {
    const scroller = el as unknown as { scrollTop: number; scrollHeight: number; clientHeight: number; querySelectorAll(s: string): { length: number } };
    const raf = () => new Promise((resolve) => (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame(() => resolve(null)));
    let max = 0;
    while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1) {
      scroller.scrollTop += 250;
      await raf();
      await raf();
      max = Math.max(max, scroller.querySelectorAll('img').length);
    }
    return max;
  });
  console.log(`webtoon: at most ${maxImages} page images in the DOM while scrolling 60 pages (bound ${WEBTOON_MAX_IMAGES})`);
  expect(maxImages).toBeGreaterThan(1);
  expect(maxImages).toBeLessThanOrEqual(WEBTOON_MAX_IMAGES);
  await expect(page.getByTestId('reader-position')).toHaveText('Page 60 of 60');
  await stage.evaluate((el) => ((el as unknown as { scrollTop: number }).scrollTop = 9000));
  await expectShown(reader(page).getByRole('img').first());
  await screenshotLightAndDark(page, 'reader-webtoon');
});

test('at the last page the next issue is offered and opens with one key', async ({ page, host }) => {
  await readFromGrid(page, host, 'Reader Test #1', 10);
  await page.keyboard.press('End');
  await expectShown(pageImage(page, 10, 10));
  const offer = reader(page).getByRole('region', { name: 'End of this comic' });
  await expect(offer).toContainText('Reader Test #2');
  await screenshot(page, 'reader-next-issue-light');
  await page.keyboard.press('n');
  await expect(reader(page)).toHaveAttribute('aria-label', 'Reader: Reader Test #2');
  await expectShown(pageImage(page, 1, 6));
  // Issue 1 was marked read by reaching its last page.
  await page.keyboard.press('Escape');
  await expect(reader(page)).toBeHidden();
  await cellByTitle(page, 'Reader Test #1').click();
  await expect(page.getByRole('switch', { name: 'Read' })).toBeChecked();
});

test('Esc returns to the same scroll position and selection', async ({ page, host }) => {
  await openLibrary(page, host);
  const grid = page.getByTestId('results');
  await grid.evaluate((el) => ((el as unknown as { scrollTop: number }).scrollTop = 700));
  await page.waitForTimeout(200);
  const target = rows(page).filter({ hasNot: page.locator('.cover-flag.is-error') }).nth(12);
  await target.scrollIntoViewIfNeeded();
  const title = ((await target.getAttribute('aria-label')) ?? '').split(/,| · /)[0]!;
  await target.click();
  const before = await grid.evaluate((el) => (el as unknown as { scrollTop: number }).scrollTop);
  expect(before).toBeGreaterThan(0);
  await page.keyboard.press('Enter');
  await expect(reader(page)).toBeVisible();
  await expect(reader(page).getByRole('img').first()).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Escape');
  await expect(reader(page)).toBeHidden();
  expect(await grid.evaluate((el) => (el as unknown as { scrollTop: number }).scrollTop)).toBe(before);
  await expect(cellByTitle(page, title)).toHaveAttribute('aria-selected', 'true');
  await expect(grid).toBeFocused();
  // The keyboard goes on from there: Enter reads the same comic again.
  await page.keyboard.press('Enter');
  await expect(reader(page)).toHaveAttribute('aria-label', `Reader: ${title}`);
});

test('pages that cannot be read say so while the library stays browsable (folder offline)', async ({ page, host }) => {
  const served = await readFromGrid(page, host, 'Long Strip #1', 60);
  const away = `${served.root}-away`;
  await rename(served.root, away);
  host.onCleanup(() => rename(away, served.root).catch(() => undefined));
  await page.keyboard.press('End');
  const failed = reader(page).getByRole('img', { name: 'Page 60 of 60: cannot be read' });
  await expect(failed).toBeVisible();
  await expect(failed).toContainText('Page 60 cannot be read');
  await screenshot(page, 'reader-page-offline-light');
  await page.keyboard.press('Escape');
  await expect(reader(page)).toBeHidden();
  await expect(rows(page).first()).toBeVisible();
});

test('figures: open → first page painted, key → next (prefetched) page painted', async ({ page, host }) => {
  await openLibrary(page, host);
  await installProbe(page);
  const opens: number[] = [];
  for (const title of ['Reader Test #1', 'Reader Test #2', 'Manga Test #1', 'Reader Test #1', 'Reader Test #2']) {
    await cellByTitle(page, title).click();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/#\/read\/\d+\/\d+$/);
    const start = Number(/#\/read\/\d+\/(\d+)$/.exec(page.url())![1]) - 1;
    opens.push(await keyToPaint(page, start));
    await page.keyboard.press('Escape');
    await expect(reader(page)).toBeHidden();
  }
  await cellByTitle(page, 'Long Strip #1').click();
  await page.keyboard.press('Enter');
  await keyToPaint(page, 0);
  const turns: number[] = [];
  for (let i = 1; i < 30; i++) {
    await page.waitForTimeout(150); // the prefetch of the next pages has time to land
    await page.keyboard.press('ArrowRight');
    turns.push(await keyToPaint(page, i));
  }
  console.log(`reader figures (small pages, ${process.env.CI ? 'CI' : 'local'}): open → first page painted ${summary(opens)}; key → next page painted ${summary(turns)}`);
});
