// The specs' `test`: Playwright's, with a `host` fixture that owns what a test serves. Every library it
// generates and every `longbox serve` it starts is stopped and removed after the test, whatever the
// outcome; the host's output is printed when the test failed.
import path from 'node:path';
import { expect, test as base, type Page } from '@playwright/test';
import { makeLibrary, removeDir, serveLibrary, type GeneratedLibrary, type ServedLibrary, type ServeOptions } from './serve.js';
import { badge, resultCount, rows } from './ui.js';

export { expect };

export interface NewLibraryOptions extends Omit<ServeOptions, 'dataDir'> {
  files: number;
  broken?: number;
  seed?: number;
}

export interface Host {
  /** Serves a folder the test keeps; a fresh data dir (none given) is removed after the test. */
  serve(root: string, options?: ServeOptions): Promise<ServedLibrary>;
  /** Generates a fresh library and serves it; both are removed after the test. */
  serveNew(options: NewLibraryOptions): Promise<{ lib: GeneratedLibrary; server: ServedLibrary }>;
  /** Runs after the test, once the hosts are stopped (the last added first). */
  onCleanup(cleanup: () => Promise<void>): void;
}

export const test = base.extend<{ host: Host }>({
  // eslint-disable-next-line no-empty-pattern
  host: async ({}, use, testInfo) => {
    const servers: ServedLibrary[] = [];
    const cleanups: Array<() => Promise<void>> = [];
    const host: Host = {
      async serve(root, options = {}) {
        const server = await serveLibrary(root, options);
        servers.push(server);
        if (!options.dataDir) cleanups.push(() => removeDir(server.dataDir));
        return server;
      },
      async serveNew({ files, broken, seed, ...options }) {
        const lib = await makeLibrary({ files, broken, seed });
        cleanups.push(() => removeDir(path.dirname(lib.root)));
        return { lib, server: await host.serve(lib.root, options) };
      },
      onCleanup(cleanup) {
        cleanups.push(cleanup);
      },
    };
    await use(host);
    const failed = testInfo.status !== testInfo.expectedStatus;
    for (const server of servers) {
      if (failed) console.log(`host output:\n${server.output()}`);
      await server.stop();
    }
    for (const cleanup of cleanups.reverse()) await cleanup();
  },
});

/** Opens All comics (the app starts on Home) and waits for the first scan's `total` comics and rows. */
export async function openAllComics(page: Page, server: ServedLibrary, total: number): Promise<void> {
  await page.goto(`${server.url}#/all`);
  await expect(resultCount(page)).toHaveText(`${total} comics`, { timeout: 60_000 });
  await expect(rows(page).first()).toBeVisible();
}

/** A fresh library of `files` (+ `broken`) comics, served and shown in All comics once no rebuild runs. */
export async function openNewLibrary(page: Page, host: Host, options: NewLibraryOptions): Promise<{ lib: GeneratedLibrary; server: ServedLibrary; total: number }> {
  const { lib, server } = await host.serveNew(options);
  const total = options.files + (options.broken ?? 0);
  await openAllComics(page, server, total);
  await expect(badge(page)).toBeHidden();
  return { lib, server, total };
}
