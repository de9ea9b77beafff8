// The 20,000-file library (generated once per run by global-setup.ts): cold start progress, time to
// first rows with a warm cache, scrolling to the very end.
import { expect, test } from './testing/host-fixture.js';
import { removeDir, scanLibrary, sharedLargeLibrary, tempDir } from './testing/serve.js';
import { resultCount, rows, screenshot, type PageElement, type PageGlobals } from './testing/ui.js';

test.describe.configure({ mode: 'serial' });

// Shared by the two tests (the second reuses the first's cache), removed after both.
let dataDir: string | null = null;

test.afterAll(async () => {
  if (dataDir) await removeDir(dataDir);
});

test('cold start shows real progress, then the rows', async ({ page, host }) => {
  test.setTimeout(180_000);
  const { root, files } = sharedLargeLibrary();
  dataDir = await tempDir('large-data');
  const server = await host.serve(root, { dataDir });
  await page.goto(`${server.url}#/all`); // the app starts on Home; this spec is about All comics
  const cold = page.getByTestId('cold-start');
  await expect(cold).toBeVisible({ timeout: 10_000 });
  await expect(page.getByRole('progressbar')).toBeVisible();
  // Wait until it counts files, so the picture shows numbers.
  await expect(page.getByTestId('cold-start-files')).toHaveText(/\d.* \/ [\d,]+/, { timeout: 30_000 }).catch(() => undefined);
  if (await cold.isVisible()) await page.screenshot({ path: 'test-results/screenshots/cold-start.png' });
  await expect(resultCount(page)).toHaveText(`${files.toLocaleString('en-US')} comics`, { timeout: 150_000 });
  await expect(rows(page).first()).toBeVisible();
});

test('first rows with a warm 20,000-file cache, and scrolling to the end', async ({ page, host }) => {
  const { root, files } = sharedLargeLibrary();
  test.setTimeout(180_000);
  if (dataDir === null) {
    // Run on its own: build the cache first.
    dataDir = await tempDir('large-data');
    await scanLibrary(root, dataDir);
  }
  const hostStart = Date.now();
  const server = await host.serve(root, { dataDir: dataDir!, watch: false });
  const hostUp = Date.now() - hostStart;
  // Timestamps taken inside the page (navigation start = 0), so Playwright's polling adds nothing.
  await page.addInitScript(() => {
    const g = globalThis as unknown as PageGlobals & { __firstRowsAt?: number };
    const check = () => {
      if (g.__firstRowsAt === undefined && g.document.querySelector('[data-testid="results"] [role="option"]')) g.__firstRowsAt = g.performance.now();
    };
    new g.MutationObserver(check).observe(g.document as unknown as PageElement, { childList: true, subtree: true });
  });
  await page.goto(`${server.url}#/all`); // the app starts on Home; this spec is about All comics
  await rows(page).first().waitFor();
  const firstRows = Math.round(await page.evaluate(() => (globalThis as unknown as { __firstRowsAt: number }).__firstRowsAt));
  const timings = await page.evaluate(() =>
    (globalThis as unknown as { performance: { getEntriesByType(t: string): Array<{ name: string; startTime: number; responseEnd: number }> } }).performance
      .getEntriesByType('resource')
      .filter((e) => e.name.includes('/api/') || e.name.includes('/assets/'))
      .map((e) => `${new URL(e.name).pathname} ${Math.round(e.startTime)}→${Math.round(e.responseEnd)} ms`),
  );
  console.log(`first rows after ${firstRows} ms (page navigation start → first row in the DOM; host process up in ${hostUp} ms)`);
  console.log(`  requests: ${timings.slice(0, 6).join('; ')}`);
  await expect(resultCount(page)).toHaveText(`${files.toLocaleString('en-US')} comics`);
  // Again once the host's start-up rescan is over: the page load alone.
  await expect(page.getByTestId('rebuild-badge').getByText('Rebuilding…')).toBeHidden({ timeout: 60_000 });
  await page.waitForTimeout(500);
  await page.reload();
  await rows(page).first().waitFor();
  const again = Math.round(await page.evaluate(() => (globalThis as unknown as { __firstRowsAt: number }).__firstRowsAt));
  console.log(`first rows after ${again} ms (reload with the host idle)`);
  await screenshot(page, 'large-grid');

  // Scroll the grid to the bottom: the last item is rendered (fetched by range, not the whole library).
  const requests: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/comics?')) requests.push(r.url());
  });
  const grid = page.getByTestId('results');
  await grid.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(grid.locator(`[role="option"][aria-posinset="${files}"]`)).toBeVisible();
  expect(requests.length).toBeLessThan(10);
  for (const url of requests) expect(new URL(url).searchParams.get('limit')).toBe('100');

  // Keyboard: Home and End over the whole list.
  await grid.focus();
  await page.keyboard.press('Home');
  await expect(grid.locator('[role="option"][aria-posinset="1"]')).toBeVisible();
  await page.keyboard.press('End');
  await expect(grid.locator(`[role="option"][aria-posinset="${files}"][aria-selected="true"]`)).toBeVisible();
  // Space shows the details (Enter reads the comic).
  await page.keyboard.press('Space');
  await expect(page.getByRole('complementary', { name: 'Comic details' })).toBeVisible();
  // The panel narrows the grid (fewer columns): the selected comic stays in view.
  await expect(grid.locator(`[role="option"][aria-posinset="${files}"]`)).toBeInViewport();
  const selectedTitle = await grid.locator('[role="option"][aria-selected="true"]').getAttribute('aria-label');
  // The cell's name starts with its caption (then its marks: year, unread…); the panel shows that comic.
  const heading = page.getByRole('complementary', { name: 'Comic details' }).getByRole('heading', { level: 2 });
  await expect
    .poll(async () => {
      const shown = (await heading.textContent())?.trim() ?? '';
      return shown.length > 0 && (selectedTitle ?? '').startsWith(shown);
    })
    .toBe(true);
  await screenshot(page, 'large-end-details');

  // The list view scrolls to the end too.
  await page.getByRole('button', { name: 'List view' }).click();
  const list = page.getByTestId('results');
  await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(list.locator(`[role="option"][aria-posinset="${files}"]`)).toBeVisible();
});
