import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReaderSettings } from '../../../shared/types.js';
import { listBackups } from './backups.js';
import { USER_MIGRATIONS, type UserMigration } from './user-migrations.js';
import { applyPatch, openUserStore, type ComicIdentity, type UserStore, type UserStoreOptions } from './user-store.js';

let dir: string;
const stores: UserStore[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-user-'));
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

async function open(options: Partial<UserStoreOptions> = {}): Promise<UserStore> {
  const store = await openUserStore({ dir, backupTimer: false, ...options });
  stores.push(store);
  return store;
}

async function close(store: UserStore): Promise<void> {
  stores.splice(stores.indexOf(store), 1);
  await store.close();
}

const comic = (n: number, root = '/lib'): ComicIdentity => ({
  fingerprint: `fp${n}`,
  root,
  path: `Saga/Saga ${String(n).padStart(3, '0')}.cbz`,
  series: 'Saga',
  number: String(n),
});

const SETTINGS: ReaderSettings = { mode: 'double', direction: 'rtl', fit: 'height', zoom: 1.5 };

describe('user.db: opening', () => {
  it('creates user.db with the schema, in WAL mode with synchronous=FULL, and takes a first daily backup', async () => {
    const store = await open();
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(store.db.pragma('user_version', { simple: true })).toBe(USER_MIGRATIONS.at(-1)!.version);
    const tables = (store.db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name);
    expect(tables).toEqual(['comic_state', 'meta', 'series_settings']);
    expect(store.backups().map((b) => b.kind)).toEqual(['daily']);
    expect(store.notice).toBeNull();
  });

  it('refuses a user.db from a newer Longbox and leaves it untouched', async () => {
    const file = path.join(dir, 'user.db');
    const db = new Database(file);
    db.pragma('user_version = 999');
    db.close();
    const before = fs.readFileSync(file);
    await expect(open()).rejects.toMatchObject({ code: 'DB_FROM_FUTURE' });
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('takes a migration backup before running a new migration on a file with data', async () => {
    const first = await open();
    first.updateState(comic(1), { read: true });
    await close(first);
    const v2: UserMigration = { version: 2, up: (db) => db.exec('ALTER TABLE comic_state ADD COLUMN rating INTEGER') };
    const store = await open({ migrations: [...USER_MIGRATIONS, v2] });
    const migration = store.backups().filter((b) => b.kind === 'migration');
    expect(migration).toHaveLength(1);
    const copy = new Database(migration[0]!.file, { readonly: true });
    expect(copy.pragma('user_version', { simple: true })).toBe(1);
    expect(copy.prepare('SELECT read FROM comic_state WHERE fingerprint = ?').get('fp1')).toEqual({ read: 1 });
    copy.close();
    expect(store.getState('fp1').read).toBe(true);
    expect(store.db.pragma('user_version', { simple: true })).toBe(2);
  });
});

describe('user.db: comic state', () => {
  it('merges a patch into the stored state, field by field', async () => {
    const store = await open({ now: () => 1000 });
    expect(store.getState('fp1')).toEqual({ read: false, lastPage: null, favourite: false, lastReadAt: null });
    expect(store.updateState(comic(1), { lastPage: 4 })).toEqual({ read: false, lastPage: 4, favourite: false, lastReadAt: 1000 });
    expect(store.updateState(comic(1), { favourite: true })).toEqual({ read: false, lastPage: 4, favourite: true, lastReadAt: 1000 });
    expect(store.getState('fp1')).toEqual({ read: false, lastPage: 4, favourite: true, lastReadAt: 1000 });
    expect(store.getStored('fp1')).toMatchObject({ lastRoot: '/lib', lastPath: 'Saga/Saga 001.cbz', lastSeries: 'Saga', lastNumber: '1', updatedAt: 1000 });
  });

  it('last_read_at moves when the page moves or the comic becomes read, not on a favourite or an unread mark', () => {
    const base = { read: false, lastPage: 3, favourite: false, lastReadAt: 10 };
    expect(applyPatch(base, { lastPage: 4 }, 20).lastReadAt).toBe(20);
    expect(applyPatch(base, { lastPage: 3 }, 20).lastReadAt).toBe(10);
    expect(applyPatch(base, { read: true }, 20).lastReadAt).toBe(20);
    expect(applyPatch({ ...base, read: true }, { read: false }, 20).lastReadAt).toBe(10);
    expect(applyPatch(base, { favourite: true }, 20).lastReadAt).toBe(10);
    expect(applyPatch(base, { lastPage: null }, 20)).toMatchObject({ lastPage: null, lastReadAt: 10 });
  });

  it('updates many comics in one transaction', async () => {
    const store = await open();
    const states = store.updateStates([comic(1), comic(2), comic(3)], { read: true });
    expect(states.every((s) => s.read)).toBe(true);
    expect(store.allStates().map((s) => s.fingerprint)).toEqual(['fp1', 'fp2', 'fp3']);
  });

  it('two connections (two hosts) writing different fields of one comic keep both (read-modify-write in one transaction)', async () => {
    const a = await open();
    const b = await open({ dir });
    for (let i = 0; i < 50; i++) {
      a.updateState(comic(1), { lastPage: i });
      b.updateState(comic(1), { favourite: i % 2 === 0 });
    }
    a.updateState(comic(1), { read: true });
    expect(b.getState('fp1')).toMatchObject({ read: true, lastPage: 49, favourite: false });
  });
});

describe('user.db: reader settings', () => {
  it('answers null for a series never saved, then the saved settings; a second save replaces them', async () => {
    const store = await open();
    expect(store.getReaderSettings('saga')).toBeNull();
    store.setReaderSettings('saga', SETTINGS);
    expect(store.getReaderSettings('saga')).toEqual(SETTINGS);
    store.setReaderSettings('saga', { ...SETTINGS, zoom: 2 });
    expect(store.getReaderSettings('saga')).toEqual({ ...SETTINGS, zoom: 2 });
    expect(store.getReaderSettings('other')).toBeNull();
  });

  it('refuses invalid settings and stores nothing', async () => {
    const store = await open();
    expect(() => store.setReaderSettings('saga', { ...SETTINGS, mode: 'triple' } as unknown as ReaderSettings)).toThrow();
    expect(store.getReaderSettings('saga')).toBeNull();
  });

  it('survives closing and reopening', async () => {
    const first = await open();
    first.setReaderSettings('saga', SETTINGS);
    await close(first);
    expect((await open()).getReaderSettings('saga')).toEqual(SETTINGS);
  });

  it('a stored row that no longer validates reads as null (defaults), not as a crash', async () => {
    const store = await open();
    store.db.prepare('INSERT INTO series_settings (series_key, settings, updated_at) VALUES (?, ?, ?)').run('old', '{"mode":"scroll"}', 1);
    expect(store.getReaderSettings('old')).toBeNull();
  });
});

describe('user.db: backups rotate', () => {
  it('keeps the newest N of each kind', async () => {
    let now = Date.UTC(2026, 0, 1);
    const store = await open({ now: () => now, keep: { daily: 3, prune: 2 } });
    for (let day = 1; day <= 6; day++) {
      now += 24 * 60 * 60 * 1000;
      store.updateState(comic(day), { read: true });
      expect(await store.backupIfDue()).not.toBeNull();
      expect(await store.backupIfDue()).toBeNull(); // not due again the same day
    }
    for (let i = 0; i < 4; i++) await store.backupNow('prune');
    const backups = listBackups(store.backupsDir);
    expect(backups.filter((b) => b.kind === 'daily').map((b) => new Date(b.at).getUTCDate())).toEqual([7, 6, 5]);
    expect(backups.filter((b) => b.kind === 'prune')).toHaveLength(2);
    // Each backup is a complete, self-contained database as of its moment.
    const newest = new Database(backups.find((b) => b.kind === 'daily')!.file, { readonly: true });
    expect(newest.pragma('journal_mode', { simple: true })).toBe('delete');
    expect((newest.prepare('SELECT count(*) AS n FROM comic_state').get() as { n: number }).n).toBe(6);
    newest.close();
    expect(fs.readdirSync(store.backupsDir).filter((n) => n.includes('.partial'))).toEqual([]);
  });
});
