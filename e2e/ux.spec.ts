// Desktop feel in Chromium against `longbox serve`: icons, layout at three window sizes, sorting that
// matches what is shown, problems in words, feedback for Refresh, accessibility (axe).
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { makeLibrary, removeDir, serveLibrary, type ServedLibrary } from './helpers/serve.js';
import { badge, resultCount, rows } from './helpers/ui.js';

let server: ServedLibrary | null = null;
const cleanups: Array<() => Promise<void>> = [];

// eslint-disable-next-line no-empty-pattern
test.afterEach(async ({}, testInfo) => {
  if (server && testInfo.status !== testInfo.expectedStatus) console.log(`host output:\n${server.output()}`);
  await server?.stop();
  server = null;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function openLibrary(page: Page, files: number, options: { broken?: number; watch?: boolean } = {}) {
  const lib = await makeLibrary({ files, broken: options.broken ?? 0 });
  server = await serveLibrary(lib.root, { watch: options.watch });
  const { dataDir } = server;
  cleanups.push(() => removeDir(path.dirname(lib.root)), () => removeDir(dataDir));
  await page.goto(server.url);
  const total = files + (options.broken ?? 0);
  await expect(resultCount(page)).toHaveText(`${total} comics`, { timeout: 60_000 });
  await expect(rows(page).first()).toBeVisible();
  await expect(badge(page)).toBeHidden();
  return { lib, server, total };
}

function apiUrl(served: ServedLibrary, pathAndQuery: string): string {
  return `${new URL(served.url).origin}${pathAndQuery}`;
}

test('the page has an icon: /favicon.ico and the SVG the page links', async ({ page }) => {
  const { server: served } = await openLibrary(page, 4);
  const ico = await page.request.get(apiUrl(served, '/favicon.ico'));
  expect(ico.status()).toBe(200);
  expect(ico.headers()['content-type']).toBe('image/x-icon');
  const href = await page.locator('link[rel="icon"][type="image/svg+xml"]').getAttribute('href');
  expect(href).toBeTruthy();
  const svg = await page.request.get(new URL(href!, page.url()).href);
  expect(svg.status()).toBe(200);
  expect(svg.headers()['content-type']).toBe('image/svg+xml');
});
