import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ReaderSettings } from '../../../shared/types.js';
import { listBackups } from './backups.js';
import { USER_MIGRATIONS, type UserMigration } from './user-migrations.js';
import { applyPatch, type ComicIdentity } from './comic-state.js';
import { openUserStore, type UserStore, type UserStoreOptions } from './user-store.js';
import { closeAfterEach } from '../testing/close-after-each.js';
import { tempDirForEach } from '../testing/temp-dir.js';

let dir: string;
const stores: UserStore[] = [];

tempDirForEach('lb-user-', (made) => (dir = made));
closeAfterEach({ services: stores });

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
    const latest = USER_MIGRATIONS.at(-1)!.version;
    const next: UserMigration = { version: latest + 1, up: (db) => db.exec('ALTER TABLE comic_state ADD COLUMN rating INTEGER') };
    const store = await open({ migrations: [...USER_MIGRATIONS, next] });
    const migration = store.backups().filter((b) => b.kind === 'migration');
    expect(migration).toHaveLength(1);
    const copy = new Database(migration[0]!.file, { readonly: true });
    expect(copy.pragma('user_version', { simple: true })).toBe(latest);
    expect(copy.prepare('SELECT read FROM comic_state WHERE fingerprint = ?').get('fp1')).toEqual({ read: 1 });
    copy.close();
    expect(store.getState('fp1').read).toBe(true);
    expect(store.db.pragma('user_version', { simple: true })).toBe(latest + 1);
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

  it('a bulk update of 500 is one transaction: a failure part-way writes nothing', async () => {
    const store = await open();
    const many = Array.from({ length: 500 }, (_, i) => comic(i + 1));
    store.db.exec(`CREATE TEMP TRIGGER fail_at_300 BEFORE INSERT ON main.comic_state WHEN NEW.fingerprint = 'fp300' BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    expect(() => store.updateStates(many, { read: true })).toThrow(/disk says no/);
    expect(store.allStates()).toEqual([]);
    store.db.exec('DROP TRIGGER fail_at_300');
    store.updateStates(many, { read: true });
    expect(store.allStates().filter((s) => s.read)).toHaveLength(500);
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

describe('user.db: damaged, truncated or missing at open', () => {
  async function withBackup(): Promise<void> {
    const store = await open();
    for (let i = 1; i <= 200; i++) store.updateState(comic(i), { read: true, lastPage: i });
    store.setReaderSettings('saga', SETTINGS);
    await close(store); // writes → a 'session' backup
  }
  const userDb = () => path.join(dir, 'user.db');
  function checkpoint(): void {
    const db = new Database(userDb());
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  }

  it('truncated to half its size → restored from the newest backup, the damaged file kept, a notice', async () => {
    await withBackup();
    checkpoint();
    const size = fs.statSync(userDb()).size;
    fs.truncateSync(userDb(), Math.floor(size / 2));
    const store = await open();
    expect(store.notice?.message).toMatch(/was damaged .* restored from the backup of .* kept as user\.db\.corrupt-\d+/);
    expect(store.getState('fp200')).toMatchObject({ read: true, lastPage: 200 });
    expect(store.getReaderSettings('saga')).toEqual(SETTINGS);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('user.db.corrupt-'))).toHaveLength(1);
  });

  it('missing (deleted) while backups exist → restored, and the notice says it was missing', async () => {
    await withBackup();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(userDb() + suffix, { force: true });
    const store = await open();
    expect(store.notice?.message).toMatch(/was missing\. It was restored from the backup of/);
    expect(store.getState('fp1')).toMatchObject({ read: true, lastPage: 1 });
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('user.db.corrupt-'))).toEqual([]);
  });

  it('changes after the backup that the damaged file still holds are merged back', async () => {
    await withBackup();
    const later = await open({ now: () => Date.now() + 60_000 });
    later.updateState(comic(1), { lastPage: 999 });
    // Close without the session backup: the newest backup lacks this change.
    later.db.pragma('wal_checkpoint(TRUNCATE)');
    later.db.close();
    stores.splice(stores.indexOf(later), 1);
    // Damage a page that is not comic_state's: the state rows stay readable.
    const db = new Database(userDb());
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const settingsPage = (db.prepare(`SELECT pageno FROM dbstat WHERE name = 'series_settings'`).get() as { pageno: number }).pageno;
    db.close();
    const fd = fs.openSync(userDb(), 'r+');
    fs.writeSync(fd, Buffer.alloc(pageSize, 0xee), 0, pageSize, (settingsPage - 1) * pageSize);
    fs.closeSync(fd);
    const store = await open();
    expect(store.notice?.message).toMatch(/restored from the backup of .* 1 newer change\(s\) were recovered from the damaged file/);
    expect(store.getState('fp1').lastPage).toBe(999);
    expect(store.getState('fp2').lastPage).toBe(2);
  });

  it('garbage and no backup → an empty user.db and a notice that nothing could be recovered', async () => {
    fs.writeFileSync(userDb(), Buffer.alloc(8192, 0x33));
    const store = await open();
    expect(store.notice?.message).toMatch(/No backup was available and nothing could be recovered/);
    expect(store.allStates()).toEqual([]);
    store.updateState(comic(1), { read: true });
    expect(store.getState('fp1').read).toBe(true);
  });
});
