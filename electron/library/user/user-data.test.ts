// The user's data through the real LibraryService (its worker, library.db, user.db): the move from a
// library.db made by the schema before user.db, library.db deleted or corrupt, user.db corrupt,
// export/import, orphans, a full disk.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ComicQuery, ComicSummary, ReaderSettings } from '../../../shared/types.js';
import { openLibraryService, type LibraryService } from '../library-service.js';
import type { LibraryServiceOptions } from '../service-options.js';
import { closeAfterEach } from '../testing/close-after-each.js';
import { writeLibrary } from '../testing/fixtures.js';
import { libraryDirsIn } from '../testing/library-dirs.js';
import { tempDirForEach } from '../testing/temp-dir.js';
import { writeSchema10LibraryDb } from '../testing/schema-10-library-db.js';
import { listBackups } from './backups.js';

const ALL: ComicQuery = { offset: 0, limit: 500, sort: 'file', order: 'asc' };
const SETTINGS: ReaderSettings = { mode: 'webtoon', direction: 'ltr', fit: 'width', zoom: 1 };

let dir: string;
let root: string;
let dataDir: string;
let home: string;
const services: LibraryService[] = [];

tempDirForEach('lb-userdata-', (made) => {
  ({ dir, root, home } = libraryDirsIn(made));
  dataDir = path.join(home, 'libraries', 'one');
});
closeAfterEach({ services });

async function start(options: Partial<LibraryServiceOptions> = {}): Promise<LibraryService> {
  const service = await openLibraryService({ root, dataDir, userDataDir: home, watch: false, concurrency: 2, prefetchCovers: false, ...options });
  services.push(service);
  return service;
}
async function stop(service: LibraryService): Promise<void> {
  services.splice(services.indexOf(service), 1);
  await service.close();
}
async function scanned(options: Partial<LibraryServiceOptions> = {}): Promise<LibraryService> {
  const service = await start(options);
  await service.listComics(ALL);
  await service.whenIdle();
  return service;
}
const byPath = async (service: LibraryService): Promise<Map<string, ComicSummary>> =>
  new Map((await service.listComics(ALL)).items.map((c) => [c.path, c]));

describe('the move from library.db (schema 10) to user.db', () => {
  it('moves every user_state row once, keeps them through a library.db delete, and leaves library.db without user data', async () => {
    const paths = writeLibrary(root, 6);
    // Today's rows (ids, fingerprints) from a scan, written into a schema-10 file beside old user_state.
    const first = await scanned();
    const current = new Database(path.join(dataDir, 'library.db'), { readonly: true });
    const rows = current.prepare('SELECT * FROM comics ORDER BY id').all() as Array<Record<string, unknown>>;
    current.close();
    await stop(first);
    fs.rmSync(home, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true });
    const fp = (p: string) => String(rows.find((r) => r.path === p)!.fingerprint);
    writeSchema10LibraryDb(path.join(dataDir, 'library.db'), rows, [
      { fingerprint: fp(paths[0]!), read: true, lastPage: 21, favourite: false, updatedAt: 1_700_000_000_000 },
      { fingerprint: fp(paths[1]!), read: false, lastPage: 5, favourite: true, updatedAt: 1_700_000_001_000 },
      { fingerprint: 'gone-comic', read: true, lastPage: null, favourite: false, updatedAt: 1_700_000_002_000 },
    ]);

    const service = await start({ rebuildOnOpen: false });
    const listed = await byPath(service);
    expect(listed.get(paths[0]!)).toMatchObject({ read: true, lastPage: 21 });
    expect(listed.get(paths[1]!)).toMatchObject({ read: false, lastPage: 5 });
    expect((await service.getComic(listed.get(paths[1]!)!.id)).userState).toEqual({ read: false, lastPage: 5, favourite: true, lastReadAt: 1_700_000_001_000 });
    await stop(service);

    const lib = new Database(path.join(dataDir, 'library.db'), { readonly: true });
    const tables = (lib.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).all() as Array<{ name: string }>).map((t) => t.name);
    expect(lib.pragma('user_version', { simple: true })).toBe(12);
    lib.close();
    expect(tables).not.toContain('user_state');
    expect(tables).not.toContain('legacy_user_state');
    const user = new Database(path.join(home, 'user.db'), { readonly: true });
    expect((user.prepare('SELECT count(*) AS n FROM comic_state').get() as { n: number }).n).toBe(3); // the gone comic's state is kept too
    user.close();

    // library.db is now purely derived: deleting it loses nothing.
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(dataDir, 'library.db' + suffix), { force: true });
    const again = await scanned();
    expect((await byPath(again)).get(paths[0]!)).toMatchObject({ read: true, lastPage: 21 });
  });

  it('a crash after the copy and before the drop repeats the copy without undoing newer state', async () => {
    const [p0] = writeLibrary(root, 2);
    const service = await scanned();
    const comic = (await byPath(service)).get(p0!)!;
    await service.setUserState(comic.id, { lastPage: 9 });
    await stop(service);
    // The old table is back with an older value, as if the drop never ran.
    const lib = new Database(path.join(dataDir, 'library.db'));
    lib.exec('CREATE TABLE legacy_user_state (fingerprint TEXT PRIMARY KEY, read INTEGER NOT NULL DEFAULT 0, last_page INTEGER, favourite INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL) STRICT');
    lib.prepare('INSERT INTO legacy_user_state VALUES (?, 1, 2, 0, 1)').run(comic.fingerprint);
    lib.close();
    const reopened = await start({ rebuildOnOpen: false });
    expect((await reopened.getComic(comic.id)).userState).toMatchObject({ lastPage: 9, read: false });
  });

  it('a schema-10 library.db whose comics pages are damaged: its read state is salvaged before the cache is rebuilt', async () => {
    const [p0] = writeLibrary(root, 3);
    const first = await scanned();
    const c0 = (await byPath(first)).get(p0!)!;
    const current = new Database(path.join(dataDir, 'library.db'), { readonly: true });
    // Long summaries: the comics table spans many pages, apart from user_state's.
    const rows = (current.prepare('SELECT * FROM comics ORDER BY id').all() as Array<Record<string, unknown>>).map((r) => ({ ...r, summary: 's'.repeat(3000) }));
    current.close();
    await stop(first);
    fs.rmSync(home, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, 'library.db');
    writeSchema10LibraryDb(file, rows, [{ fingerprint: c0.fingerprint, read: true, lastPage: 3, favourite: true, updatedAt: 5 }]);
    const db = new Database(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const comicPages = (db.prepare(`SELECT pageno FROM dbstat WHERE name = 'comics'`).all() as Array<{ pageno: number }>).map((r) => r.pageno);
    db.close();
    const fd = fs.openSync(file, 'r+');
    for (const page of comicPages) fs.writeSync(fd, Buffer.alloc(pageSize, 0xff), 0, pageSize, (page - 1) * pageSize);
    fs.closeSync(fd);

    const service = await scanned();
    expect((await service.listComics(ALL)).total).toBe(3);
    expect(fs.readdirSync(dataDir).some((n) => n.startsWith('library.db.corrupt-'))).toBe(true);
    expect((await service.getComic(c0.id)).userState).toMatchObject({ read: true, lastPage: 3, favourite: true });
  });
});

describe('bulk read state and the Home shelves over user.db', () => {
  it('a series marked read and unread; unread forgets the page, keeps the favourite; Continue Reading follows last_read_at', async () => {
    const paths = writeLibrary(root, 10); // Series 0 … Series 4, two issues each
    const service = await scanned();
    const listed = await byPath(service);
    const c0 = listed.get(paths[0]!)!;
    await service.setUserState(c0.id, { lastPage: 7, favourite: true });
    expect((await service.getHome()).continue.map((c) => c.id)).toEqual([c0.id]);
    const result = await service.setReadState({ series: c0.seriesKey, read: true });
    expect(result).toEqual({ count: 2, read: true });
    expect((await service.getComic(c0.id)).userState).toMatchObject({ read: true, lastPage: 7, favourite: true });
    expect((await service.getHome()).continue).toEqual([]);
    expect((await service.listSeries({ offset: 0, limit: 10, sort: 'name', order: 'asc' })).items.find((s) => s.key === c0.seriesKey)?.unread_count).toBe(0);
    await service.setReadState({ ids: [c0.id], read: false });
    expect((await service.getComic(c0.id)).userState).toMatchObject({ read: false, lastPage: null, favourite: true });
    await stop(service);
    const row = new Database(path.join(home, 'user.db'), { readonly: true });
    expect(row.prepare('SELECT last_root, last_path FROM comic_state WHERE fingerprint = ?').get(c0.fingerprint)).toEqual({ last_root: root, last_path: paths[0] });
    row.close();
  });
});

describe('library.db damaged or deleted after the move', () => {
  it('bytes of library.db overwritten → rebuilt; every read mark and page position intact', async () => {
    const paths = writeLibrary(root, 8);
    const service = await scanned();
    const listed = await byPath(service);
    for (const [i, p] of paths.entries()) await service.setUserState(listed.get(p)!.id, { read: i % 2 === 0, lastPage: i });
    await stop(service);
    const file = path.join(dataDir, 'library.db');
    const db = new Database(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(size, 0x5a), 0, size, 0);
    fs.closeSync(fd);
    const rebuilt = await scanned();
    const after = await byPath(rebuilt);
    for (const [i, p] of paths.entries()) expect(after.get(p)).toMatchObject({ read: i % 2 === 0, lastPage: i });
  });
});

describe('user.db damaged', () => {
  it('garbage user.db → the newest backup is restored, the damaged file kept, the status says so', async () => {
    const [p0, p1] = writeLibrary(root, 3);
    const service = await scanned();
    const listed = await byPath(service);
    await service.setUserState(listed.get(p0!)!.id, { read: true, lastPage: 2 });
    await service.setReaderSettings('series 0', SETTINGS);
    await stop(service); // a session with writes ends with a backup
    expect(listBackups(path.join(home, 'user-backups')).map((b) => b.kind)).toContain('session');
    const garbage = Buffer.alloc(16384, 0x42);
    for (const suffix of ['-wal', '-shm']) fs.rmSync(path.join(home, 'user.db' + suffix), { force: true });
    fs.writeFileSync(path.join(home, 'user.db'), garbage);

    const restored = await start({ rebuildOnOpen: false });
    const notice = restored.getStatus().user_data_notice;
    expect(notice?.message).toMatch(/damaged.*restored from the backup of/);
    const aside = fs.readdirSync(home).filter((n) => n.startsWith('user.db.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(notice?.message).toContain(aside[0]);
    expect(fs.readFileSync(path.join(home, aside[0]!)).equals(garbage)).toBe(true);
    const after = await byPath(restored);
    expect(after.get(p0!)).toMatchObject({ read: true, lastPage: 2 });
    expect(after.get(p1!)).toMatchObject({ read: false, lastPage: null });
    expect(await restored.getReaderSettings('series 0')).toEqual(SETTINGS);
  });
});

describe('export → wipe → rescan → import', () => {
  it('gives back the same state; a second import writes nothing', async () => {
    writeLibrary(root, 10);
    const service = await scanned();
    const listed = [...(await byPath(service)).values()];
    for (const [i, c] of listed.entries()) {
      if (i % 3 === 0) await service.setUserState(c.id, { read: true });
      if (i % 3 === 1) await service.setUserState(c.id, { lastPage: i, favourite: true });
    }
    await service.setReaderSettings('series 1', SETTINGS);
    const exported = await service.exportUserState();
    await stop(service);
    expect(exported.comics).toHaveLength(7);

    fs.rmSync(home, { recursive: true, force: true });
    const fresh = await scanned();
    expect((await fresh.listComics(ALL)).items.every((c) => !c.read && c.lastPage === null)).toBe(true);
    const report = await fresh.importUserState(JSON.parse(JSON.stringify(exported)));
    expect(report).toMatchObject({ entries: 7, byFingerprint: 7, byName: 0, unmatched: 0, written: 7, skippedOlder: 0, seriesSettings: 1 });
    const again = await fresh.exportUserState();
    expect({ ...again, exportedAt: '' }).toEqual({ ...exported, exportedAt: '' });
    expect(await fresh.importUserState(exported)).toMatchObject({ written: 0, skippedOlder: 7 });
    expect(await fresh.getReaderSettings('series 1')).toEqual(SETTINGS);
    expect(listBackups(path.join(home, 'user-backups')).some((b) => b.kind === 'import')).toBe(true);
  });

  it('falls back to path, then series + number, when fingerprints differ (files re-encoded elsewhere)', async () => {
    const paths = writeLibrary(root, 4);
    const service = await scanned();
    const listed = await byPath(service);
    const doc = await service.exportUserState();
    const entry = (p: string, fingerprint: string, patch: Record<string, unknown>) => ({
      fingerprint,
      path: p,
      series: listed.get(paths[0]!)!.series,
      number: null,
      read: true,
      lastPage: 7,
      favourite: false,
      lastReadAt: 10,
      updatedAt: 10,
      present: true,
      ...patch,
    });
    const c2 = listed.get(paths[2]!)!;
    const report = await service.importUserState({
      ...doc,
      comics: [
        entry(paths[0]!, 'other-machine-1', {}),
        entry('elsewhere/renamed.cbz', 'other-machine-2', { series: c2.series, number: `00${c2.number}` }),
        entry('elsewhere/unknown.cbz', 'other-machine-3', { series: 'Nothing Like It', number: '1' }),
      ],
    });
    expect(report).toMatchObject({ byFingerprint: 0, byName: 2, unmatched: 1, written: 3 });
    const after = await byPath(service);
    expect(after.get(paths[0]!)).toMatchObject({ read: true, lastPage: 7 });
    expect(after.get(paths[2]!)).toMatchObject({ read: true, lastPage: 7 });
    expect(after.get(paths[1]!)).toMatchObject({ read: false });
    await expect(service.importUserState({ format: 'something else' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('orphans', () => {
  it('a comic whose file goes keeps its state and gets it back when it returns; prune deletes only this library’s orphans', async () => {
    const paths = writeLibrary(root, 3);
    const service = await scanned();
    const listed = await byPath(service);
    await service.setUserState(listed.get(paths[0]!)!.id, { read: true, lastPage: 4 });
    await service.setUserState(listed.get(paths[1]!)!.id, { favourite: true });
    const away = path.join(dir, 'away.cbz');
    fs.renameSync(path.join(root, paths[0]!), away);
    service.refresh();
    await service.whenIdle();
    expect((await service.listOrphans()).map((o) => o.path)).toEqual([paths[0]]);
    fs.renameSync(away, path.join(root, 'returned.cbz'));
    service.refresh();
    await service.whenIdle();
    expect((await byPath(service)).get('returned.cbz')).toMatchObject({ read: true, lastPage: 4 });
    expect(await service.listOrphans()).toEqual([]);

    fs.rmSync(path.join(root, 'returned.cbz'));
    service.refresh();
    await service.whenIdle();
    // Another library's state in the same user.db is not this library's orphan.
    const otherRoot = path.join(dir, 'other');
    writeLibrary(otherRoot, 1, 'Other');
    const other = await openLibraryService({ root: otherRoot, dataDir: path.join(home, 'libraries', 'two'), userDataDir: home, watch: false, prefetchCovers: false });
    services.push(other);
    await other.listComics(ALL);
    await other.whenIdle();
    const otherComic = (await other.listComics(ALL)).items[0]!;
    await other.setUserState(otherComic.id, { read: true });

    expect(await service.pruneOrphans()).toBe(1);
    expect(await service.listOrphans()).toEqual([]);
    expect((await other.getComic(otherComic.id)).userState.read).toBe(true);
    expect((await byPath(service)).get(paths[1]!)).toMatchObject({ read: false });
    expect((await service.getComic(listed.get(paths[1]!)!.id)).userState.favourite).toBe(true);
    expect(listBackups(path.join(home, 'user-backups')).some((b) => b.kind === 'prune')).toBe(true);
  });
});

describe('disk full during a state write', () => {
  // A real full disk needs a small mount (root only); SQLite's max_page_count gives the same SQLITE_FULL
  // on the connection that writes user.db, which is what a full disk looks like to the store.
  it('fails with DISK_FULL in words, keeps every earlier write, leaves no part of the failed one', async () => {
    writeLibrary(root, 60);
    await stop(await scanned());
    const probe = new Database(path.join(home, 'user.db'), { readonly: true });
    const pages = probe.pragma('page_count', { simple: true }) as number;
    probe.close();
    const service = await start({ rebuildOnOpen: false, userDbMaxPages: pages });
    const comics = (await service.listComics(ALL)).items;
    const saved: number[] = [];
    let failure: unknown = null;
    for (const c of comics) {
      try {
        await service.setUserState(c.id, { read: true, lastPage: 3, favourite: true });
        saved.push(c.id);
      } catch (err) {
        failure = { err, id: c.id };
        break;
      }
    }
    expect(failure).not.toBeNull();
    const { err, id } = failure as { err: { code: string; message: string }; id: number };
    expect(err.code).toBe('DISK_FULL');
    expect(err.message).toMatch(/full.*Nothing was changed/);
    expect((await service.getComic(id)).userState).toEqual({ read: false, lastPage: null, favourite: false, lastReadAt: null });
    for (const s of saved) expect((await service.getComic(s)).userState).toMatchObject({ read: true, lastPage: 3, favourite: true });
    // Space again (a service without the cap): the write goes through.
    await stop(service);
    const freed = await start({ rebuildOnOpen: false });
    await freed.setUserState(id, { read: true });
    expect((await freed.getComic(id)).userState.read).toBe(true);
    for (const s of saved) expect((await freed.getComic(s)).userState).toMatchObject({ read: true, lastPage: 3 });
  });
});
