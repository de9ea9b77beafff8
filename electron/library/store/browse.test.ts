import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './open-database.js';
import type { Db } from './db.js';
import { readLiveRows, readMetaNumber, DERIVED_VERSION } from './generation-writer.js';
import { LibraryReader } from './library-reader.js';
import { BrowseReader } from './browse-reader.js';
import { userStateTable } from './user-state-access.js';
import { seriesIdentity } from './series-key.js';
import { testRow as row } from '../testing/store-rows.js';
import { openTempLibraryDb, publishGeneration, removeTempLibraryDb } from '../testing/library-db.js';
import type { EnrichedRow } from './comic-row.js';


/**
 * Stand-ins for the UserStore's writes on the reader's temp table (the service attaches user.db; its
 * read-modify-write and bulk transactions are tested in user/user-store.test.ts and user-data.test.ts).
 */
function writeUserState(db: Db, fingerprint: string, state: { read: boolean; lastPage: number | null; favourite: boolean }, at: number): void {
  db.prepare(`INSERT OR REPLACE INTO ${userStateTable(db)} (fingerprint, read, last_page, favourite, last_read_at) VALUES (?, ?, ?, ?, ?)`).run(
    fingerprint,
    state.read ? 1 : 0,
    state.lastPage,
    state.favourite ? 1 : 0,
    at,
  );
}
function writeReadStateBulk(db: Db, fingerprints: readonly string[], read: boolean, at: number): void {
  const upsert = db.prepare(
    `INSERT INTO ${userStateTable(db)} (fingerprint, read, last_read_at) VALUES (?, ?, ?)
     ON CONFLICT(fingerprint) DO UPDATE SET read = excluded.read, last_page = CASE WHEN excluded.read = 1 THEN last_page ELSE NULL END,
       last_read_at = excluded.last_read_at`,
  );
  for (const fingerprint of fingerprints) upsert.run(fingerprint, read ? 1 : 0, at);
}

let dir: string;
let db: Db;

const publish = (rows: EnrichedRow[], generation: number) => publishGeneration(db, rows, generation);

beforeEach(() => ({ dir, db } = openTempLibraryDb('lb-browse-')));
afterEach(() => removeTempLibraryDb({ dir, db }));

describe('series keys', () => {
  it('ignore punctuation, case and leading zeros, and carry the volume', () => {
    expect(seriesIdentity('Cyclone: Rebirth', null)).toBe('cyclone-rebirth');
    expect(seriesIdentity('cyclone - rebirth', null)).toBe('cyclone-rebirth');
    expect(seriesIdentity('CYCLONE_REBIRTH', 2)).toBe('cyclone-rebirth~2');
    expect(seriesIdentity('Saga 02', null)).toBe(seriesIdentity('saga 2', null));
    expect(seriesIdentity('Ōkami — 大神', 2006)).toBe('ōkami-大神~2006');
    expect(seriesIdentity('???', null)).toBe('_');
  });

  it('are on every comic: an issue without a volume joins its series’ usual volume', () => {
    publish(
      [
        row(1, { series: 'Specter', volume: 1, number: '1', number_sort: 1 }),
        row(2, { series: 'specter', volume: null, number: '2', number_sort: 2 }),
        row(3, { series: 'Specter', volume: 2, number: '1', number_sort: 1 }),
        row(4, { series: null, file_name: 'Loose One.cbz' }),
      ],
      1,
    );
    const keys = new Map(new LibraryReader(db).list({ offset: 0, limit: 10, sort: 'series', order: 'asc' }).rows.map((r) => [r.id, r.series_key]));
    expect(keys).toEqual(new Map([[1, 'specter~1'], [2, 'specter~1'], [3, 'specter~2'], [4, 'loose-one-cbz']]));
  });
});

describe('a database written before the browse tables', () => {
  it('gets its live generation rewritten at open: series keys, series and folder tables, same rows', () => {
    publish([row(1, { series: 'Saga', number: '1', number_sort: 1 }), row(2, { series: 'Saga', number: '2', number_sort: 2 })], 3);
    // Back to the old shape: no series_key column, no browse tables, the old FTS, no derived_version.
    db.exec(`DROP TABLE series; DROP TABLE series_fts; DROP TABLE folders; DROP INDEX idx_g3_series_key; DROP INDEX idx_g3_folder;
             ALTER TABLE comics DROP COLUMN series_key; DROP TABLE comics_fts;
             CREATE VIRTUAL TABLE comics_fts USING fts5(series, title, writer, file_name, publisher, content='');
             DELETE FROM meta WHERE key = 'derived_version';`);
    db.close();
    db = openDatabase(join(dir, 'library.db'));
    expect(readMetaNumber(db, 'derived_version')).toBe(DERIVED_VERSION);
    expect(readMetaNumber(db, 'generation')).toBe(4);
    expect(readLiveRows(db).map((r) => [r.id, r.series_key])).toEqual([[1, 'saga'], [2, 'saga']]);
    expect(db.prepare('SELECT key, issue_count FROM series').all()).toEqual([{ key: 'saga', issue_count: 2 }]);
    expect(db.prepare(`SELECT path, comic_count FROM folders ORDER BY path`).all()).toEqual([
      { path: '', comic_count: 2 },
      { path: 'Folder', comic_count: 2 },
    ]);
  });
});

describe('a database written before the enrichment signature', () => {
  it('keeps its rows at open, each with no signature (no reuse until the file is read again)', () => {
    publish([row(1, { series: 'Saga', number: '1', number_sort: 1 }), row(2, { series: 'Saga', number: '2', number_sort: 2 })], 3);
    const before = readLiveRows(db);
    db.exec(`ALTER TABLE comics DROP COLUMN enrich_signature; UPDATE meta SET value = 3 WHERE key = 'derived_version';`);
    db.close();
    db = openDatabase(join(dir, 'library.db'));
    expect(readMetaNumber(db, 'derived_version')).toBe(DERIVED_VERSION);
    const after = readLiveRows(db);
    expect(after.map((r) => r.enrich_signature)).toEqual([null, null]);
    expect(after).toEqual(before.map((r) => ({ ...r, enrich_signature: null })));
  });
});

describe('the series table', () => {
  const issues = (series: string | null, count: number, start: number, fields: Partial<EnrichedRow> = {}) =>
    Array.from({ length: count }, (_, i) =>
      row(start + i, { series, number: String(i + 1), number_sort: i + 1, folder: series ?? 'Loose', path: `${series ?? 'Loose'}/${start + i}.cbz`, ...fields }),
    );

  it('groups by normalised name and volume; counts equal the comics table; the cover is the first readable issue', () => {
    const rows = [
      ...issues('Cyclone: Rebirth', 3, 1),
      row(10, { series: 'cyclone - REBIRTH', number: '4', number_sort: 4 }),
      row(11, { series: 'Cyclone Rebirth', number: '0', number_sort: 0, error_kind: 'corrupt' }),
      ...issues('Saga', 2, 20, { volume: 1 }),
      ...issues('Saga', 2, 30, { volume: 2 }),
      row(40, { series: 'Saga', number: '3', number_sort: 3, volume: null }), // joins volume 1 (2 of 2 carry it... tie → lowest)
      row(50, { series: 'Nameless', number: null, number_sort: null }),
      row(51, { series: 'Nameless', number: null, number_sort: null }),
    ];
    publish(rows, 1);
    const reader = new BrowseReader(db);
    const page = reader.listSeries({ offset: 0, limit: 100, sort: 'name', order: 'asc' });
    expect(page.items.map((s) => [s.key, s.name, s.issue_count])).toEqual([
      ['cyclone-rebirth', 'Cyclone: Rebirth', 5],
      ['nameless', 'Nameless', 2],
      ['saga~1', 'Saga', 3],
      ['saga~2', 'Saga', 2],
    ]);
    // The error row sorts first (#0) but the cover is the first readable issue.
    expect(page.items[0]!.cover_id).toBe(1);
    // Counts equal the comics table, grouped by key.
    const counted = db.prepare('SELECT series_key AS key, count(*) AS n FROM comics GROUP BY series_key ORDER BY key').all();
    expect(counted).toEqual(page.items.map((s) => ({ key: s.key, n: s.issue_count })).sort((a, b) => (a.key < b.key ? -1 : 1)));
    expect(page.total).toBe(4);
    // A series' issues in issue order; issues without numbers after the numbered ones, by path.
    const list = new LibraryReader(db);
    const saga1 = list.list({ offset: 0, limit: 10, sort: 'series', order: 'asc', series: 'saga~1' });
    expect(saga1.rows.map((r) => r.id)).toEqual([20, 21, 40]);
    expect(saga1.total).toBe(3);
    expect(list.list({ offset: 0, limit: 10, sort: 'series', order: 'asc', series: 'nameless' }).rows.map((r) => r.id)).toEqual([50, 51]);
  });

  it('a broken file without a series of its own is not a series (it stays a comic row)', () => {
    publish([...issues('Saga', 2, 1), row(9, { series: null, file_name: 'random-bytes-001.cbz', error_kind: 'not-archive' }), row(10, { series: 'Saga', number: '3', number_sort: 3, error_kind: 'corrupt' })], 1);
    const page = new BrowseReader(db).listSeries({ offset: 0, limit: 100, sort: 'name', order: 'asc' });
    expect(page.items.map((s) => [s.key, s.issue_count])).toEqual([['saga', 3]]);
    expect(new LibraryReader(db).list({ offset: 0, limit: 10, sort: 'series', order: 'asc' }).total).toBe(4);
  });

  it('pages by every sort order and searches names', () => {
    const rows = Array.from({ length: 30 }, (_, s) => issues(`Series ${s}`, 1 + (s % 4), 100 * (s + 1), { year: 2000 + ((s * 7) % 30), added_at: s })).flat();
    publish(rows, 1);
    const reader = new BrowseReader(db);
    const all = (sort: 'name' | 'year' | 'added' | 'issues', order: 'asc' | 'desc') =>
      [0, 10, 20].flatMap((offset) => reader.listSeries({ offset, limit: 10, sort, order }).items);
    expect(all('name', 'asc').map((s) => s.name).slice(0, 3)).toEqual(['Series 0', 'Series 1', 'Series 2']);
    expect(all('name', 'desc').map((s) => s.name)[0]).toBe('Series 29');
    const years = all('year', 'asc').map((s) => s.year!);
    expect(years).toEqual([...years].sort((a, b) => a - b));
    const counts = all('issues', 'desc').map((s) => s.issue_count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(all('added', 'desc')[0]!.name).toBe('Series 29');
    // Prefix terms: "2" finds Series 2 and Series 20–29.
    const found = reader.listSeries({ offset: 0, limit: 5, sort: 'name', order: 'asc', q: 'series 2' });
    expect(found.items.map((s) => s.name)).toEqual(['Series 2', 'Series 20', 'Series 21', 'Series 22', 'Series 23']);
    expect(found.total).toBe(11);
    expect(reader.listSeries({ offset: 0, limit: 10, sort: 'name', order: 'asc', q: 'nothing-like-it' }).total).toBe(0);
  });

  it('unread counts follow the user state (by fingerprint)', () => {
    publish([...issues('Saga', 4, 1), ...issues('Paper Girls', 2, 10)], 1);
    const reader = new BrowseReader(db);
    const unread = () => new Map(reader.listSeries({ offset: 0, limit: 10, sort: 'name', order: 'asc' }).items.map((s) => [s.key, s.unread_count]));
    expect(unread()).toEqual(new Map([['paper-girls', 2], ['saga', 4]]));
    writeReadStateBulk(db, ['fp1', 'fp2'], true, 1);
    expect(unread()).toEqual(new Map([['paper-girls', 2], ['saga', 2]]));
    writeReadStateBulk(db, ['fp1'], false, 2);
    expect(unread().get('saga')).toBe(3);
  });
});

describe('bulk read state targets', () => {
  it('a series of 500 is one target of 500 comics (the write is one user.db transaction: user-store.test.ts)', () => {
    const rows = Array.from({ length: 500 }, (_, i) => row(i + 1, { series: 'Long Run', number: String(i + 1), number_sort: i + 1 }));
    publish(rows, 1);
    const reader = new BrowseReader(db);
    const target = reader.targetOf({ series: 'long-run' });
    expect(target.count).toBe(500);
    expect(target.comics).toHaveLength(500);
    expect(target.comics[0]).toMatchObject({ fingerprint: 'fp1', series: 'Long Run', number: '1' });
    writeReadStateBulk(db, target.comics.map((c) => c.fingerprint), true, 5);
    expect(reader.getSeries('long-run')!.unread_count).toBe(0);
  });

  it('unknown ids, series and folders are NOT_FOUND', () => {
    publish([row(1, { series: 'A' }), row(2, { series: 'A' })], 1);
    const reader = new BrowseReader(db);
    expect(() => reader.targetOf({ ids: [1, 99] })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => reader.targetOf({ series: 'b' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => reader.targetOf({ folder: 'Nope' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(reader.targetOf({ folder: 'Folder' }).count).toBe(2);
  });
});

describe('folders', () => {
  it('lists sub-folders in natural order with recursive counts; comics directly in or below a folder', () => {
    const at = (id: number, folder: string) => row(id, { folder, path: `${folder === '' ? '' : folder + '/'}${id}.cbz`, file_name: `${id}.cbz` });
    publish([at(1, ''), at(2, 'Marvel'), at(3, 'Marvel/X 10'), at(4, 'Marvel/X 2'), at(5, 'Marvel/X 2/Annuals'), at(6, 'Marvelous'), at(7, 'Ōkami')], 1);
    const reader = new BrowseReader(db);
    const root = reader.listFolder('')!;
    expect(root.folders).toEqual([
      { name: 'Marvel', path: 'Marvel', comic_count: 4 },
      { name: 'Marvelous', path: 'Marvelous', comic_count: 1 },
      { name: 'Ōkami', path: 'Ōkami', comic_count: 1 },
    ]);
    expect([root.comic_count, root.direct_count]).toEqual([7, 1]);
    expect(reader.listFolder('Marvel')!.folders.map((f) => f.name)).toEqual(['X 2', 'X 10']);
    expect(reader.listFolder('Marvel/X 3')).toBeUndefined();
    const list = new LibraryReader(db);
    const ids = (folder: string, recursive: boolean) =>
      list.list({ offset: 0, limit: 50, sort: 'file', order: 'asc', folder, recursive }).rows.map((r) => r.id).sort();
    expect(ids('Marvel', false)).toEqual([2]);
    // 'Marvelous' shares the prefix but is not below 'Marvel'.
    expect(ids('Marvel', true)).toEqual([2, 3, 4, 5]);
    expect(ids('', false)).toEqual([1]);
    expect(ids('', true)).toHaveLength(7);
    expect(list.list({ offset: 0, limit: 50, sort: 'file', order: 'asc', folder: 'Marvel', recursive: true }).total).toBe(4);
    // Folder names are searchable.
    expect(list.list({ offset: 0, limit: 50, sort: 'file', order: 'asc', q: 'okami' }).rows.map((r) => r.id)).toEqual([7]);
  });
});

describe('home shelves', () => {
  it('continue reading, on deck and recently added follow the user state', () => {
    const rows = [
      ...Array.from({ length: 5 }, (_, i) => row(i + 1, { series: 'Saga', number: String(i + 1), number_sort: i + 1, added_at: 10 })),
      ...Array.from({ length: 3 }, (_, i) => row(i + 11, { series: 'Monstress', number: String(i + 1), number_sort: i + 1, added_at: 20 + i })),
      row(30, { series: 'Broken', error_kind: 'corrupt', added_at: 99 }),
    ];
    publish(rows, 1);
    const reader = new BrowseReader(db);
    expect(reader.home().continue).toEqual([]);
    expect(reader.home().on_deck).toEqual([]);
    // Recently added: newest first, no broken files.
    expect(reader.home().recent.slice(0, 3).map((c) => c.id)).toEqual([13, 12, 11]);
    writeReadStateBulk(db, ['fp1', 'fp2'], true, 100); // Saga #1–2 read
    writeUserState(db, 'fp11', { read: false, lastPage: 4, favourite: false }, 200); // Monstress #1 started
    const home = reader.home();
    expect(home.continue.map((c) => [c.id, c.lastPage])).toEqual([[11, 4]]);
    expect(home.on_deck.map((c) => c.id)).toEqual([3]); // the next Saga issue
    writeReadStateBulk(db, ['fp11'], true, 300);
    const later = reader.home();
    expect(later.continue).toEqual([]);
    // Monstress was read most recently: its next issue first.
    expect(later.on_deck.map((c) => c.id)).toEqual([12, 3]);
  });
});
