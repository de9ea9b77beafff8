import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './open-database.js';
import type { Db } from './db.js';
import { LATEST_SCHEMA_VERSION } from './migrations.js';
import { readLiveRows, swapInNextGeneration, writeNextGeneration } from './generation-writer.js';
import { LibraryReader } from './library-reader.js';
import { toFtsMatch } from './query-sql.js';
import { naturalKey } from './ranks.js';
import { StatementCache } from './statement-cache.js';
import type { EnrichedRow } from './comic-row.js';
import { testRow as row } from '../testing/store-rows.js';
import { openTempLibraryDb, publishGeneration, removeTempLibraryDb } from '../testing/library-db.js';
import type { ComicQuery } from '../../../shared/types.js';

const query = (q: Partial<ComicQuery> = {}): ComicQuery => ({ offset: 0, limit: 100, sort: 'series', order: 'asc', ...q });

let dir: string;
let db: Db;

const publish = (rows: EnrichedRow[], generation: number) => publishGeneration(db, rows, generation);

beforeEach(() => ({ dir, db } = openTempLibraryDb('lb-store-')));
afterEach(() => removeTempLibraryDb({ dir, db }));

describe('schema and migrations', () => {
  it('creates the schema at the latest version in WAL mode', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(new LibraryReader(db).generationInfo().generation).toBe(0);
  });

  it('refuses a database written by a newer version and leaves it untouched', () => {
    const file = join(dir, 'future.db');
    const future = new Database(file);
    future.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 10}`);
    future.exec('CREATE TABLE precious (x)');
    future.close();
    expect(() => openDatabase(file)).toThrow(/newer Longbox/);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 10);
    expect(check.prepare("SELECT name FROM sqlite_master WHERE name = 'meta'").get()).toBeUndefined();
    check.close();
  });

  it('reports a file that is not a database as corruption', () => {
    const file = join(dir, 'garbage.db');
    writeFileSync(file, Buffer.alloc(8192, 7));
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'SQLITE_NOTADB' }));
  });
});

describe('generations', () => {
  it('swaps a complete generation in; a reader connection sees old rows until the swap', () => {
    publish([row(1), row(2)], 1);
    const readerDb = openDatabase(join(dir, 'library.db'), { readonly: true });
    const reader = new LibraryReader(readerDb);
    expect(reader.list(query()).rows.map((r) => r.id)).toEqual([1, 2]);

    writeNextGeneration(db, [row(1), row(2), row(3)], 2);
    // Written but not swapped: readers still see generation 1, completely.
    const before = reader.list(query());
    expect(before.generation).toBe(1);
    expect(before.total).toBe(2);
    expect(before.rows.map((r) => r.id)).toEqual([1, 2]);

    swapInNextGeneration(db, { generation: 2, nextId: 4, builtAt: Date.now(), durationMs: 1 }, { fileCount: 3, errorCount: 0 });
    const after = reader.list(query());
    expect(after.generation).toBe(2);
    expect(after.total).toBe(3);
    expect(after.rows.map((r) => r.id)).toEqual([1, 2, 3]);
    readerDb.close();
  });

  it('a half-written next generation (crash before the swap) leaves the live one intact', () => {
    publish([row(1)], 1);
    writeNextGeneration(db, [row(1), row(2)], 2); // no swap: the process "died" here
    const reader = new LibraryReader(db);
    expect(reader.list(query()).total).toBe(1);
    publish([row(1), row(5)], 2); // the next rebuild drops the leftovers and succeeds
    expect(reader.list(query()).rows.map((r) => r.id)).toEqual([1, 5]);
    expect(readLiveRows(db)).toHaveLength(2);
  });

  it('counts duplicates by fingerprint, ignoring error rows', () => {
    publish([row(1, { fingerprint: 'same' }), row(2, { fingerprint: 'same' }), row(3, { fingerprint: 'same', error_kind: 'corrupt' }), row(4)], 1);
    const reader = new LibraryReader(db);
    const dups = reader.list(query({ filter: { duplicates: true } }));
    expect(dups.rows.map((r) => r.id).sort()).toEqual([1, 2]);
    expect(dups.rows.every((r) => r.dup_count === 2)).toBe(true);
    expect(reader.duplicatesOf('same', 1)).toEqual([{ id: 2, path: 'Folder/Comic 2.cbz' }]);
  });
});

describe('list queries', () => {
  const many = Array.from({ length: 250 }, (_, i) =>
    row(i + 1, {
      series: `Series ${i % 7}`,
      number: String((i % 30) + 1),
      number_sort: (i % 30) + 1,
      title: `Title ${250 - i}`,
      writer: i % 10 === 0 ? 'Alan Moore' : 'Someone Else',
      error_kind: i % 50 === 0 ? 'corrupt' : null,
      format: i % 3 === 0 ? 'rar' : 'zip',
    }),
  );

  beforeEach(() => publish(many, 1));

  it('pages by rank at any depth, ascending and descending, matching a full sort', () => {
    const reader = new LibraryReader(db);
    const all = reader.list(query({ limit: 500 })).rows.map((r) => r.id);
    expect(all).toHaveLength(250);
    const page = reader.list(query({ offset: 240, limit: 100 }));
    expect(page.rows.map((r) => r.id)).toEqual(all.slice(240));
    expect(page.total).toBe(250);
    const desc = reader.list(query({ order: 'desc', offset: 0, limit: 5 })).rows.map((r) => r.id);
    expect(desc).toEqual([...all].reverse().slice(0, 5));
    // Series order: series name, then issue number numerically.
    const first = reader.list(query({ limit: 36 })).rows;
    expect(first.every((r) => r.series === 'Series 0')).toBe(true);
    const numbers = first.map((r) => Number(r.number));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(numbers.slice(0, 4)).toEqual([1, 1, 2, 3]);
  });

  it('sorts by size, file name and title', () => {
    const reader = new LibraryReader(db);
    const bySize = reader.list(query({ sort: 'size', order: 'desc', limit: 2 })).rows;
    expect(bySize.map((r) => r.size)).toEqual([1250, 1249]);
    const byFile = reader.list(query({ sort: 'file', limit: 3 })).rows.map((r) => r.file_name);
    expect(byFile).toEqual(['Comic 1.cbz', 'Comic 2.cbz', 'Comic 3.cbz']); // natural, not "Comic 10"
    const byTitle = reader.list(query({ sort: 'title', limit: 1 })).rows[0]!;
    expect(byTitle.title).toBe('Title 1');
  });

  it('searches with prefix terms and combines search, filters and sort', () => {
    const reader = new LibraryReader(db);
    const moore = reader.list(query({ q: 'alan moo' }));
    expect(moore.total).toBe(25);
    expect(moore.rows.every((r) => r.writer === 'Alan Moore')).toBe(true);
    const errors = reader.list(query({ filter: { hasError: true } }));
    expect(errors.total).toBe(5);
    const rarOk = reader.list(query({ filter: { formats: ['rar'], hasError: false }, limit: 500 }));
    expect(rarOk.rows.every((r) => r.format === 'rar' && r.error_kind === null)).toBe(true);
    expect(rarOk.total).toBe(many.filter((r) => r.format === 'rar' && !r.error_kind).length);
    expect(reader.list(query({ q: '   ' })).total).toBe(250); // nothing to search: everything
    expect(reader.list(query({ q: '"; DROP TABLE comics; --' })).total).toBe(0);
  });

  /** The reader's stand-in for user.db's comic_state (the service attaches the real one). */
  function markState(reader: LibraryReader, fingerprint: string, read: boolean, lastPage: number | null): void {
    db.prepare(`INSERT OR REPLACE INTO ${reader.stateTable} (fingerprint, read, last_page) VALUES (?, ?, ?)`).run(fingerprint, read ? 1 : 0, lastPage);
  }

  it('filters unread using user state keyed by fingerprint', () => {
    const reader = new LibraryReader(db);
    markState(reader, 'fp1', true, 3);
    const unread = reader.list(query({ filter: { unread: true }, limit: 500 }));
    expect(unread.total).toBe(249);
    expect(unread.rows.some((r) => r.id === 1)).toBe(false);
    expect(reader.list(query({ sort: 'file', limit: 1 })).rows[0]!.read).toBe(1);
  });

  it('list rows and getRow carry the last page read (the grid shows progress)', () => {
    const reader = new LibraryReader(db);
    markState(reader, 'fp2', false, 7);
    const rows = reader.list(query({ limit: 500 })).rows;
    expect(rows.find((r) => r.fingerprint === 'fp2')!.last_page).toBe(7);
    expect(rows.find((r) => r.fingerprint === 'fp3')!.last_page).toBeNull();
    expect(reader.list(query({ filter: { unread: true }, limit: 500 })).rows.find((r) => r.fingerprint === 'fp2')!.last_page).toBe(7);
    const id = rows.find((r) => r.fingerprint === 'fp2')!.id;
    expect(reader.getRow(id)!.last_page).toBe(7);
  });
});

describe('helpers', () => {
  it('builds FTS prefix queries only from words', () => {
    expect(toFtsMatch('Saga  054')).toBe('"Saga"* AND "054"*');
    expect(toFtsMatch('"*()')).toBeNull();
    expect(toFtsMatch('Ōkami')).toBe('"Ōkami"*');
  });
  it('natural keys order digit runs numerically', () => {
    const names = ['Saga 10', 'saga 2', 'Saga 1'];
    expect([...names].sort((a, b) => (naturalKey(a) < naturalKey(b) ? -1 : 1))).toEqual(['Saga 1', 'saga 2', 'Saga 10']);
  });
});

describe('series order', () => {
  it('an issue without a volume sorts with its series under the series’ usual volume', () => {
    const issues = [1, 2, 3, 4].map((n) => row(n, { series: 'Specter', number: String(n), number_sort: n, volume: n === 3 ? null : 1 }));
    const otherVolume = row(5, { series: 'Specter', number: '1', number_sort: 1, volume: 2 });
    publish([...issues, otherVolume], 1);
    const order = new LibraryReader(db).list(query()).rows.map((r) => [r.number, r.volume]);
    expect(order).toEqual([['1', 1], ['2', 1], ['3', null], ['4', 1], ['1', 2]]);
  });
});

describe('search with a very common term', () => {
  it('walks the rank index and returns the same page and total as a full sort would', () => {
    const rows = Array.from({ length: 2600 }, (_, i) =>
      row(i + 1, { series: `Series ${(i * 7919) % 2600}`, writer: i % 5 === 0 ? 'Rare Writer' : 'Common Writer' }),
    );
    publish(rows, 1);
    const reader = new LibraryReader(db);
    const common = rows.filter((r) => r.writer === 'Common Writer'); // 2,080 matches: the rank-walk plan
    const expectedOrder = reader
      .list(query({ limit: 500, sort: 'series' }))
      .rows.filter((r) => r.writer === 'Common Writer')
      .map((r) => r.id);
    const page = reader.list(query({ q: 'common', limit: 100, sort: 'series' }));
    expect(page.total).toBe(common.length);
    expect(page.rows.map((r) => r.id)).toEqual(expectedOrder.slice(0, 100));
    const deep = reader.list(query({ q: 'common', offset: 2000, limit: 100, sort: 'series', order: 'desc' }));
    expect(deep.rows).toHaveLength(80);
    const rare = reader.list(query({ q: 'rare', limit: 1000, filter: { hasError: false } }));
    expect(rare.total).toBe(520);
  });
});

describe('series names from different sources', () => {
  it('sort together when they differ only in punctuation', () => {
    publish(
      [
        row(1, { series: 'Cyclone - Rebirth', number: '7', number_sort: 7 }),
        row(2, { series: 'Cyclone: Rebirth', number: '5', number_sort: 5 }),
        row(3, { series: 'Cyclone - Rebirth', number: '1', number_sort: 1 }),
        row(4, { series: 'Cyclones', number: '1', number_sort: 1 }),
      ],
      1,
    );
    expect(new LibraryReader(db).list(query()).rows.map((r) => r.id)).toEqual([3, 2, 1, 4]);
  });
});

describe('StatementCache', () => {
  it('keeps at most its bound of prepared statements, the most recently used', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'lb-stmts-'));
    const db = openDatabase(join(scratch, 'library.db'));
    try {
      const cache = new StatementCache(db, 3);
      const first = cache.get('SELECT 1');
      cache.get('SELECT 2');
      cache.get('SELECT 3');
      expect(cache.get('SELECT 1')).toBe(first);
      for (let i = 4; i < 50; i++) cache.get(`SELECT ${i}`);
      expect(cache.size).toBe(3);
      expect(cache.get('SELECT 1')).not.toBe(first);
    } finally {
      db.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
