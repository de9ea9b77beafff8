// The row table drives the DDL, the stored row and its mapping: each column must survive the whole way
// (write a generation, read it back, map it to ComicSummary / ComicDetail's metadata).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMIC_ROW, METADATA_COLUMNS, SEARCH_COLUMNS, type ColumnSpec } from '../../../shared/comic-fields.js';
import { openDatabase } from './open-database.js';
import type { Db } from './db.js';
import { swapInNextGeneration, writeNextGeneration } from './generation-writer.js';
import { LibraryReader } from './library-reader.js';
import { COMIC_COLUMNS, createComicsTableSql, createFtsTableSql } from './schema.js';
import { SUMMARY_COLUMNS, metadataOf, toComicSummary, type EnrichedRow, type SummaryRow } from './comic-row.js';
import { testRow } from '../testing/store-rows.js';

const specs: readonly ColumnSpec[] = COMIC_ROW;

// The DDL as it was written by hand before the table (schema 12, derived version 2): a database made by
// an earlier build must keep matching what this build writes.
const DDL_BEFORE_THE_TABLE =
  'CREATE TABLE comics (id INTEGER PRIMARY KEY, path TEXT NOT NULL, folder TEXT NOT NULL, file_name TEXT NOT NULL, ext TEXT NOT NULL, format TEXT NOT NULL, size INTEGER NOT NULL, mtime_ms REAL NOT NULL, inode INTEGER NOT NULL, page_count INTEGER NOT NULL, cover_entry TEXT, series TEXT, number TEXT, number_sort REAL, volume INTEGER, title TEXT, year INTEGER, month INTEGER, writer TEXT, penciller TEXT, publisher TEXT, genre TEXT, summary TEXT, declared_page_count INTEGER, language_iso TEXT, manga TEXT, sources TEXT NOT NULL, fingerprint TEXT NOT NULL, dup_count INTEGER NOT NULL, series_key TEXT NOT NULL, error_kind TEXT, error_message TEXT, added_at INTEGER NOT NULL, changed_at INTEGER NOT NULL, rank_series INTEGER NOT NULL, rank_title INTEGER NOT NULL, rank_added INTEGER NOT NULL, rank_size INTEGER NOT NULL, rank_file INTEGER NOT NULL) STRICT';
/** Derived version 4 added one column (the enrichment signature); an older table gets it by the upgrade's rewrite. */
const DDL_NOW = DDL_BEFORE_THE_TABLE.replace('fingerprint TEXT NOT NULL, ', 'fingerprint TEXT NOT NULL, enrich_signature TEXT, ');
const FTS_BEFORE_THE_TABLE = `CREATE VIRTUAL TABLE comics_fts USING fts5(series, title, writer, file_name, publisher, folder, content='', tokenize="unicode61 remove_diacritics 2", prefix='2 3')`;

// In memory: the same migrations and DDL as a file, nothing to clean up.
let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

/** A row with a distinct, non-null value in every column the enrich pass fills. */
function fullRow(id: number): EnrichedRow {
  const values: Record<string, unknown> = {};
  for (const c of specs) {
    if (c.stage === 'generation' || c.primaryKey) continue;
    values[c.column] = c.type === 'text' ? `${c.column}-${id}` : c.type === 'real' ? id + 0.5 : c.type === 'int' ? 7000 + id : undefined;
  }
  return testRow(id, { ...values, format: 'rar', error_kind: 'corrupt', sources: '{"series":"comicinfo"}' } as Partial<EnrichedRow>);
}

describe('the schema follows the row table', () => {
  it('creates exactly the columns it created before the table (plus the later enrich_signature), in the same order and types', () => {
    expect(DDL_NOW).not.toBe(DDL_BEFORE_THE_TABLE);
    expect(createComicsTableSql('comics')).toBe(DDL_NOW);
    expect(createFtsTableSql('comics_fts')).toBe(FTS_BEFORE_THE_TABLE);
  });

  it('has every column of the table in the live database, typed and constrained as the table says', () => {
    const info = db.prepare(`SELECT name, type, "notnull", pk FROM pragma_table_info('comics')`).all() as Array<{ name: string; type: string; notnull: number; pk: number }>;
    expect(info.map((c) => c.name)).toEqual(specs.map((c) => c.column));
    for (const [i, c] of specs.entries()) {
      expect(COMIC_COLUMNS[i]).toContain(c.column);
      expect(info[i]).toEqual({
        name: c.column,
        type: c.type === 'int' ? 'INTEGER' : c.type === 'real' ? 'REAL' : 'TEXT',
        notnull: c.nullable || c.primaryKey ? 0 : 1,
        pk: c.primaryKey ? 1 : 0,
      });
    }
  });
});

describe('a row round-trips through the store for every field', () => {
  beforeEach(() => {
    writeNextGeneration(db, [fullRow(1), testRow(2)], 1);
    swapInNextGeneration(db, { generation: 1, nextId: 3, builtAt: Date.now(), durationMs: 1 }, { fileCount: 2, errorCount: 1 });
  });

  it('stores every enriched column as written', () => {
    const stored = new LibraryReader(db).getRow(1)!;
    const written = fullRow(1);
    for (const c of specs) if (c.stage !== 'generation') expect([c.column, stored[c.column as keyof typeof stored]]).toEqual([c.column, written[c.column as keyof EnrichedRow]]);
  });

  it('maps every summary column to its ComicSummary property', () => {
    const row = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM comics c LEFT JOIN (SELECT NULL AS fingerprint, NULL AS read, NULL AS last_page, NULL AS favourite) u ON u.fingerprint = c.fingerprint WHERE c.id = 1`).get() as SummaryRow;
    const summary = toComicSummary(row) as unknown as Record<string, unknown>;
    const stored = new LibraryReader(db).getRow(1)! as unknown as Record<string, unknown>;
    const expected: Record<string, unknown> = { read: false, favourite: false, lastPage: null };
    for (const c of specs) {
      if (c.summary !== undefined) expected[c.summary] = stored[c.column];
      if (c.list && c.field !== undefined) expected[c.field] = stored[c.column];
    }
    expect(summary).toEqual(expected);
    expect(summary.fileName).toBe('file_name-1');
    expect(summary.series).toBe('series-1');
  });

  it('maps every metadata column to its ComicMetadata field', () => {
    const metadata = metadataOf(new LibraryReader(db).getRow(1)!) as unknown as Record<string, unknown>;
    expect(Object.keys(metadata)).toEqual(METADATA_COLUMNS.map((c) => c.field));
    for (const c of METADATA_COLUMNS) expect(metadata[c.field]).toBe(c.type === 'text' ? `${c.column}-1` : 7001);
  });

  it('indexes every search column', () => {
    for (const column of SEARCH_COLUMNS) {
      // Row 1 holds `<column>-1` in every text column: the phrase "<column> 1" is only in that column of row 1.
      const phrase = `${column.replace('_', ' ')} 1`;
      const hits = db.prepare(`SELECT rowid FROM comics_fts WHERE comics_fts MATCH ?`).all(`${column} : "${phrase}"`) as Array<{ rowid: number }>;
      expect([column, hits.map((h) => h.rowid)]).toEqual([column, [1]]);
    }
  });
});
