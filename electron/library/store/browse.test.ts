import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './open-database.js';
import { readLiveRows, readMetaNumber, swapInNextGeneration, writeNextGeneration, DERIVED_VERSION } from './generation-writer.js';
import { LibraryReader } from './library-reader.js';
import { seriesIdentity } from './series-key.js';
import { testRow as row } from '../testing/store-rows.js';
import type { EnrichedRow } from './comic-row.js';

let dir: string;
let db: Db;

function publish(rows: EnrichedRow[], generation: number): void {
  writeNextGeneration(db, rows, generation);
  swapInNextGeneration(db, { generation, nextId: rows.length + 1, builtAt: Date.now(), durationMs: 5 }, {
    fileCount: rows.length,
    errorCount: rows.filter((r) => r.error_kind).length,
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lb-browse-'));
  db = openDatabase(join(dir, 'library.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

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
