import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LibraryServiceOptions } from './library/service-options.js';
import type { LibraryServiceApi } from './library/service-types.js';
import { LibraryController, SAMPLE_FOLDER, type LibraryControllerDeps } from './library-controller.js';
import { SettingsStore } from './settings.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'longbox-controller-'));
  await mkdir(path.join(dir, 'comics-a'));
  await mkdir(path.join(dir, 'comics-b'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function fakeService(root: string): LibraryServiceApi {
  return { root, close: vi.fn(async () => {}) } as unknown as LibraryServiceApi;
}

async function setup(overrides: Partial<LibraryControllerDeps> = {}) {
  const userData = path.join(dir, 'userData');
  const settings = await SettingsStore.load(path.join(userData, 'settings.json'));
  const opened: LibraryServiceOptions[] = [];
  const services: LibraryServiceApi[] = [];
  const onChange = vi.fn();
  const deps: LibraryControllerDeps = {
    userData,
    openService: vi.fn(async (options: LibraryServiceOptions) => {
      opened.push(options);
      const service = fakeService(options.root);
      services.push(service);
      return service;
    }),
    dataDirFor: (root) => path.join(userData, 'libraries', path.basename(root)),
    chooseFolder: vi.fn(async () => path.join(dir, 'comics-b')),
    generateSample: vi.fn(async (out: string) => {
      await writeFile(path.join(out, 'Sample 001.cbz'), 'PK');
    }),
    settings,
    serviceOptions: { nativeBinding: '/cache/better_sqlite3.node' },
    onChange,
    ...overrides,
  };
  return { controller: new LibraryController(deps), deps, opened, services, settings, onChange, userData };
}

describe('LibraryController', () => {
  it('first run: no library until one is chosen', async () => {
    const { controller } = await setup();
    expect(await controller.restore(null)).toBeNull();
    expect(await controller.getLibrary()).toBeNull();
    expect(controller.service).toBeNull();
  });

  it('opens a folder with its own data dir and the service options, and remembers it', async () => {
    const { controller, opened, settings, onChange, userData } = await setup();
    const root = path.join(dir, 'comics-a');
    expect(await controller.openRoot(root)).toEqual({ root, isSample: false });
    expect(opened).toEqual([{ root, dataDir: path.join(userData, 'libraries', 'comics-a'), nativeBinding: '/cache/better_sqlite3.node' }]);
    expect(settings.get().lastLibraryRoot).toBe(root);
    expect(onChange).toHaveBeenCalledWith(controller.service, { root, isSample: false });
    // Same root again: no second service.
    await controller.openRoot(root);
    expect(opened.length).toBe(1);
  });

  it('restores the remembered library; a command-line folder wins', async () => {
    const first = await setup();
    await first.controller.openRoot(path.join(dir, 'comics-a'));
    const second = await setup();
    expect(await second.controller.restore(null)).toEqual({ root: path.join(dir, 'comics-a'), isSample: false });
    const third = await setup();
    expect(await third.controller.restore(path.join(dir, 'comics-b'))).toEqual({ root: path.join(dir, 'comics-b'), isSample: false });
  });

  it('a remembered library that is gone leaves the app on the welcome screen', async () => {
    const { controller, settings } = await setup();
    await settings.update({ lastLibraryRoot: path.join(dir, 'unplugged-drive') });
    expect(await controller.restore(null)).toBeNull();
    await expect(controller.openRoot(path.join(dir, 'missing'))).rejects.toMatchObject({ code: 'ROOT_UNREADABLE' });
  });

  it('switching closes the old service after the new one is open; a failed open keeps the old one', async () => {
    const { controller, services, deps } = await setup();
    await controller.openRoot(path.join(dir, 'comics-a'));
    const chosen = await controller.chooseLibrary();
    expect(chosen?.root).toBe(path.join(dir, 'comics-b'));
    expect(services[0].close).toHaveBeenCalledTimes(1);
    expect(controller.service).toBe(services[1]);
    vi.mocked(deps.openService).mockRejectedValueOnce(Object.assign(new Error('database from the future'), { code: 'DB_FROM_FUTURE' }));
    await expect(controller.openRoot(path.join(dir, 'comics-a'))).rejects.toThrow('database from the future');
    expect(controller.service).toBe(services[1]);
    expect(services[1].close).not.toHaveBeenCalled();
  });

  it('a cancelled dialog changes nothing', async () => {
    const { controller, deps } = await setup({ chooseFolder: vi.fn(async () => null) });
    expect(await controller.chooseLibrary()).toBeNull();
    expect(deps.openService).not.toHaveBeenCalled();
  });

  it('concurrent switches are serialised: one service at a time, the last one wins', async () => {
    const { controller, services } = await setup();
    const results = await Promise.all([
      controller.openRoot(path.join(dir, 'comics-a')),
      controller.openRoot(path.join(dir, 'comics-b')),
      controller.openRoot(path.join(dir, 'comics-a')),
    ]);
    expect(results.map((info) => path.basename(info.root))).toEqual(['comics-a', 'comics-b', 'comics-a']);
    expect(services.length).toBe(3);
    expect(services.filter((service) => vi.mocked(service.close).mock.calls.length === 0)).toEqual([controller.service]);
  });

  it('generates the sample library once, into place atomically, and marks it as the sample', async () => {
    const { controller, deps, userData } = await setup();
    const info = await controller.openSample();
    expect(info).toEqual({ root: path.join(userData, SAMPLE_FOLDER), isSample: true });
    expect(existsSync(path.join(userData, SAMPLE_FOLDER, 'Sample 001.cbz'))).toBe(true);
    expect(existsSync(path.join(userData, `${SAMPLE_FOLDER}.partial`))).toBe(false);
    await controller.openRoot(path.join(dir, 'comics-a'));
    await controller.openSample();
    expect(deps.generateSample).toHaveBeenCalledTimes(1);
  });

  it('a failed sample generation leaves nothing half-made behind', async () => {
    const { controller, userData } = await setup({ generateSample: vi.fn(async () => Promise.reject(new Error('disk full'))) });
    await expect(controller.openSample()).rejects.toThrow('disk full');
    expect(existsSync(path.join(userData, SAMPLE_FOLDER))).toBe(false);
    expect(existsSync(path.join(userData, `${SAMPLE_FOLDER}.partial`))).toBe(false);
  });

  it('close() closes the service once and refuses later opens', async () => {
    const { controller, services } = await setup();
    await controller.openRoot(path.join(dir, 'comics-a'));
    await controller.close();
    await controller.close();
    expect(services[0].close).toHaveBeenCalledTimes(1);
    expect(controller.service).toBeNull();
    await expect(controller.openRoot(path.join(dir, 'comics-b'))).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
