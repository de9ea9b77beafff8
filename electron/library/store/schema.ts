// The enriched-row table. The same DDL creates the live `comics` table and each rebuild's
// `comics_next`, which is swapped in by renaming (see generation-writer.ts).

export const COMIC_COLUMNS = [
  'id INTEGER PRIMARY KEY',
  'path TEXT NOT NULL',
  'folder TEXT NOT NULL',
  'file_name TEXT NOT NULL',
  'ext TEXT NOT NULL',
  'format TEXT NOT NULL',
  'size INTEGER NOT NULL',
  'mtime_ms REAL NOT NULL',
  'inode INTEGER NOT NULL',
  'page_count INTEGER NOT NULL',
  'cover_entry TEXT',
  'series TEXT',
  'number TEXT',
  'number_sort REAL',
  'volume INTEGER',
  'title TEXT',
  'year INTEGER',
  'month INTEGER',
  'writer TEXT',
  'penciller TEXT',
  'publisher TEXT',
  'genre TEXT',
  'summary TEXT',
  'declared_page_count INTEGER',
  'language_iso TEXT',
  'manga TEXT',
  'sources TEXT NOT NULL',
  'fingerprint TEXT NOT NULL',
  'dup_count INTEGER NOT NULL',
  // Generation-wide like the ranks: the series key depends on the volume most issues of a series carry.
  'series_key TEXT NOT NULL',
  'error_kind TEXT',
  'error_message TEXT',
  'added_at INTEGER NOT NULL',
  'changed_at INTEGER NOT NULL',
  // Dense 0-based positions in each sort order, computed when the generation is written: a page at
  // any depth is an index range seek (`rank_x >= offset`), not an OFFSET scan (docs/architecture.md §8).
  'rank_series INTEGER NOT NULL',
  'rank_title INTEGER NOT NULL',
  'rank_added INTEGER NOT NULL',
  'rank_size INTEGER NOT NULL',
  'rank_file INTEGER NOT NULL',
] as const;

export const RANK_COLUMNS = ['rank_series', 'rank_title', 'rank_added', 'rank_size', 'rank_file'] as const;

export function createComicsTableSql(table: string): string {
  return `CREATE TABLE ${table} (${COMIC_COLUMNS.join(', ')}) STRICT`;
}

/** Index names are global in SQLite, so they carry the generation they were built for. */
export function createComicsIndexesSql(table: string, generation: number): string[] {
  const g = `g${generation}`;
  return [
    `CREATE UNIQUE INDEX idx_${g}_path ON ${table}(path)`,
    `CREATE INDEX idx_${g}_fingerprint ON ${table}(fingerprint)`,
    ...RANK_COLUMNS.map((rank) => `CREATE UNIQUE INDEX idx_${g}_${rank} ON ${table}(${rank})`),
    // A series' issues in issue order, a folder's comics (and a subtree's, by range on the path).
    `CREATE INDEX idx_${g}_series_key ON ${table}(series_key, rank_series)`,
    `CREATE INDEX idx_${g}_folder ON ${table}(folder, rank_series)`,
  ];
}

export function createFtsTableSql(table: string): string {
  // Contentless: we only need matching rowids, and a contentless table renames cleanly with the swap.
  // `folder` makes the names of the folders a comic sits in searchable ("Marvel", "2019 Events").
  return `CREATE VIRTUAL TABLE ${table} USING fts5(series, title, writer, file_name, publisher, folder, content='', tokenize="unicode61 remove_diacritics 2", prefix='2 3')`;
}
