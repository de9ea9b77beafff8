// Multi-select, the selection's context menu, favourites and the start view, in Chromium against
// `longbox serve`: the app starts on Home; a Shift-click range marked read from the context menu
// updates the marks and the unread counts; the favourite star; a selection kept through a rebuild.
import type { Page } from '@playwright/test';
import type { ComicPage, SeriesPage } from '../shared/types.js';
import { expect, test, type Host } from './testing/host-fixture.js';
import { addComics, apiUrl, type ServedLibrary } from './testing/serve.js';
import { badge, expectNoSeriousViolations, resultCount, screenshot } from './testing/ui.js';

const FILES = 240;

const serve = (host: Host, files = FILES) => host.serveNew({ files, broken: 2, watch: false });

async function unreadTotal(page: Page, served: ServedLibrary): Promise<number> {
  return ((await (await page.request.get(apiUrl(served, '/api/comics?limit=1&filter=unread'))).json()) as ComicPage).total;
}

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Library sections' });
const grid = (page: Page) => page.getByRole('listbox', { name: 'Comics' });
const cell = (page: Page, index: number) => page.locator(`#comic-option-${index}`);
const selected = (page: Page) => grid(page).locator('[role="option"][aria-selected="true"]');

test('starts on Home; a Shift-click range marked read from the context menu updates marks and counts', async ({ page, host }) => {
  const { server: served } = await serve(host);
  await page.goto(served.url);
  // No hash: Home, with its shelves.
  await expect(page.getByTestId('home')).toBeVisible({ timeout: 60_000 });
  await expect(sidebar(page).getByRole('button', { name: 'Home' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('shelf-recent').getByTestId('shelf-card').first()).toBeVisible();
  await screenshot(page, 'selection-start-home');

  await sidebar(page).getByRole('button', { name: 'All comics' }).click();
  await expect(resultCount(page)).toHaveText(`${FILES + 2} comics`);
  const before = await unreadTotal(page, served);
  // Click the first cover, Shift-click the 8th: across a row break, in the view's order.
  await cell(page, 0).click();
  await cell(page, 7).click({ modifiers: ['Shift'] });
  await expect(selected(page)).toHaveCount(8);
  await expect(page.getByTestId('selection-count')).toHaveText(/^8 selected/);
  // Ctrl-click takes one out again.
  await cell(page, 3).click({ modifiers: ['Control'] });
  await expect(selected(page)).toHaveCount(7);
  await expect(cell(page, 3)).toHaveAttribute('aria-selected', 'false');
  const ids = await selected(page).evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-comic-id'))));
  await cell(page, 5).click({ button: 'right' });
  const menu = page.getByRole('menu', { name: 'Actions for 7 selected comics' });
  await expect(menu).toBeVisible();
  await screenshot(page, 'selection-menu-1280');
  await menu.getByRole('menuitem', { name: 'Mark as read' }).click();
  await expect(page.getByText('7 comics marked read')).toBeVisible();
  // The marks on the covers and the unread count follow; the selection stays.
  for (const index of [0, 1, 2, 4, 5, 6, 7]) await expect(cell(page, index)).not.toHaveAttribute('aria-label', /unread/);
  await expect(cell(page, 3).locator('.unread-dot')).toBeVisible();
  expect(await unreadTotal(page, served)).toBe(before - 7);
  await expect(selected(page)).toHaveCount(7);
  for (const id of ids) {
    const comic = (await (await page.request.get(apiUrl(served, `/api/comics/${id}`))).json()) as { read: boolean };
    expect(comic.read).toBe(true);
  }

  // The keyboard: Ctrl+A is every comic of the view (not only those on screen), Shift+F10 its menu,
  // Mark as unread is one request for the whole library; Escape clears.
  await grid(page).focus();
  await page.keyboard.press('Control+a');
  await expect(page.getByTestId('selection-count')).toHaveText(new RegExp(`^${FILES + 2} selected`));
  await page.keyboard.press('Shift+F10');
  const all = page.getByRole('menu', { name: `Actions for ${FILES + 2} selected comics` });
  await expect(all).toBeVisible();
  const request = page.waitForRequest((r) => r.url().endsWith('/api/state') && r.method() === 'POST');
  await all.getByRole('menuitem', { name: 'Mark as unread' }).click();
  expect((await request).postDataJSON()).toEqual({ folder: '', read: false });
  await expect(page.getByText(`${FILES + 2} comics marked unread`)).toBeVisible();
  expect(await unreadTotal(page, served)).toBe(FILES + 2);
  await grid(page).focus();
  await page.keyboard.press('Escape');
  await expect(selected(page)).toHaveCount(0);
  await expect(page.getByTestId('selection-count')).toHaveCount(0);

  // A series page: all its issues selected and marked read → the shelf's badge says so.
  const series = ((await (await page.request.get(apiUrl(served, '/api/series?limit=100&sort=issues&order=desc'))).json()) as SeriesPage).items[0]!;
  await page.goto(`${served.url}#/series/${encodeURIComponent(series.key)}`);
  await expect(resultCount(page)).toHaveText(`${series.issue_count} comics`);
  // Click the first issue, Shift+End: the range to the last one, rendered or not.
  await cell(page, 0).click();
  await page.keyboard.press('Shift+End');
  await expect(page.getByTestId('selection-count')).toHaveText(new RegExp(`^${series.issue_count} selected`));
  await cell(page, series.issue_count - 1).click({ button: 'right' });
  await page.getByRole('menu').getByRole('menuitem', { name: 'Mark as read' }).click();
  await expect(page.getByText(`${series.issue_count} comics marked read`)).toBeVisible();
  await sidebar(page).getByRole('button', { name: 'Series' }).click();
  await expect(page.locator(`[data-series-key="${series.key}"]`).getByTestId('unread-badge')).toHaveText('✓');
});

test('favourites: the star in the details, the mark on the cover, the menu, the Favourites view; the list view selects too', async ({ page, host }) => {
  const { server: served } = await serve(host, 80);
  await page.goto(`${served.url}#/all`);
  await expect(resultCount(page)).toHaveText('82 comics', { timeout: 60_000 });
  await cell(page, 2).click();
  const star = page.getByTestId('favourite-toggle');
  await expect(star).toHaveAttribute('aria-pressed', 'false');
  await star.click();
  await expect(star).toHaveAttribute('aria-pressed', 'true');
  await expect(cell(page, 2).getByTestId('favourite-mark')).toBeVisible();
  await screenshot(page, 'selection-favourite-details');
  // Two more from the selection's menu.
  await cell(page, 5).click();
  await cell(page, 6).click({ modifiers: ['Shift'] });
  await cell(page, 6).click({ button: 'right' });
  await page.getByRole('menu').getByRole('menuitem', { name: 'Add to favourites' }).click();
  await expect(page.getByText('2 comics added to favourites')).toBeVisible();
  await expect(cell(page, 5).getByTestId('favourite-mark')).toBeVisible();
  await expect(cell(page, 6).getByTestId('favourite-mark')).toBeVisible();
  // The Favourites view lists exactly those three; removing one there takes it off the list.
  await sidebar(page).getByRole('button', { name: 'Favourites' }).click();
  await expect(page).toHaveURL(/#\/favourites$/);
  await expect(grid(page).getByRole('option')).toHaveCount(3);
  await cell(page, 0).click({ button: 'right' });
  await page.getByRole('menu').getByRole('menuitem', { name: 'Remove from favourites' }).click();
  await expect(grid(page).getByRole('option')).toHaveCount(2);
  // The list view: the same selection model (Shift-click, the check on the row's edge).
  await page.getByRole('button', { name: 'List view' }).click();
  const rows = page.getByRole('listbox', { name: 'Comics' }).getByRole('option');
  await rows.nth(0).click();
  await rows.nth(1).click({ modifiers: ['Shift'] });
  await expect(page.getByRole('listbox', { name: 'Comics' }).locator('[aria-selected="true"]')).toHaveCount(2);
  await expect(rows.nth(1)).toHaveClass(/is-checked/);
  await screenshot(page, 'selection-favourites-list');
});

test('a selection stays through a rebuild (same comics, by id); layout at 1280×800 and 800×600', async ({ page, host }) => {
  const { server: served, lib } = await serve(host);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${served.url}#/all`);
  await expect(resultCount(page)).toHaveText(`${FILES + 2} comics`, { timeout: 60_000 });
  await cell(page, 1).click();
  await cell(page, 4).click({ modifiers: ['Shift'] });
  await cell(page, 9).click({ modifiers: ['Control'] });
  const ids = await selected(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-comic-id')));
  expect(ids).toHaveLength(5);
  await screenshot(page, 'selection-grid-1280');
  // The checks, the "N selected" bar and the selection's menu pass axe, light and dark.
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await expectNoSeriousViolations(page, `multi-selection (${scheme})`);
    await selected(page).first().click({ button: 'right' });
    await expect(page.getByRole('menu', { name: 'Actions for 5 selected comics' })).toBeVisible();
    await expectNoSeriousViolations(page, `selection menu (${scheme})`);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('menu')).toHaveCount(0);
  }
  await screenshot(page, 'selection-grid-1280-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // New comics sort first ('Aa …'): after the swap the same comics are selected at their new places.
  await addComics(lib.root, 'Aa First Arrivals', 12);
  expect((await page.request.post(apiUrl(served, '/api/cache/refresh'))).status()).toBe(202);
  await expect(badge(page)).toBeVisible();
  await expect(selected(page)).toHaveCount(5);
  await expect(badge(page)).toBeHidden({ timeout: 60_000 });
  await expect(resultCount(page)).toHaveText(`${FILES + 14} comics`);
  await expect(page.getByTestId('selection-count')).toHaveText(/^5 selected/);
  const after = await page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ getAttribute(n: string): string | null }> } }).document;
    return Array.from(doc.querySelectorAll('[data-testid="results"] [aria-selected="true"]')).map((el) => el.getAttribute('data-comic-id'));
  });
  expect(after.sort()).toEqual([...ids].sort());

  await page.setViewportSize({ width: 800, height: 600 });
  // The grid re-lays out to fewer columns (and keeps its place): retry until the cell holds still.
  const target = grid(page).locator('[aria-selected="true"]').first();
  await expect(async () => {
    await target.scrollIntoViewIfNeeded({ timeout: 2_000 });
    await target.click({ button: 'right', timeout: 2_000 });
    await expect(page.getByRole('menu', { name: 'Actions for 5 selected comics' })).toBeVisible({ timeout: 1_000 });
  }).toPass();
  // The menu is inside the window.
  const box = (await page.getByRole('menu').boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(800);
  expect(box.y + box.height).toBeLessThanOrEqual(600);
  await screenshot(page, 'selection-menu-800');
  await page.keyboard.press('Escape');
  await page.goto(served.url);
  await expect(page.getByTestId('home')).toBeVisible();
  await screenshot(page, 'selection-home-800');
});
