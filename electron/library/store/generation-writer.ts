// Writes the next generation beside the live one and swaps it in with one short transaction.
// Readers (other connections, WAL) see either the complete old generation or the complete new one.
// A crash at any point before the swap's COMMIT leaves the live tables untouched; leftovers
// (`comics_next`) are dropped by the next rebuild.
import type { Db } from './db.js';
import type { EnrichedRow, StoredRow } from './comic-row.js';
import { createComicsIndexesSql, createComicsTableSql, createFtsTableSql } from './schema.js';
import { BROWSE_TABLES, createBrowseTablesSql, swapBrowseTablesSql } from './browse-tables.js';
import { beginNextGeneration } from './next-generation.js';
import { COMIC_ROW, type ColumnSpec } from '../../../shared/comic-fields.js';

export interface GenerationMeta {
  generation: number;
  nextId: number;
  builtAt: number;
  durationMs: number;
}

const GENERATION_TABLES = ['comics', 'comics_fts', ...BROWSE_TABLES];

function dropTables(db: Db, suffix: '_next' | '_prev'): void {
  db.exec(GENERATION_TABLES.map((table) => `DROP TABLE IF EXISTS ${table}${suffix};`).join(' '));
}

export function dropLeftovers(db: Db): void {
  dropTables(db, '_next');
  dropTables(db, '_prev');
}

/**
 * Step 1 (slow, concurrent with readers): build comics_next + comics_fts_next (and the browse tables)
 * from rows in walk order. The rebuild streams its rows into beginNextGeneration instead
 * (store/next-generation.ts); this is the same for rows already in memory.
 */
export function writeNextGeneration(db: Db, rows: readonly EnrichedRow[], generation: number, onBatch?: (done: number) => void): void {
  dropLeftovers(db);
  const next = beginNextGeneration(db, generation, onBatch);
  rows.forEach((row, seq) => next.add(row, seq));
  next.finish();
}

/** Step 2 (milliseconds): rename next → live and record the generation, in one transaction. */
export function swapInNextGeneration(db: Db, meta: GenerationMeta, counts: { fileCount: number; errorCount: number }): void {
  const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  db.transaction(() => {
    db.exec(`ALTER TABLE comics RENAME TO comics_prev; ALTER TABLE comics_next RENAME TO comics;
             ALTER TABLE comics_fts RENAME TO comics_fts_prev; ALTER TABLE comics_fts_next RENAME TO comics_fts;
             ${swapBrowseTablesSql()}`);
    setMeta.run('generation', meta.generation);
    setMeta.run('next_id', meta.nextId);
    setMeta.run('built_at', meta.builtAt);
    setMeta.run('last_duration_ms', meta.durationMs);
    setMeta.run('file_count', counts.fileCount);
    setMeta.run('error_count', counts.errorCount);
  }).immediate();
  dropTables(db, '_prev');
}

/**
 * Version of the derived tables' shape (comics columns, FTS columns, the browse tables). Bump it when
 * that shape changes: a database written by an older version gets its live generation rewritten from
 * its own rows at open (no file is read again), so the live tables always match this code.
 */
// 3: ranks tie on the raw path (not the walk position) and the rank indexes are not UNIQUE (delta generations).
// 4: the enrich_signature column (enrich-signature.ts); older rows get null (no reuse until re-read).
export const DERIVED_VERSION = 4;

const NULLABLE_ROW_COLUMNS = COMIC_ROW.filter((c: ColumnSpec) => c.stage !== 'generation' && c.nullable).map((c) => c.column);

/** A row read from an older table: a nullable column it did not have yet is null. */
function withMissingColumns(row: StoredRow): StoredRow {
  const missing = NULLABLE_ROW_COLUMNS.filter((column) => !(column in row));
  return missing.length === 0 ? row : { ...(Object.fromEntries(missing.map((column) => [column, null])) as Partial<StoredRow>), ...row };
}

/** Brings the derived tables up to DERIVED_VERSION (called by migrate on writable connections). */
export function upgradeDerivedTables(db: Db): void {
  const version = readMetaNumber(db, 'derived_version') ?? 1;
  if (version >= DERIVED_VERSION) return;
  const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  const generation = readMetaNumber(db, 'generation') ?? 0;
  if (generation === 0) {
    // Never built: empty tables of the current shape.
    db.transaction(() => {
      dropLeftovers(db);
      db.exec(GENERATION_TABLES.map((table) => `DROP TABLE IF EXISTS ${table};`).join(' '));
      db.exec(createComicsTableSql('comics'));
      for (const sql of createComicsIndexesSql('comics', 0)) db.exec(sql);
      db.exec(createFtsTableSql('comics_fts'));
      for (const sql of createBrowseTablesSql('live', 0)) db.exec(sql);
      setMeta.run('derived_version', DERIVED_VERSION);
    }).immediate();
    return;
  }
  // The rows' own columns are read as they are; the generation-wide ones are computed again.
  const rows = readLiveRows(db).map(withMissingColumns);
  const hasBrowseTables = db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'series'`).get() !== undefined;
  if (!hasBrowseTables) for (const sql of createBrowseTablesSql('live', generation)) db.exec(sql);
  writeNextGeneration(db, rows, generation + 1);
  swapInNextGeneration(
    db,
    {
      generation: generation + 1,
      nextId: readMetaNumber(db, 'next_id') ?? rows.reduce((max, r) => Math.max(max, r.id + 1), 1),
      builtAt: readMetaNumber(db, 'built_at') ?? Date.now(),
      durationMs: readMetaNumber(db, 'last_duration_ms') ?? 0,
    },
    { fileCount: rows.length, errorCount: rows.filter((r) => r.error_kind !== null).length },
  );
  setMeta.run('derived_version', DERIVED_VERSION);
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

/** Live keys per chunk of iterateLiveKeys: large enough for `all()`'s speed, small enough to be young garbage. */
export const LIVE_KEY_CHUNK = 4096;

/**
 * The live keys in id order, read in chunks of `chunk` rows (keyset pages by id): the plan consumes them
 * as a stream (rebuild-plan.ts), so no array of the whole generation's keys is ever held. Nothing else
 * may write the connection's comics table until the iteration ends.
 */
export function* iterateLiveKeys(db: Db, chunk = LIVE_KEY_CHUNK): Generator<LiveKey> {
  const page = db.prepare('SELECT id, path, size, mtime_ms, inode, error_kind, added_at FROM comics WHERE id > ? ORDER BY id LIMIT ?');
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const rows = page.all(after, chunk) as LiveKey[];
    yield* rows;
    if (rows.length < chunk) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** The live rows with these ids (a delta rebuild loads only the rows it touches). */
export function readRowsByIds(db: Db, ids: readonly number[]): StoredRow[] {
  if (ids.length === 0) return [];
  return db.prepare('SELECT * FROM comics WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as StoredRow[];
}

/** Every row of the live generation, for incremental reuse. */
export function readLiveRows(db: Db): StoredRow[] {
  return db.prepare('SELECT * FROM comics').all() as StoredRow[];
}
