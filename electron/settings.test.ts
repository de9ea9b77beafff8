import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, DEFAULT_WINDOW, SettingsStore, restoreBounds } from './settings.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'longbox-settings-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('SettingsStore', () => {
  it('starts from defaults, persists updates atomically (no temp files left), reloads them', async () => {
    const file = path.join(dir, 'nested', 'settings.json');
    const store = await SettingsStore.load(file);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    void store.update({ lastLibraryRoot: '/comics/a' });
    void store.update({ window: { x: 10, y: 20, width: 1000, height: 700, maximized: false } });
    await store.update({ lastLibraryRoot: '/comics/b' });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      lastLibraryRoot: '/comics/b',
      window: { x: 10, y: 20, width: 1000, height: 700, maximized: false },
    });
    expect((await readdir(path.dirname(file))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    const again = await SettingsStore.load(file);
    expect(again.get().lastLibraryRoot).toBe('/comics/b');
  });

  it('a damaged or hostile file means defaults for the bad parts, never a crash', async () => {
    const file = path.join(dir, 'settings.json');
    await writeFile(file, '{ not json');
    expect((await SettingsStore.load(file)).get()).toEqual(DEFAULT_SETTINGS);
    await writeFile(file, JSON.stringify({ lastLibraryRoot: 42, window: { width: 'wide' }, __proto__: { polluted: true } }));
    const store = await SettingsStore.load(file);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    await writeFile(file, JSON.stringify({ lastLibraryRoot: '/ok', window: { width: 50, height: 50, maximized: false } }));
    expect((await SettingsStore.load(file)).get()).toEqual({ lastLibraryRoot: '/ok', window: null });
  });
});

describe('restoreBounds', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1040 }];

  it('uses defaults without saved state', () => {
    expect(restoreBounds(null, screen)).toEqual(DEFAULT_WINDOW);
  });

  it('keeps saved bounds that are on a display', () => {
    expect(restoreBounds({ x: 100, y: 50, width: 1200, height: 800, maximized: false }, screen)).toEqual({ x: 100, y: 50, width: 1200, height: 800 });
  });

  it('drops the position when the display it was on is gone, and shrinks to fit', () => {
    expect(restoreBounds({ x: 3000, y: 100, width: 1200, height: 800, maximized: false }, screen)).toEqual({ width: 1200, height: 800 });
    expect(restoreBounds({ x: 0, y: 0, width: 4000, height: 3000, maximized: true }, screen)).toEqual({ x: 0, y: 0, width: 1920, height: 1040 });
  });
});
