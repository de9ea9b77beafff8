// Electron smoke tests against the built app (npm run build): start, rows from the cache, Refresh
// (the F5 menu item) with the rebuilding badge, single instance. Skipped, with the reason printed, where Electron
// cannot run (no binary, no display, better-sqlite3 not built for Electron).
// On a desktop: `npm start` once (prepares better-sqlite3 for Electron), then
// `npx playwright test e2e/electron.spec.ts` (Linux without a display: `xvfb-run -a npx playwright test e2e/electron.spec.ts`).
import { expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateLibrary } from '../scripts/lib/dev-library.js';
import type { LongboxBridge } from '../shared/ipc.js';
import { MENU_IDS } from '../electron/menu.js';
import { electronAvailability, launchLongbox, runSecondInstance } from './testing/electron-app.js';

// The page-side globals the evaluate() callbacks use (this tsconfig has no DOM lib; kept local).
declare const window: { longbox?: LongboxBridge; __badgeSeen?: boolean; __pageId?: number; require?: unknown; process?: unknown; location: { hash: string } };
declare const document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null };
declare class MutationObserver {
  constructor(callback: () => void);
  observe(target: unknown, options: { attributes: boolean }): void;
}

const availability = electronAvailability();
if (!availability.canRun) console.log(`[electron e2e skipped] ${availability.reason}`);
test.skip(!availability.canRun, availability.reason);
test.describe.configure({ mode: 'serial' });

let workDir = '';
let library = '';
let userData = '';

test.beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'longbox-electron-e2e-'));
  library = path.join(workDir, 'comics');
  userData = path.join(workDir, 'userData');
  await generateLibrary({ out: library, files: 120, broken: 2, seed: 7 });
});

test.afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const rows = (page: Page) => page.locator('[data-testid="results"] [role="option"]');

/** The app starts on Home; these tests are about the All comics grid. */
async function showAllComics(page: Page): Promise<Page> {
  await page.waitForLoadState('domcontentloaded');
  await page.evaluate(() => {
    window.location.hash = '#/all';
  });
  return page;
}

/** Starts the app on the remembered library, shows All comics, waits for its rows, runs `body`, closes the app. */
async function withRowsShown(body: (app: ElectronApplication, page: Page) => Promise<void>): Promise<void> {
  const app = await launchLongbox(availability, userData);
  try {
    const page = await showAllComics(await app.firstWindow());
    await expect(rows(page).first()).toBeVisible({ timeout: 60_000 });
    await body(app, page);
  } finally {
    await app.close();
  }
}

test('starts on a folder, shows its comics, and shows them from the cache at the next start', async () => {
  const first = await launchLongbox(availability, userData, library);
  try {
    const page = await showAllComics(await first.firstWindow());
    await expect(rows(page).first()).toBeVisible({ timeout: 60_000 });
    // contextIsolation + sandbox + no nodeIntegration: the page sees window.longbox and nothing of Node.
    expect(await page.evaluate(() => [typeof window.require, typeof window.process, typeof window.longbox])).toEqual(['undefined', 'undefined', 'object']);
    expect(page.url()).toBe('longbox://app/index.html#/all');
  } finally {
    await first.close();
  }

  // Second start: the remembered library, rows from the SQLite cache (stale is fine) without a cold start.
  const second = await launchLongbox(availability, userData);
  try {
    const page = await showAllComics(await second.firstWindow());
    const started = Date.now();
    await expect(rows(page).first()).toBeVisible({ timeout: 15_000 });
    expect(Date.now() - started).toBeLessThan(15_000);
    // window.longbox is the preload's bridge: its calls answer the IpcResult (renderer/lib/bridge-api.ts unwraps it).
    const status = await page.evaluate(() => window.longbox!.getStatus().then((r) => (r.ok ? r.value : Promise.reject(new Error(r.error.message)))));
    expect(status.is_populated).toBe(true);
    expect(status.file_count).toBeGreaterThanOrEqual(120);
  } finally {
    await second.close();
  }
});

test('Refresh (F5) shows the rebuilding badge and clears it, without reloading the page', async () => {
  await withRowsShown(async (app, page) => {
    await expect(page.getByTestId('rebuild-badge')).toHaveAttribute('data-visible', 'false', { timeout: 60_000 });
    // Record every appearance of the badge, however short (a no-change rescan takes milliseconds).
    await page.evaluate(() => {
      window.__pageId = 42;
      window.__badgeSeen = false;
      const badge = document.querySelector('[data-testid="rebuild-badge"]')!;
      new MutationObserver(() => {
        if (badge.getAttribute('data-visible') === 'true') window.__badgeSeen = true;
      }).observe(badge, { attributes: true });
    });
    // F5 is a menu accelerator: Playwright's keyboard events go to the page, not to the native menu,
    // so press the menu item itself (the F5 twin of Refresh, as the accelerator would).
    await app.evaluate(({ Menu }, id) => Menu.getApplicationMenu()?.getMenuItemById(id)?.click(), MENU_IDS.refreshF5);
    await expect.poll(() => page.evaluate(() => window.__badgeSeen), { timeout: 30_000 }).toBe(true);
    await expect(page.getByTestId('rebuild-badge')).toHaveAttribute('data-visible', 'false', { timeout: 60_000 });
    // Same document: F5 refreshed the library, it did not reload the page.
    expect(await page.evaluate(() => window.__pageId)).toBe(42);
    await expect(rows(page).first()).toBeVisible();
  });
});

test('a second instance hands over to the first and exits', async () => {
  await withRowsShown(async (app) => {
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0].minimize());
    const exitCode = await runSecondInstance(availability, userData);
    expect(exitCode).toBe(0);
    await expect.poll(() => app.evaluate(() => (globalThis as { __longboxSecondInstances?: number }).__longboxSecondInstances ?? 0)).toBe(1);
    const state = await app.evaluate(({ BrowserWindow }) => {
      const windows = BrowserWindow.getAllWindows();
      return { count: windows.length, visible: windows[0].isVisible(), minimized: windows[0].isMinimized() };
    });
    expect(state).toEqual({ count: 1, visible: true, minimized: false });
  });
});

test('a second instance with a comic file opens that file in the running app (its folder, outside the open library)', async () => {
  const other = path.join(workDir, 'downloads');
  await generateLibrary({ out: other, files: 6, broken: 0, seed: 3 });
  const comic = (await readdir(other, { recursive: true })).map((name) => path.join(other, String(name))).find((file) => file.endsWith('.cbz'))!;
  await withRowsShown(async (app, page) => {
    const exitCode = await runSecondInstance(availability, userData, comic);
    expect(exitCode).toBe(0);
    await expect.poll(() => page.evaluate(() => window.longbox!.getLibrary().then((r) => (r.ok ? (r.value?.root ?? null) : null))), { timeout: 30_000 }).toBe(path.dirname(comic));
  });
});
