// The REAL preload (electron/preload.ts) and the REAL IPC router (electron/ipc.ts) with a real
// LibraryService on a generated library, driven by the real renderer (out/renderer) in Chromium.
// Only the transport is a double (e2e/testing/renderer-electron.ts): contextBridge and
// ipcRenderer are replaced by Playwright bindings with a JSON round trip, so this runs without the
// Electron binary. What it cannot check: Electron's contextBridge copying and the real ipcMain.
// window.longbox is the raw bridge (its calls answer IpcResults); the tests call the library the way
// the renderer does, through renderer/lib/bridge-api.ts's unwrapBridge, bundled into every frame as
// window.__libraryApi.
// The page is served under http://longbox.test with the same CSP header main sends for longbox://app.
import { expect, test, type Frame, type Page } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LongboxError } from '../shared/errors.js';
import { build } from 'esbuild';
import type { LibraryApi } from '../shared/api.js';
import type { LongboxBridge } from '../shared/ipc.js';
import { allowOrigins, createIpcRouter, type IpcEventLike, type IpcMainLike, type IpcRouter } from '../electron/ipc.js';
import { openLibraryService } from '../electron/library/library-service.js';
import type { LibraryServiceApi } from '../electron/library/service-types.js';
import { APP_CSP, contentTypeFor, resolveAppFile } from '../electron/protocol-url.js';
import { generateLibrary } from '../scripts/lib/dev-library.js';
import { ROOT } from './testing/electron-app.js';

declare const window: { longbox?: LongboxBridge; __libraryApi?: LibraryApi; __badgeSeen?: boolean };
declare const document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null; body: unknown };
declare class MutationObserver {
  constructor(callback: () => void);
  observe(target: unknown, options: { attributes: boolean; subtree?: boolean; attributeFilter?: string[] }): void;
}

const ORIGIN = 'http://longbox.test';
const RENDERER = path.join(ROOT, 'out/renderer');
const isBuilt = existsSync(path.join(RENDERER, 'index.html'));
if (!isBuilt) console.log('[preload bridge e2e skipped] out/renderer is not built (run `npm run build`)');
test.skip(!isBuilt, 'out/renderer is not built (run `npm run build`)');
test.describe.configure({ mode: 'serial' });

type Listener = (event: IpcEventLike, ...args: unknown[]) => unknown;
interface BindingSource {
  frame: Frame;
}

/** ipcMain for the router, fed by the page's bindings. The sender frame is the binding's real frame. */
class BindingIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  readonly listeners = new Map<string, Set<Listener>>();
  handle(channel: string, listener: Listener) {
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  on(channel: string, listener: Listener) {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
    this.listeners.get(channel)!.add(listener);
  }
  removeListener(channel: string, listener: Listener) {
    this.listeners.get(channel)?.delete(listener);
  }
}

function eventFor(source: BindingSource, id: number): IpcEventLike {
  return { sender: { id }, senderFrame: { url: source.frame.url(), parent: source.frame.parentFrame() } };
}

let workDir = '';
let library = '';
let service: LibraryServiceApi | null = null;
let preloadCode = '';
let unwrapCode = '';

test.beforeAll(async () => {
  test.setTimeout(120_000);
  workDir = await mkdtemp(path.join(os.tmpdir(), 'longbox-bridge-e2e-'));
  library = path.join(workDir, 'Comics');
  await generateLibrary({ out: library, files: 150, broken: 3, seed: 11 });
  service = await openLibraryService({ root: library, dataDir: path.join(workDir, 'data'), watch: false });
  await service.whenIdle();
  // The real preload, bundled for the page with `electron` → the test transport.
  const specifier: string = '../scripts/build-preload.mjs';
  const { buildPreload } = (await import(specifier)) as { buildPreload(o: { outfile: string; electronModule: string }): Promise<unknown> };
  const outfile = path.join(workDir, 'preload.browser.js');
  await buildPreload({ outfile, electronModule: path.join(ROOT, 'e2e/testing/renderer-electron.ts') });
  preloadCode = readFileSync(outfile, 'utf8');
  // The renderer's own unwrapping of the bridge, for calls made from the tests.
  const unwrap = await build({
    stdin: {
      contents: `import { unwrapBridge } from './renderer/lib/bridge-api.ts';
        Object.defineProperty(globalThis, '__libraryApi', { get: () => (globalThis.longbox ? unwrapBridge(globalThis.longbox) : undefined) });`,
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
  });
  unwrapCode = unwrap.outputFiles[0]!.text;
});

test.afterAll(async () => {
  await service?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

interface Harness {
  router: IpcRouter;
  shellCalls: string[];
  cspViolations: string[];
}

async function openApp(page: Page): Promise<Harness> {
  const ipcMain = new BindingIpcMain();
  const shellCalls: string[] = [];
  const router = createIpcRouter(
    {
      getLibrary: async () => ({ root: library, isSample: false }),
      chooseLibrary: async () => null,
      openSampleLibrary: async () => {
        throw new LongboxError('UNSUPPORTED', 'not in this test');
      },
      openPath: async (file) => {
        shellCalls.push(`open ${file}`);
      },
      revealPath: (file) => shellCalls.push(`reveal ${file}`),
    },
    { ipcMain, isAllowedUrl: allowOrigins([ORIGIN]) },
  );
  const WC_ID = 1;
  router.attachWindow({
    id: WC_ID,
    isDestroyed: () => page.isClosed(),
    send: (channel, payload) => {
      void page.evaluate(([c, json]) => (globalThis as unknown as { __longboxEmit?: (c: string, j: string) => void }).__longboxEmit?.(c, json), [channel, JSON.stringify(payload)] as const).catch(() => {});
    },
  });
  router.setService(service);

  await page.exposeBinding('__longboxInvoke', async (source, channel: string, json: string) => {
    const handler = ipcMain.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return JSON.stringify(await handler(eventFor(source, WC_ID), ...(JSON.parse(json) as unknown[])));
  });
  await page.exposeBinding('__longboxSend', async (source, channel: string, json: string) => {
    for (const listener of ipcMain.listeners.get(channel) ?? []) listener(eventFor(source, WC_ID), ...(JSON.parse(json) as unknown[]));
  });
  await page.addInitScript({ content: preloadCode });
  await page.addInitScript({ content: unwrapCode });

  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await page.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    // A same-origin page without the app's CSP (which forbids framing the app itself): the sub-frame test.
    if (url.pathname === '/frame.html') return route.fulfill({ status: 200, headers: { 'content-type': 'text/html' }, body: '<!doctype html><p>frame</p>' });
    const relative = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    const file = resolveAppFile(RENDERER, relative);
    if (!file || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    const headers: Record<string, string> = { 'content-type': contentTypeFor(file) ?? 'application/octet-stream' };
    if (file.endsWith('.html')) headers['content-security-policy'] = APP_CSP;
    return route.fulfill({ status: 200, headers, body: await readFile(file) });
  });
  await page.goto(`${ORIGIN}/index.html#/all`); // the app starts on Home; these tests read the All comics grid
  return { router, shellCalls, cspViolations };
}

const rows = (page: Page) => page.locator('[data-testid="results"] [role="option"]');

test('the renderer shows the library through the real preload and router (transport: test double)', async ({ page }) => {
  const { cspViolations, router } = await openApp(page);
  await expect(rows(page).first()).toBeVisible({ timeout: 30_000 });
  expect(await page.evaluate(() => Object.keys(window.longbox!).sort())).toContain('subscribe');
  const listing = await page.evaluate(() => window.__libraryApi!.listComics({ offset: 0, limit: 5, sort: 'series', order: 'asc' }));
  expect(listing.items.length).toBe(5);
  expect(listing.total).toBeGreaterThanOrEqual(150);
  expect(await page.evaluate(() => window.__libraryApi!.getLibrary())).toEqual({ root: library, isSample: false });
  expect(cspViolations).toEqual([]);
  router.dispose();
});

test('errors come back as LongboxError messages; bad arguments are BAD_REQUEST', async ({ page }) => {
  const { router } = await openApp(page);
  await expect(rows(page).first()).toBeVisible({ timeout: 30_000 });
  const outcome = (promise: string) =>
    page.evaluate(async (call) => {
      try {
        await (new Function('api', `return ${call}`) as (api: LibraryApi) => Promise<unknown>)(window.__libraryApi!);
        return null;
      } catch (error) {
        const e = error as { name?: string; code?: string; message?: string };
        return { isError: error instanceof Error, name: e.name, code: e.code, message: e.message };
      }
    }, promise);
  expect(await outcome('api.getComic(99999999)')).toMatchObject({ isError: true, name: 'LongboxError', code: 'NOT_FOUND' });
  expect(await outcome('api.getComic(-1)')).toMatchObject({ isError: true, code: 'BAD_REQUEST' });
  expect(await outcome("api.listComics({ offset: 0, limit: 100000, sort: 'series', order: 'asc' })")).toMatchObject({ code: 'BAD_REQUEST' });
  expect(await outcome('api.openSampleLibrary()')).toMatchObject({ code: 'UNSUPPORTED', message: 'not in this test' });
  router.dispose();
});

test('refresh() shows the rebuilding badge and clears it; events reach the page after it subscribed', async ({ page }) => {
  const { router } = await openApp(page);
  await expect(rows(page).first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('rebuild-badge')).toHaveAttribute('data-visible', 'false', { timeout: 30_000 });
  await page.evaluate(() => {
    window.__badgeSeen = false;
    const badge = document.querySelector('[data-testid="rebuild-badge"]')!;
    new MutationObserver(() => {
      if (badge.getAttribute('data-visible') === 'true') window.__badgeSeen = true;
    }).observe(badge, { attributes: true });
  });
  await page.evaluate(() => window.__libraryApi!.refresh());
  await expect.poll(() => page.evaluate(() => window.__badgeSeen), { timeout: 30_000 }).toBe(true);
  await expect(page.getByTestId('rebuild-badge')).toHaveAttribute('data-visible', 'false', { timeout: 60_000 });
  router.dispose();
});

test('a sub-frame of the app cannot call the library (FORBIDDEN), the main frame can', async ({ page }) => {
  const { router } = await openApp(page);
  await expect(rows(page).first()).toBeVisible({ timeout: 30_000 });
  const frameResult = await page.evaluate(async () => {
    const g = globalThis as unknown as { document: { createElement(t: string): { src: string; onload: () => void }; body: { appendChild(e: unknown): void } } };
    const iframe = g.document.createElement('iframe');
    await new Promise<void>((resolve) => {
      iframe.onload = () => resolve();
      iframe.src = '/frame.html';
      g.document.body.appendChild(iframe);
    });
    const child = (iframe as unknown as { contentWindow: { __libraryApi?: LibraryApi } }).contentWindow;
    try {
      await child.__libraryApi!.getStatus();
      return 'allowed';
    } catch (error) {
      return String((error as { code?: unknown }).code ?? error);
    }
  });
  expect(frameResult).toBe('FORBIDDEN');
  expect(await page.evaluate(() => window.__libraryApi!.getStatus().then((s) => s.is_populated))).toBe(true);
  router.dispose();
});
