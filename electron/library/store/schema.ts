// The enriched-row table. The same DDL creates the live `comics` table and each rebuild's
// `comics_next`, which is swapped in by renaming (see generation-writer.ts). The columns come from the
// row table in shared/comic-fields.ts.
import { COLUMN_SQL_TYPES, COMIC_ROW, SEARCH_COLUMNS, type ColumnSpec, type ComicColumn } from '../../../shared/comic-fields.js';
import { SORT_KEYS, type SortKey } from '../../../shared/types.js';

/** `name TYPE [PRIMARY KEY | NOT NULL]` for every column of the row table (shared/comic-fields.ts). */
export const COMIC_COLUMNS: readonly string[] = COMIC_ROW.map((c: ColumnSpec) => {
  const constraint = c.primaryKey ? ' PRIMARY KEY' : c.nullable ? '' : ' NOT NULL';
  return `${c.column} ${COLUMN_SQL_TYPES[c.type]}${constraint}`;
});

export const COMIC_COLUMN_NAMES: readonly ComicColumn[] = COMIC_ROW.map((c) => c.column);

/**
 * Each sort key's dense rank column (computed by ranks.ts / next-generation.ts / delta-writer.ts), each
 * indexed: a page at any depth is a range seek on it.
 */
export const RANK_COLUMN_OF = {
  series: 'rank_series',
  title: 'rank_title',
  added: 'rank_added',
  size: 'rank_size',
  file: 'rank_file',
} as const satisfies Record<SortKey, ComicColumn>;
export type RankColumn = (typeof RANK_COLUMN_OF)[SortKey];
export const RANK_COLUMNS: readonly RankColumn[] = SORT_KEYS.map((key) => RANK_COLUMN_OF[key]);

export function createComicsTableSql(table: string): string {
  return `CREATE TABLE ${table} (${COMIC_COLUMNS.join(', ')}) STRICT`;
}

/** Index names are global in SQLite, so they carry the generation they were built for. */
export function createComicsIndexesSql(table: string, generation: number): string[] {
  const g = `g${generation}`;
  return [
    `CREATE UNIQUE INDEX idx_${g}_path ON ${table}(path)`,
    `CREATE INDEX idx_${g}_fingerprint ON ${table}(fingerprint)`,
    // Not UNIQUE although every rank is distinct in a generation: a delta generation shifts a range of
    // ranks with one UPDATE, which passes through duplicates mid-statement (delta-writer.ts).
    ...RANK_COLUMNS.map((rank) => `CREATE INDEX idx_${g}_${rank} ON ${table}(${rank})`),
    // A series' issues in issue order, a folder's comics (and a subtree's, by range on the path).
    `CREATE INDEX idx_${g}_series_key ON ${table}(series_key, rank_series)`,
    `CREATE INDEX idx_${g}_folder ON ${table}(folder, rank_series)`,
  ];
}

export function createFtsTableSql(table: string): string {
  // Contentless: we only need matching rowids, and a contentless table renames cleanly with the swap.
  // `folder` makes the names of the folders a comic sits in searchable ("Marvel", "2019 Events").
  return `CREATE VIRTUAL TABLE ${table} USING fts5(${SEARCH_COLUMNS.join(', ')}, content='', tokenize="unicode61 remove_diacritics 2", prefix='2 3')`;
}

/** The FTS values of a comics row, as SQL over its columns (a null column indexes as ''). */
export function ftsValuesSql(): string {
  const nullable = new Set<string>(COMIC_ROW.filter((c: ColumnSpec) => c.nullable).map((c) => c.column));
  return SEARCH_COLUMNS.map((column) => (nullable.has(column) ? `coalesce(${column}, '')` : column)).join(', ');
}

/** Fills a generation's FTS table from its comics table. */
export function fillFtsTableSql(fts: string, comics: string): string {
  return `INSERT INTO ${fts} (rowid, ${SEARCH_COLUMNS.join(', ')}) SELECT id, ${ftsValuesSql()} FROM ${comics}`;
}
