// Desktop feel in Chromium against `longbox serve`: icons, layout at three window sizes, sorting that
// matches what is shown, problems in words, feedback for Refresh, accessibility (axe).
import { rename } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openNewLibrary, test } from './testing/host-fixture.js';
import { apiUrl } from './testing/serve.js';
import { badge, resultCount, rows } from './testing/ui.js';

test('the page has an icon: /favicon.ico and the SVG the page links', async ({ page, host }) => {
  const { server: served } = await openNewLibrary(page, host, { files: 4 });
  const ico = await page.request.get(apiUrl(served, '/favicon.ico'));
  expect(ico.status()).toBe(200);
  expect(ico.headers()['content-type']).toBe('image/x-icon');
  const href = await page.locator('link[rel="icon"][type="image/svg+xml"]').getAttribute('href');
  expect(href).toBeTruthy();
  const svg = await page.request.get(new URL(href!, page.url()).href);
  expect(svg.status()).toBe(200);
  expect(svg.headers()['content-type']).toBe('image/svg+xml');
});

async function scrollTopOf(page: Page): Promise<number> {
  return page.getByTestId('results').evaluate((el) => (el as unknown as { scrollTop: number }).scrollTop);
}

test('the grid starts at the top after the first load and after Refresh (no 20 px offset)', async ({ page, host }) => {
  await openNewLibrary(page, host, { files: 60, watch: false });
  await expect(page.locator('.cover[data-state="loaded"]').first()).toBeVisible();
  expect(await scrollTopOf(page)).toBe(0);
  await page.getByRole('button', { name: 'Refresh library' }).click();
  await expect(badge(page)).toBeVisible();
  await expect(badge(page)).toBeHidden();
  await page.waitForTimeout(300);
  expect(await scrollTopOf(page)).toBe(0);
});

test('Refresh on a tiny library: the badge is seen, then "Checked just now · no changes"', async ({ page, host }) => {
  await openNewLibrary(page, host, { files: 3, watch: false });
  await page.getByRole('button', { name: 'Refresh library' }).click();
  await expect(badge(page)).toBeVisible();
  await expect(page.getByTestId('toast')).toHaveText(/Checked just now · no changes/);
  await expect(badge(page)).toBeHidden();
});

test('list: every sortable column header sorts like the API, both ways', async ({ page, host }) => {
  const { server: served } = await openNewLibrary(page, host, { files: 40, broken: 2 });
  await page.getByRole('button', { name: 'List view' }).click();
  const header = page.getByRole('group', { name: 'Columns' });
  const keys = await header.locator('button[data-sort-key]').evaluateAll((els) => els.map((el) => el.getAttribute('data-sort-key') ?? ''));
  expect(keys.length).toBeGreaterThanOrEqual(4);
  for (const key of keys) {
    const button = header.locator(`button[data-sort-key="${key}"]`);
    // The first click on a column sorts ascending (a second one, descending); the active one toggles.
    for (const order of ['asc', 'desc'] as const) {
      const label = (await button.getAttribute('aria-label')) ?? '';
      const isActive = label.includes(', sorted ');
      const current = label.includes('sorted ascending') ? 'asc' : 'desc';
      if (!isActive || current !== order) await button.click();
      if (!isActive && order === 'desc') await button.click();
      await expect(button).toHaveAttribute('aria-label', new RegExp(`sorted ${order === 'asc' ? 'ascending' : 'descending'}`));
      const expected = (await (await page.request.get(apiUrl(served, `/api/comics?limit=5&sort=${key}&order=${order}`))).json()) as { items: Array<{ id: number }> };
      for (let i = 0; i < 5; i++) {
        await expect(rows(page).nth(i), `${key} ${order} row ${i}`).toHaveAttribute('data-comic-id', String(expected.items[i]!.id));
      }
    }
  }
});

test('Problems: labels in words (not slugs), the technical detail on request, no Read switch', async ({ page, host }) => {
  await openNewLibrary(page, host, { files: 10, broken: 5 });
  await page.getByRole('tab', { name: /Problems/ }).click();
  const list = page.getByRole('listbox', { name: 'Files with problems' });
  await expect(list.getByRole('option')).toHaveCount(5);
  const labels = await list.locator('.problem-label').allTextContents();
  for (const label of labels) {
    expect(label).toMatch(/^[A-Z][a-z]+( [a-z-]+)*$/);
    expect(label).not.toMatch(/^[a-z]+(-[a-z]+)*$/);
  }
  await list.getByRole('option').first().click();
  const details = page.getByTestId('details');
  await expect(details.getByRole('switch', { name: 'Read' })).toHaveCount(0);
  const technical = details.locator('details.technical-detail');
  await expect(technical.locator('code')).toBeHidden();
  await technical.locator('summary').click();
  await expect(technical.locator('code')).toBeVisible();
  await expect(details.getByRole('button', { name: 'Retry this file' })).toBeVisible();
});

test('right-click a cover: the menu has the details actions and stays inside the window', async ({ page, host }) => {
  await openNewLibrary(page, host, { files: 12 });
  const size = page.viewportSize()!;
  await rows(page).first().click({ button: 'right' });
  const menu = page.getByRole('menu');
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem', { name: 'Copy path' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  // Near the bottom-right corner the menu opens up and to the left.
  await page.mouse.click(size.width - 5, size.height - 40, { button: 'right' });
  await rows(page).last().click({ button: 'right', position: { x: 5, y: 5 } });
  const box = (await menu.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(size.width);
  expect(box.y + box.height).toBeLessThanOrEqual(size.height);
});

test('a folder that leaves says how many comics it held; when it comes back they keep ids and Date added', async ({ page, host }) => {
  const { lib, server: served, total } = await openNewLibrary(page, host, { files: 30, watch: false });
  type Item = { id: number; path: string; addedAt: number };
  // A fresh connection each time: after the 4 s wait below a kept-alive socket can meet the host's
  // 5 s keep-alive timeout exactly as it is reused (ECONNRESET).
  const all = async () =>
    ((await (await page.request.get(apiUrl(served, '/api/comics?limit=500&sort=file'), { headers: { Connection: 'close' } })).json()) as { items: Item[] }).items;
  const before = await all();
  const top = before[0]!.path.split('/')[0]!;
  const inTop = before.filter((c) => c.path.startsWith(`${top}/`));
  const away = `${path.dirname(lib.root)}/away-${top}`;
  await rename(path.join(lib.root, top), away);
  host.onCleanup(() => rename(away, path.join(lib.root, top)).catch(() => undefined));
  await page.getByRole('button', { name: 'Refresh library' }).click();
  await expect(resultCount(page)).toHaveText(`${total - inTop.length} comics`);
  const toast = page.getByTestId('toast');
  await expect(toast).toContainText(`The folder “${top}” is no longer in the library: its ${inTop.length} comics left the list.`);
  await expect(toast).toContainText('kept');
  await page.waitForTimeout(4_000); // sticky: still there after a plain notice would have gone
  await expect(toast).toContainText(`“${top}”`);
  await toast.getByRole('button', { name: 'Dismiss' }).click();

  await rename(away, path.join(lib.root, top));
  await page.getByRole('button', { name: 'Refresh library' }).click();
  await expect(resultCount(page)).toHaveText(`${total} comics`);
  await expect(toast).toContainText(`${inTop.length} comics are back`);
  const after = await all();
  for (const comic of inTop) {
    const again = after.find((c) => c.path === comic.path)!;
    expect({ id: again.id, addedAt: again.addedAt }).toEqual({ id: comic.id, addedAt: comic.addedAt });
  }
});
