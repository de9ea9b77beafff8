// Browsing in Chromium against `longbox serve`: the sidebar's views, the series shelf and a series page,
// walking folders by breadcrumbs, marking a series read, Continue reading, and all of it during a rebuild.
import type { Page } from '@playwright/test';
import type { ComicPage, SeriesPage } from '../shared/types.js';
import { expect, openAllComics, test, type Host } from './testing/host-fixture.js';
import { addComics, apiUrl } from './testing/serve.js';
import { badge, resultCount, rows, screenshot } from './testing/ui.js';

async function open(page: Page, host: Host, files = 300) {
  const { lib, server } = await host.serveNew({ files, broken: 2, watch: false });
  await openAllComics(page, server, files + 2); // the app starts on Home; this spec is about All comics
  return { lib, server };
}

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Library sections' });

test('sidebar views, the series shelf, a series page; the hash follows and Back works', async ({ page, host }) => {
  const { server: served } = await open(page, host);
  await expect(sidebar(page).getByRole('button', { name: 'All comics' })).toHaveAttribute('aria-current', 'page');

  await sidebar(page).getByRole('button', { name: 'Series' }).click();
  await expect(page).toHaveURL(/#\/series$/);
  const cards = page.getByTestId('series-card');
  await expect(cards.first()).toBeVisible();
  const series = (await (await page.request.get(apiUrl(served, '/api/series?limit=500'))).json()) as SeriesPage;
  await expect(page.getByTestId('series-shelf').getByText(`${series.total} series`)).toBeVisible();
  await expect(page.locator('.series-card .cover[data-state="loaded"] img').first()).toBeVisible();
  await screenshot(page, 'browse-series-shelf');

  // Open a series: its issues, in issue order, and nothing else.
  const first = series.items[0]!;
  await cards.first().getByRole('button').click();
  await expect(page).toHaveURL(new RegExp(`#/series/${encodeURIComponent(first.key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  await expect(page.getByTestId('series-header').getByRole('heading')).toBeVisible();
  await expect(resultCount(page)).toHaveText(`${first.issue_count} ${first.issue_count === 1 ? 'comic' : 'comics'}`);
  const issues = (await (await page.request.get(apiUrl(served, `/api/comics?series=${encodeURIComponent(first.key)}&limit=500`))).json()) as ComicPage;
  await expect(rows(page)).toHaveCount(Math.min(issues.total, await rows(page).count()));
  await screenshot(page, 'browse-series-page');

  // Reload keeps the view; Back returns to the shelf.
  await page.reload();
  await expect(page.getByTestId('series-header')).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/#\/series$/);
  await expect(cards.first()).toBeVisible();

  await sidebar(page).getByRole('button', { name: 'Problems' }).click();
  await expect(resultCount(page)).toHaveText(/^2 /);
  await sidebar(page).getByRole('button', { name: 'Home' }).click();
  await expect(page.getByTestId('shelf-recent').getByTestId('shelf-card').first()).toBeVisible();

  // Keyboard: the sidebar is reachable and ↑/↓ move inside it; it collapses and stays collapsed.
  await sidebar(page).getByRole('button', { name: 'Home' }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(sidebar(page).getByRole('button', { name: 'Series' })).toBeFocused();
  await page.getByRole('button', { name: 'Hide the sidebar' }).click();
  await expect(sidebar(page)).toHaveClass(/is-collapsed/);
  await screenshot(page, 'browse-sidebar-collapsed');
  await page.reload();
  await expect(page.getByRole('button', { name: 'Show the sidebar' })).toBeVisible();
  await page.getByRole('button', { name: 'Show the sidebar' }).click();
});

test('walk the folders with breadcrumbs', async ({ page, host }) => {
  await open(page, host);
  await sidebar(page).getByRole('button', { name: 'Folders' }).click();
  await expect(page).toHaveURL(/#\/folders$/);
  const crumbs = page.getByTestId('breadcrumbs');
  const trail: string[] = [];
  // Down to a folder without sub-folders.
  for (let depth = 0; depth < 6; depth++) {
    const folders = page.getByTestId('folder');
    await expect(page.getByTestId('folder-header').getByText(/in and below this folder/)).toBeVisible();
    if ((await folders.count()) === 0) break;
    // The last one: publishers come after the generator's '_Unsorted' and have series below them.
    const name = (await folders.last().locator('.folder-name').textContent())!;
    trail.push(name);
    await folders.last().click();
    await expect(crumbs.getByText(name, { exact: true })).toBeVisible();
  }
  expect(trail.length).toBeGreaterThan(0);
  await expect(rows(page).first()).toBeVisible();
  await screenshot(page, 'browse-folders-leaf');
  // The hash names the folder; a breadcrumb goes back up.
  expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#/folders/${trail.join('/')}`);
  if (trail.length > 1) {
    await crumbs.getByRole('button', { name: trail[0]!, exact: true }).click();
    await expect(page.getByTestId('folder').filter({ hasText: trail[1]! })).toBeVisible();
    await screenshot(page, 'browse-folders');
  }
  await crumbs.getByRole('button', { name: 'Library' }).click();
  await expect(page).toHaveURL(/#\/folders$/);
});

test('mark a series read: the badges update; continue reading after reading; during a rebuild', async ({ page, host }) => {
  const { server: served, lib } = await open(page, host);
  await page.goto(`${served.url}#/series`);
  const card = page.getByTestId('series-card').first();
  await expect(card).toBeVisible();
  const key = (await card.getAttribute('data-series-key'))!;
  await expect(card.getByTestId('unread-badge')).not.toHaveText('✓');
  await card.getByRole('button').click();
  await page.getByRole('button', { name: 'Mark series read' }).click();
  await expect(page.getByText(/comics? marked read/)).toBeVisible();
  await page.goBack();
  const same = page.locator(`[data-series-key="${key}"]`);
  await expect(same.getByTestId('unread-badge')).toHaveText('✓');
  await screenshot(page, 'browse-series-read');

  // Reading (the reader saves lastPage through the state route) puts the comic on Continue reading.
  const all = (await (await page.request.get(apiUrl(served, '/api/comics?limit=20&sort=added&order=desc&filter=ok'))).json()) as ComicPage;
  const reading = all.items.find((c) => c.seriesKey !== key)!;
  expect((await page.request.post(apiUrl(served, `/api/comics/${reading.id}/state`), { data: { lastPage: 2 } })).status()).toBe(200);
  await page.getByRole('navigation', { name: 'Library sections' }).getByRole('button', { name: 'Home' }).click();
  const continueShelf = page.getByTestId('shelf-continue');
  await expect(continueShelf.getByTestId('shelf-card')).toHaveCount(1);
  await expect(continueShelf.getByRole('progressbar')).toBeVisible();
  await screenshot(page, 'browse-home');

  // During a rebuild: the views keep what they show, then pick up the new generation.
  await addComics(lib.root, 'Zz New Arrivals', 40);
  expect((await page.request.post(apiUrl(served, '/api/cache/refresh'))).status()).toBe(202);
  await expect(badge(page)).toBeVisible();
  await expect(continueShelf.getByTestId('shelf-card')).toHaveCount(1);
  await sidebar(page).getByRole('button', { name: 'Series' }).click();
  await expect(page.locator(`[data-series-key="${key}"]`).getByTestId('unread-badge')).toHaveText('✓');
  await screenshot(page, 'browse-series-during-rebuild');
  await expect(badge(page)).toBeHidden({ timeout: 60_000 });
  await sidebar(page).getByRole('button', { name: 'Folders' }).click();
  await expect(page.getByTestId('folder').filter({ hasText: 'Zz New Arrivals' })).toBeVisible();
  // Read state survived the rebuild.
  await sidebar(page).getByRole('button', { name: 'Series' }).click();
  await expect(page.locator(`[data-series-key="${key}"]`).getByTestId('unread-badge')).toHaveText('✓');
});
