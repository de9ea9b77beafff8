// A library.db exactly as Longbox wrote it before user.db existed (schema 10, commit 2ec8849): the
// DDL below was dumped from that version's openDatabase, frozen here so the migration test keeps
// testing the real old shape however the current schema moves on. Test-only code.
import Database from 'better-sqlite3';

const SCHEMA_10_SQL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value ANY) STRICT;
CREATE TABLE user_state (
           fingerprint TEXT PRIMARY KEY,
           read INTEGER NOT NULL DEFAULT 0,
           last_page INTEGER,
           favourite INTEGER NOT NULL DEFAULT 0,
           updated_at INTEGER NOT NULL
         ) STRICT;
CREATE TABLE comics (id INTEGER PRIMARY KEY, path TEXT NOT NULL, folder TEXT NOT NULL, file_name TEXT NOT NULL, ext TEXT NOT NULL, format TEXT NOT NULL, size INTEGER NOT NULL, mtime_ms REAL NOT NULL, inode INTEGER NOT NULL, page_count INTEGER NOT NULL, cover_entry TEXT, series TEXT, number TEXT, number_sort REAL, volume INTEGER, title TEXT, year INTEGER, month INTEGER, writer TEXT, penciller TEXT, publisher TEXT, genre TEXT, summary TEXT, declared_page_count INTEGER, language_iso TEXT, manga TEXT, sources TEXT NOT NULL, fingerprint TEXT NOT NULL, dup_count INTEGER NOT NULL, error_kind TEXT, error_message TEXT, added_at INTEGER NOT NULL, changed_at INTEGER NOT NULL, rank_series INTEGER NOT NULL, rank_title INTEGER NOT NULL, rank_added INTEGER NOT NULL, rank_size INTEGER NOT NULL, rank_file INTEGER NOT NULL) STRICT;
CREATE UNIQUE INDEX idx_g0_path ON comics(path);
CREATE INDEX idx_g0_fingerprint ON comics(fingerprint);
CREATE UNIQUE INDEX idx_g0_rank_series ON comics(rank_series);
CREATE UNIQUE INDEX idx_g0_rank_title ON comics(rank_title);
CREATE UNIQUE INDEX idx_g0_rank_added ON comics(rank_added);
CREATE UNIQUE INDEX idx_g0_rank_size ON comics(rank_size);
CREATE UNIQUE INDEX idx_g0_rank_file ON comics(rank_file);
CREATE VIRTUAL TABLE comics_fts USING fts5(series, title, writer, file_name, publisher, content='', tokenize="unicode61 remove_diacritics 2", prefix='2 3');
`;

/** The columns of schema 10's comics table, in order. */
export const SCHEMA_10_COMIC_COLUMNS = [
  'id', 'path', 'folder', 'file_name', 'ext', 'format', 'size', 'mtime_ms', 'inode', 'page_count', 'cover_entry', 'series',
  'number', 'number_sort', 'volume', 'title', 'year', 'month', 'writer', 'penciller', 'publisher', 'genre', 'summary',
  'declared_page_count', 'language_iso', 'manga', 'sources', 'fingerprint', 'dup_count', 'error_kind', 'error_message',
  'added_at', 'changed_at', 'rank_series', 'rank_title', 'rank_added', 'rank_size', 'rank_file',
] as const;

export interface Schema10State {
  fingerprint: string;
  read: boolean;
  lastPage: number | null;
  favourite: boolean;
  updatedAt: number;
}

/**
 * Writes a schema-10 library.db at `file`: one live generation made of `comics` (rows with at least
 * the schema-10 columns, e.g. read from a current library.db) and the given user_state rows.
 */
export function writeSchema10LibraryDb(file: string, comics: ReadonlyArray<Record<string, unknown>>, states: readonly Schema10State[]): void {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.exec(SCHEMA_10_SQL);
    const columns = SCHEMA_10_COMIC_COLUMNS.join(', ');
    const insert = db.prepare(`INSERT INTO comics (${columns}) VALUES (${SCHEMA_10_COMIC_COLUMNS.map((c) => '@' + c).join(', ')})`);
    const fts = db.prepare('INSERT INTO comics_fts (rowid, series, title, writer, file_name, publisher) VALUES (?, ?, ?, ?, ?, ?)');
    const state = db.prepare('INSERT INTO user_state (fingerprint, read, last_page, favourite, updated_at) VALUES (?, ?, ?, ?, ?)');
    const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    db.transaction(() => {
      for (const c of comics) {
        const row = Object.fromEntries(SCHEMA_10_COMIC_COLUMNS.map((name) => [name, c[name] ?? null]));
        insert.run(row);
        fts.run(row.id, row.series ?? '', row.title ?? '', row.writer ?? '', row.file_name, row.publisher ?? '');
      }
      for (const s of states) state.run(s.fingerprint, s.read ? 1 : 0, s.lastPage, s.favourite ? 1 : 0, s.updatedAt);
      const maxId = comics.reduce((m, c) => Math.max(m, Number(c.id)), 0);
      for (const [key, value] of [
        ['generation', 1],
        ['next_id', maxId + 1],
        ['file_count', comics.length],
        ['error_count', comics.filter((c) => c.error_kind !== null && c.error_kind !== undefined).length],
        ['built_at', Date.now()],
        ['last_duration_ms', 10],
      ] as const) {
        meta.run(key, value);
      }
    })();
    db.pragma('user_version = 10');
  } finally {
    db.close();
  }
}
