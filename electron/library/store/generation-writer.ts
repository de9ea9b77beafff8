// Writes the next generation beside the live one and swaps it in with one short transaction.
// Readers (other connections, WAL) see either the complete old generation or the complete new one.
// A crash at any point before the swap's COMMIT leaves the live tables untouched; leftovers
// (`comics_next`) are dropped by the next rebuild.
import type { Db } from './open-database.js';
import type { EnrichedRow, StoredRow } from './comic-row.js';
import { COMIC_COLUMNS, createComicsIndexesSql, createComicsTableSql, createFtsTableSql } from './schema.js';
import { withGenerationFields } from './ranks.js';

const COLUMN_NAMES = COMIC_COLUMNS.map((c) => c.split(' ')[0]!);
const BATCH_SIZE = 2000;

export interface GenerationMeta {
  generation: number;
  nextId: number;
  builtAt: number;
  durationMs: number;
}

export function dropLeftovers(db: Db): void {
  db.exec('DROP TABLE IF EXISTS comics_next; DROP TABLE IF EXISTS comics_fts_next; DROP TABLE IF EXISTS comics_prev; DROP TABLE IF EXISTS comics_fts_prev;');
}

/** Step 1 (slow, concurrent with readers): build comics_next + comics_fts_next from rows in walk order. */
export function writeNextGeneration(db: Db, rows: readonly EnrichedRow[], generation: number, onBatch?: (done: number) => void): StoredRow[] {
  dropLeftovers(db);
  db.exec(createComicsTableSql('comics_next'));
  db.exec(createFtsTableSql('comics_fts_next'));
  const stored = withGenerationFields(rows);
  const insert = db.prepare(
    `INSERT INTO comics_next (${COLUMN_NAMES.join(', ')}) VALUES (${COLUMN_NAMES.map((n) => '@' + n).join(', ')})`,
  );
  // Short transactions keep the write lock brief, so the main process's user-state writes never wait long.
  const insertBatch = db.transaction((batch: readonly StoredRow[]) => {
    for (const row of batch) insert.run(row);
  });
  for (let i = 0; i < stored.length; i += BATCH_SIZE) {
    insertBatch(stored.slice(i, i + BATCH_SIZE));
    onBatch?.(Math.min(i + BATCH_SIZE, stored.length));
  }
  db.exec(
    `INSERT INTO comics_fts_next (rowid, series, title, writer, file_name, publisher)
     SELECT id, coalesce(series, ''), coalesce(title, ''), coalesce(writer, ''), file_name, coalesce(publisher, '') FROM comics_next`,
  );
  for (const sql of createComicsIndexesSql('comics_next', generation)) db.exec(sql);
  return stored;
}

/** Step 2 (milliseconds): rename next → live and record the generation, in one transaction. */
export function swapInNextGeneration(db: Db, meta: GenerationMeta, counts: { fileCount: number; errorCount: number }): void {
  const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  db.transaction(() => {
    db.exec(`ALTER TABLE comics RENAME TO comics_prev; ALTER TABLE comics_next RENAME TO comics;
             ALTER TABLE comics_fts RENAME TO comics_fts_prev; ALTER TABLE comics_fts_next RENAME TO comics_fts;`);
    setMeta.run('generation', meta.generation);
    setMeta.run('next_id', meta.nextId);
    setMeta.run('built_at', meta.builtAt);
    setMeta.run('last_duration_ms', meta.durationMs);
    setMeta.run('file_count', counts.fileCount);
    setMeta.run('error_count', counts.errorCount);
  }).immediate();
  db.exec('DROP TABLE IF EXISTS comics_prev; DROP TABLE IF EXISTS comics_fts_prev;');
}

/** A rescan found no change: the live generation stays, only its age restarts. */
export function markValidated(db: Db, builtAt: number, durationMs: number): void {
  const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  db.transaction(() => {
    setMeta.run('built_at', builtAt);
    setMeta.run('last_duration_ms', durationMs);
  }).immediate();
}

export function readMetaNumber(db: Db, key: string): number | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: unknown } | undefined;
  return typeof row?.value === 'number' ? row.value : null;
}

/** What the rescan compares a walked file with. */
export type LiveKey = Pick<StoredRow, 'id' | 'path' | 'size' | 'mtime_ms' | 'inode' | 'error_kind' | 'added_at'>;

export function readLiveKeys(db: Db): LiveKey[] {
  return db.prepare('SELECT id, path, size, mtime_ms, inode, error_kind, added_at FROM comics').all() as LiveKey[];
}

/** Every row of the live generation, for incremental reuse. */
export function readLiveRows(db: Db): StoredRow[] {
  return db.prepare('SELECT * FROM comics').all() as StoredRow[];
}
