// The renderer in Chromium against `longbox serve` on small generated libraries.
import { rename } from 'node:fs/promises';
import { brokenKindOf } from '../scripts/lib/dev-library.js';
import { problemLabel } from '../renderer/lib/problem-text.js';
import { expect, openNewLibrary, test } from './testing/host-fixture.js';
import { addComics, apiUrl } from './testing/serve.js';
import { badge, badgeLog, countShown, type PageGlobals, recordBadge, resultCount, rows, screenshot } from './testing/ui.js';

test('first load shows rows; details, list view, light and dark', async ({ page, host }) => {
  await openNewLibrary(page, host, { files: 60, broken: 3 });
  await expect(page.locator('.cover[data-state="loaded"]').first()).toBeVisible();
  await screenshot(page, 'grid-light');

  await rows(page).nth(1).click();
  const details = page.getByRole('complementary', { name: 'Comic details' });
  await expect(details.getByRole('heading', { level: 2 })).toBeVisible();
  await expect(details.getByText('Path', { exact: true })).toBeVisible();
  await expect(details.locator('.details-cover .cover[data-state="loaded"]')).toBeVisible();
  await screenshot(page, 'details-light');

  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'details-dark');
  await page.getByRole('button', { name: 'Close details' }).click();
  await screenshot(page, 'grid-dark');

  await page.getByRole('button', { name: 'List view' }).click();
  await expect(page.locator('.list-row').first()).toBeVisible();
  await screenshot(page, 'list-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await screenshot(page, 'list-light');

  // The manual override wins over the system theme, and survives a reload.
  await page.getByLabel('Theme').selectOption('dark');
  await page.reload();
  await expect(rows(page).first()).toBeVisible();
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.dataset.theme)).toBe('dark');
  await expect(page.locator('.list-row').first()).toBeVisible();
});

test('Refresh: the badge shows while the old rows stay, then the new files appear', async ({ page, host }) => {
  const { lib, server: served, total } = await openNewLibrary(page, host, { files: 40, watch: false });
  const added = await addComics(lib.root, 'New Arrivals', 10);
  await recordBadge(page);
  await page.getByRole('button', { name: 'Refresh library' }).click();
  await expect(resultCount(page)).toHaveText(`${total + added.length} comics`);
  await expect(badge(page)).toBeHidden();
  const log = await badgeLog(page);
  expect(log.some((e) => e.visible && e.rows > 0), `badge log ${JSON.stringify(log)}`).toBe(true);
  expect(log.every((e) => e.rows > 0), 'rows stayed on screen throughout').toBe(true);
  expect(log.at(-1)?.visible).toBe(false);

  // The newest comic is one of the added files.
  const newest = (await (await page.request.get(apiUrl(served, '/api/comics?limit=1&sort=added&order=desc'))).json()) as { items: Array<{ id: number; path: string }> };
  expect(newest.items[0].path).toContain('New Arrivals/');
  await page.getByLabel('Sort by').selectOption('added');
  await page.getByRole('button', { name: /Ascending order/ }).click();
  await expect(rows(page).first()).toHaveAttribute('data-comic-id', String(newest.items[0].id));
  await rows(page).first().click();
  await expect(page.getByRole('complementary', { name: 'Comic details' }).locator('dd.path')).toContainText('New Arrivals/');
});

test('F5 in the browser refreshes the library instead of reloading the page', async ({ page, host }) => {
  const { lib, total } = await openNewLibrary(page, host, { files: 20, watch: false });
  await addComics(lib.root, 'Late', 3);
  await page.evaluate(() => ((globalThis as unknown as PageGlobals).__marker = 42));
  await rows(page).first().click();
  await page.keyboard.press('F5');
  await expect(resultCount(page)).toHaveText(`${total + 3} comics`);
  // Same document: not reloaded.
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__marker)).toBe(42);
});

test('files added on disk appear by themselves (watcher)', async ({ page, host }) => {
  const { lib, total } = await openNewLibrary(page, host, { files: 30 });
  await addComics(lib.root, 'Dropped In', 5, 123);
  await expect(resultCount(page)).toHaveText(`${total + 5} comics`, { timeout: 30_000 });
});

test('search and sort', async ({ page, host }) => {
  const { server: served, total } = await openNewLibrary(page, host, { files: 80 });
  const first = (await (await page.request.get(apiUrl(served, '/api/comics?limit=1&sort=series&order=asc'))).json()) as { items: Array<{ series: string | null; fileName: string }> };
  const word = (first.items[0].series ?? first.items[0].fileName).split(/\s+/)[0];

  await page.keyboard.press('/');
  await page.keyboard.type(word);
  await expect.poll(() => countShown(page)).toBeLessThan(total);
  await expect(resultCount(page)).toContainText(` of ${total}`);
  const expected = (await (await page.request.get(apiUrl(served, `/api/comics?limit=1&sort=series&order=asc&q=${encodeURIComponent(word)}`))).json()) as { total: number; items: Array<{ id: number }> };
  await expect(resultCount(page)).toHaveText(`${expected.total} of ${total}`);
  await expect(rows(page).first()).toHaveAttribute('data-comic-id', String(expected.items[0].id));
  await screenshot(page, 'search');

  await page.getByRole('button', { name: 'Clear search' }).click();
  await expect(resultCount(page)).toHaveText(`${total} comics`);
  await page.getByLabel('Sort by').selectOption('size');
  await page.getByRole('button', { name: /Ascending order/ }).click();
  const biggest = (await (await page.request.get(apiUrl(served, '/api/comics?limit=2&sort=size&order=desc'))).json()) as { items: Array<{ id: number }> };
  await expect(rows(page).first()).toHaveAttribute('data-comic-id', String(biggest.items[0].id));
  await expect(rows(page).nth(1)).toHaveAttribute('data-comic-id', String(biggest.items[1].id));
});

test('broken archives are listed in Problems', async ({ page, host }) => {
  const { lib } = await openNewLibrary(page, host, { files: 24, broken: 6 });
  await page.getByRole('tab', { name: /Problems/ }).click();
  const list = page.getByRole('listbox', { name: 'Files with problems' });
  await expect(list.getByRole('option')).toHaveCount(lib.broken.length);
  await expect(resultCount(page)).toHaveText(`${lib.broken.length} of ${24 + lib.broken.length}`);
  for (const broken of lib.broken) {
    const name = broken.split('/').at(-1)!;
    const row = list.getByRole('option').filter({ hasText: name });
    await expect(row, `${name} listed`).toHaveCount(1);
    const kind = brokenKindOf(broken);
    // The error kind the generator meant, in words (soft: a wrong kind is the engine's to fix, the row is still listed).
    if (kind) expect.soft(await row.locator('.problem-label').textContent(), `problem of ${name}`).toBe(problemLabel(kind.errorKind));
  }
  await screenshot(page, 'problems');
  await list.getByRole('option').first().click();
  await expect(page.getByRole('complementary', { name: 'Comic details' }).locator('.details-problem')).toBeVisible();
  await screenshot(page, 'problems-details');
});

test('library folder removed: error banner, the last known rows stay', async ({ page, host }) => {
  const { lib, total } = await openNewLibrary(page, host, { files: 30, watch: false });
  const away = `${lib.root}-away`;
  await rename(lib.root, away);
  host.onCleanup(() => rename(away, lib.root).catch(() => undefined));
  await page.getByRole('button', { name: 'Refresh library' }).click();
  const banner = page.getByTestId('error-banner');
  await expect(banner).toBeVisible();
  await expect(banner, `banner: ${await banner.textContent()}`).toContainText('Showing the last known library.');
  await expect(badge(page)).toBeHidden();
  await expect(resultCount(page)).toHaveText(`${total} comics`);
  expect(await rows(page).count()).toBeGreaterThan(0);
  await screenshot(page, 'error-banner');
  await page.getByRole('button', { name: 'Dismiss error' }).click();
  await expect(banner).toBeHidden();
});

test('a token in the page URL is forwarded to the API, SSE and covers', async ({ page, host }) => {
  const { server: served } = await openNewLibrary(page, host, { files: 12, token: 'e2e-secret' });
  expect(served.url).toContain('?token=e2e-secret');
  await expect(page.locator('.cover[data-state="loaded"]').first()).toBeVisible();
  const bare = await page.request.get(apiUrl(served, '/api/cache/stats'));
  expect(bare.status()).toBe(401);
});
