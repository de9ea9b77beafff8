// Layout at three window sizes (and 1280×800 at 200% zoom = 640×400 CSS px): nothing in the header or
// the filter bar is outside the window or overlaps something else, no horizontal scroll; screenshots
// of every main view; axe-core over every main view in light and dark with no serious or critical
// violation.
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openAllComics, test } from './testing/host-fixture.js';
import { makeLibrary, removeDir, serveLibrary, type ServedLibrary } from './testing/serve.js';
import { badge, expectNoSeriousViolations, rows, screenshot } from './testing/ui.js';

const SIZES = [
  { name: '800x600', width: 800, height: 600 },
  { name: '1280x800', width: 1280, height: 800 },
  { name: '2560x1440', width: 2560, height: 1440 },
  // 1280×800 at 200% zoom.
  { name: '1280x800-zoom200', width: 640, height: 400 },
] as const;

let server: ServedLibrary;
let libDir = '';
const TOTAL = 36 + 4;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const lib = await makeLibrary({ files: 36, broken: 4, seed: 11 });
  libDir = path.dirname(lib.root);
  server = await serveLibrary(lib.root, { watch: false });
});

test.afterAll(async () => {
  await server?.stop();
  await removeDir(libDir);
  if (server) await removeDir(server.dataDir);
});

async function open(page: Page, width: number, height: number): Promise<void> {
  await page.setViewportSize({ width, height });
  await openAllComics(page, server, TOTAL);
  await expect(badge(page)).toBeHidden();
}

interface Box {
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
  inside: boolean;
}

/** Every visible control of the header and the filter bar, with its box (in the page). */
async function barBoxes(page: Page): Promise<Box[]> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<unknown> } }).document;
    const selector = [
      '.toolbar .brand-mark',
      '.toolbar .brand-name',
      '.toolbar .search',
      '.toolbar select',
      '.toolbar button',
      '.toolbar input',
      '.toolbar .badge-slot',
      '.subbar .tab',
      '.subbar .chip',
      '.subbar .result-count',
    ].join(',');
    type El = { getBoundingClientRect(): { x: number; y: number; width: number; height: number }; className: string; textContent: string | null; getAttribute(n: string): string | null; tagName: string; closest(s: string): unknown };
    const out: Array<{ label: string; x: number; y: number; width: number; height: number; inside: boolean }> = [];
    for (const el of Array.from(doc.querySelectorAll(selector)) as El[]) {
      // Controls inside the search box or an open popover are checked as part of it.
      if (el.closest('.more-panel') || (el.tagName !== 'DIV' && el.closest('.search') && !String(el.className).includes('search'))) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const label = `${el.tagName.toLowerCase()}.${String(el.className).split(' ')[0]}[${el.getAttribute('aria-label') ?? (el.textContent ?? '').trim().slice(0, 20)}]`;
      out.push({ label, x: r.x, y: r.y, width: r.width, height: r.height, inside: true });
    }
    return out;
  });
}

function overlaps(a: Box, b: Box): boolean {
  const eps = 0.5;
  return a.x + a.width - eps > b.x && b.x + b.width - eps > a.x && a.y + a.height - eps > b.y && b.y + b.height - eps > a.y;
}

/** Every filter chip and the count are really shown: not squeezed to nothing or clipped by the bar. */
async function expectNothingClipped(page: Page): Promise<void> {
  const clipped = await page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown; querySelectorAll(s: string): ArrayLike<unknown> } }).document;
    type El = { getBoundingClientRect(): { x: number; y: number; width: number; height: number; bottom: number; right: number }; textContent: string | null };
    const subbar = doc.querySelector('.subbar') as El | null;
    if (!subbar) return [];
    const bar = subbar.getBoundingClientRect();
    const bad: string[] = [];
    for (const el of Array.from(doc.querySelectorAll('.subbar .chip, .subbar .tab, .subbar .result-count')) as El[]) {
      const r = el.getBoundingClientRect();
      if (r.width < 8 || r.height < 8 || r.bottom > bar.bottom + 0.5 || r.y < bar.y - 0.5 || r.right > bar.right + 0.5) bad.push((el.textContent ?? '').trim());
    }
    return bad;
  });
  expect(clipped, 'filter bar items squeezed or clipped').toEqual([]);
}

async function expectTidyBars(page: Page, width: number, height: number): Promise<void> {
  await expectNothingClipped(page);
  const boxes = await barBoxes(page);
  expect(boxes.length).toBeGreaterThan(10);
  for (const box of boxes) {
    expect(box.x, `${box.label} starts inside the window`).toBeGreaterThanOrEqual(0);
    expect(box.y, `${box.label} starts inside the window`).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, `${box.label} ends inside the window (${width} px)`).toBeLessThanOrEqual(width + 0.5);
    expect(box.y + box.height, `${box.label} ends inside the window`).toBeLessThanOrEqual(height);
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      expect(overlaps(boxes[i]!, boxes[j]!), `${boxes[i]!.label} overlaps ${boxes[j]!.label}`).toBe(false);
    }
  }
  const scroll = await page.evaluate(() => {
    const el = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return { scrollWidth: el.scrollWidth, clientWidth: el.clientWidth };
  });
  expect(scroll.scrollWidth, 'no horizontal scroll').toBeLessThanOrEqual(scroll.clientWidth);
}

/** Texts in list cells are not cut mid-word without an ellipsis: every cell's content fits or truncates. */
async function expectListCellsFit(page: Page): Promise<void> {
  const cut = await page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<unknown> } }).document;
    type El = { scrollWidth: number; clientWidth: number; className: string; textContent: string | null };
    const bad: string[] = [];
    for (const el of Array.from(doc.querySelectorAll('.list-row .list-cell, .list-header .list-cell')) as El[]) {
      // A cell may only overflow through a .truncate child (which shows an ellipsis).
      if (el.scrollWidth > el.clientWidth + 1) bad.push((el.textContent ?? '').slice(0, 40));
    }
    return bad;
  });
  expect(cut, 'list cells cut without an ellipsis').toEqual([]);
}

const BROWSE_VIEWS = ['home', 'series', 'folders'] as const;

/** Opens a section of the sidebar (Home, Series, Folders, All comics). */
async function showSection(page: Page, view: string): Promise<void> {
  await page.locator(`nav[aria-label="Library sections"] button[data-view="${view}"]`).click();
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
  await page.waitForTimeout(200);
}

for (const size of SIZES) {
  test(`layout at ${size.name}: bars tidy in every view, screenshots`, async ({ page }) => {
    await open(page, size.width, size.height);
    await expect(page.locator('.cover[data-state="loaded"]').first()).toBeVisible();
    await expectTidyBars(page, size.width, size.height);
    await screenshot(page, `${size.name}-grid`);

    await rows(page).nth(1).click();
    await expect(page.getByTestId('details').getByRole('heading', { level: 2 })).toBeVisible();
    await expectTidyBars(page, size.width, size.height);
    await screenshot(page, `${size.name}-details`);
    await page.getByRole('button', { name: 'Close details' }).click();

    await page.getByRole('button', { name: 'List view' }).click();
    await expect(page.locator('.list-row').first()).toBeVisible();
    await expectTidyBars(page, size.width, size.height);
    await expectListCellsFit(page);
    await screenshot(page, `${size.name}-list`);

    await page.getByRole('tab', { name: /Problems/ }).click();
    await expect(page.getByRole('listbox', { name: 'Files with problems' }).getByRole('option').first()).toBeVisible();
    await expectTidyBars(page, size.width, size.height);
    await expectListCellsFit(page);
    await screenshot(page, `${size.name}-problems`);
    await page.getByRole('tab', { name: 'Library' }).click();

    await page.getByRole('button', { name: 'More options' }).click();
    const panel = page.getByRole('group', { name: 'More options' });
    await expect(panel).toBeVisible();
    const box = (await panel.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(size.width);
    await screenshot(page, `${size.name}-more`);
    await page.keyboard.press('Escape');

    // The browse views of the sidebar.
    for (const view of BROWSE_VIEWS) {
      await showSection(page, view);
      await expectTidyBars(page, size.width, size.height);
      await screenshot(page, `${size.name}-${view}`);
    }
    await showSection(page, 'all');

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('button', { name: 'Grid view' }).click();
    await expectTidyBars(page, size.width, size.height);
    await screenshot(page, `${size.name}-grid-dark`);
    await page.emulateMedia({ colorScheme: 'light' });
    // The view settings are kept in localStorage: leave them as they were for the next size.
  });
}

test('axe: no serious or critical violations in any main view, light and dark', async ({ page }) => {
  test.setTimeout(180_000);
  await open(page, 1280, 800);
  await expect(page.locator('.cover[data-state="loaded"]').first()).toBeVisible();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.getByRole('tab', { name: 'Library' }).click();
    await page.getByRole('button', { name: 'Grid view' }).click();
    await expectNoSeriousViolations(page, `grid (${scheme})`);
    await rows(page).nth(1).click();
    await expect(page.getByTestId('details').getByRole('heading', { level: 2 })).toBeVisible();
    await expectNoSeriousViolations(page, `details (${scheme})`);
    await page.getByRole('button', { name: 'Close details' }).click();
    await page.getByRole('button', { name: 'List view' }).click();
    await expect(page.locator('.list-row').first()).toBeVisible();
    await expectNoSeriousViolations(page, `list (${scheme})`);
    await page.getByRole('tab', { name: /Problems/ }).click();
    await page.getByRole('listbox', { name: 'Files with problems' }).getByRole('option').first().click();
    await expect(page.getByTestId('details').locator('.details-problem')).toBeVisible();
    await expectNoSeriousViolations(page, `problems + details (${scheme})`);
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'Library' }).click();
    await rows(page).first().click({ button: 'right' });
    await expect(page.getByRole('menu')).toBeVisible();
    await expectNoSeriousViolations(page, `context menu (${scheme})`);
    await page.keyboard.press('Escape');
    await page.keyboard.press('?');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    await expectNoSeriousViolations(page, `shortcut help (${scheme})`);
    await page.keyboard.press('Escape');
    for (const view of BROWSE_VIEWS) {
      await showSection(page, view);
      await expectNoSeriousViolations(page, `${view} (${scheme})`);
    }
    await showSection(page, 'all');
  }
});
