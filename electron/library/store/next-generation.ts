// The next generation, written as a stream: rows arrive one by one (in any order, each with its place
// `seq` in the generation's order), go to comics_next in short batched transactions, and the few sort
// keys each row needs are kept in a temporary table, not in JS. When the last row is in, `finish`
// computes the generation-wide fields in SQL (ranks with window functions, duplicate counts, the
// series key with its usual volume), then the FTS table, the indexes and the browse tables, all from
// comics_next. So the writer holds at most one batch of rows whatever the library's size.
//
// The result is the same as withGenerationFields (ranks.ts): both compare text in code point order
// (SQLite's UTF-8 bytes; ranks.ts compareText) and end every sort order on the raw path, unique in a
// generation, so a row's ranks never depend on where it came in the walk (a delta generation,
// delta-writer.ts, places changed rows with the same keys).
import type { Db } from './db.js';
import type { EnrichedRow } from './comic-row.js';
import { COMIC_ROW, type ColumnSpec } from '../../../shared/comic-fields.js';
import { COMIC_COLUMN_NAMES, createComicsIndexesSql, createComicsTableSql, createFtsTableSql, fillFtsTableSql } from './schema.js';
import { naturalKey, seriesKey } from './ranks.js';
import { seriesIdentity } from './series-key.js';
import { writeNextBrowseTablesFromNext } from './browse-tables.js';

/** Rows per insert transaction: short, so the main process's user-state writes never wait long. */
export const NEXT_BATCH_SIZE = 1000;

const COLUMN_NAMES = COMIC_COLUMN_NAMES;
/** The row's own columns from the row; the generation-wide ones (shared/comic-fields.ts) get placeholders until `finish`. */
const INSERT_VALUES = COMIC_ROW.map((c: ColumnSpec) => (c.stage !== 'generation' ? `@${c.column}` : c.type === 'text' ? "''" : '0'));

export interface NextGeneration {
  /** Queues one row; `seq` is its place in the generation (the order rows are inserted in). */
  add(row: EnrichedRow, seq: number): void;
  /** Rows handed to `add` so far (written or queued). */
  readonly added: number;
  /** Rows written to comics_next so far. */
  readonly written: number;
  /** Rows queued in JS, not yet written (at most the batch size): what the writer holds. */
  readonly queued: number;
  /** The largest `queued` seen (tests: the writer's memory stays bounded). */
  readonly maxQueued: number;
  /** Writes the rest, then ranks, duplicates, series keys, FTS, indexes and browse tables. */
  finish(): void;
}

interface QueuedRow {
  row: EnrichedRow;
  seq: number;
}

/** Step 1 of a generation: an empty comics_next (leftovers of a crashed rebuild are dropped by the caller). */
export function beginNextGeneration(db: Db, generation: number, onBatch?: (written: number) => void, batchSize = NEXT_BATCH_SIZE): NextGeneration {
  db.exec(createComicsTableSql('comics_next'));
  db.exec(createFtsTableSql('comics_fts_next'));
  // Per-row sort keys (JS functions: natural order, NFKC series names), by the row's place in the order.
  db.exec(`DROP TABLE IF EXISTS temp.next_keys; DROP TABLE IF EXISTS temp.next_usual_volume;
    CREATE TEMP TABLE next_keys (seq INTEGER PRIMARY KEY, id INTEGER NOT NULL, series_sort TEXT NOT NULL, series_id TEXT NOT NULL,
      path_key TEXT NOT NULL, file_key TEXT NOT NULL, title_key TEXT NOT NULL, number_key TEXT NOT NULL)`);
  const insertRow = db.prepare(`INSERT INTO comics_next (${COLUMN_NAMES.join(', ')}) VALUES (${INSERT_VALUES.join(', ')})`);
  const insertKeys = db.prepare('INSERT INTO temp.next_keys VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const writeBatch = db.transaction((batch: readonly QueuedRow[]) => {
    for (const { row, seq } of batch) {
      insertRow.run(row);
      const seriesName = row.series ?? row.file_name;
      insertKeys.run(
        seq,
        row.id,
        seriesKey(seriesName),
        // The identity without its volume: the volume is generation-wide (the series' usual one).
        seriesIdentity(seriesName, null),
        naturalKey(row.path),
        naturalKey(row.file_name),
        naturalKey(row.title ?? row.series ?? row.file_name),
        naturalKey(row.number ?? ''),
      );
    }
  });
  let queue: QueuedRow[] = [];
  let added = 0;
  let written = 0;
  let maxQueued = 0;
  const flush = () => {
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    writeBatch(batch);
    written += batch.length;
    onBatch?.(written);
  };
  return {
    add(row, seq) {
      queue.push({ row, seq });
      added++;
      if (queue.length > maxQueued) maxQueued = queue.length;
      if (queue.length >= batchSize) flush();
    },
    get added() {
      return added;
    },
    get written() {
      return written;
    },
    get queued() {
      return queue.length;
    },
    get maxQueued() {
      return maxQueued;
    },
    finish() {
      flush();
      computeGenerationFields(db);
      db.exec(fillFtsTableSql('comics_fts_next', 'comics_next'));
      for (const sql of createComicsIndexesSql('comics_next', generation)) db.exec(sql);
      writeNextBrowseTablesFromNext(db, generation);
      db.exec('DROP TABLE IF EXISTS temp.next_keys; DROP TABLE IF EXISTS temp.next_usual_volume;');
    },
  };
}

/**
 * Ranks, duplicate counts and series keys of every row of comics_next, as withGenerationFields
 * (ranks.ts) computes them: each rank is the row's dense 0-based position in its sort order, ties
 * broken by the path's natural key and then by the path itself.
 */
function computeGenerationFields(db: Db): void {
  // The volume a series' issues sort under when they carry none: the one most of them carry (ties: the lower).
  db.exec(`CREATE TEMP TABLE next_usual_volume (series_sort TEXT PRIMARY KEY, volume INTEGER NOT NULL);
    INSERT INTO temp.next_usual_volume
    SELECT series_sort, volume FROM (
      SELECT k.series_sort AS series_sort, c.volume AS volume,
             row_number() OVER (PARTITION BY k.series_sort ORDER BY count(*) DESC, c.volume) AS place
      FROM temp.next_keys k JOIN comics_next c ON c.id = k.id
      WHERE c.volume IS NOT NULL
      GROUP BY k.series_sort, c.volume)
    WHERE place = 1;`);
  const volume = 'coalesce(c.volume, u.volume)';
  db.exec(`UPDATE comics_next SET
      dup_count = r.dup_count, series_key = r.series_key,
      rank_series = r.rank_series, rank_title = r.rank_title, rank_added = r.rank_added, rank_size = r.rank_size, rank_file = r.rank_file
    FROM (
      SELECT k.id AS id,
        CASE WHEN c.error_kind IS NULL THEN count(*) FILTER (WHERE c.error_kind IS NULL) OVER (PARTITION BY c.fingerprint) ELSE 1 END AS dup_count,
        k.series_id || CASE WHEN ${volume} IS NULL THEN '' ELSE '~' || ${volume} END AS series_key,
        row_number() OVER (ORDER BY k.series_sort, coalesce(${volume}, -1), coalesce(c.number_sort, ${Number.MAX_SAFE_INTEGER}), k.number_key, k.path_key, c.path) - 1 AS rank_series,
        row_number() OVER (ORDER BY k.title_key, k.path_key, c.path) - 1 AS rank_title,
        row_number() OVER (ORDER BY c.added_at, k.path_key, c.path) - 1 AS rank_added,
        row_number() OVER (ORDER BY c.size, k.path_key, c.path) - 1 AS rank_size,
        row_number() OVER (ORDER BY k.file_key, k.path_key, c.path) - 1 AS rank_file
      FROM temp.next_keys k
      JOIN comics_next c ON c.id = k.id
      LEFT JOIN temp.next_usual_volume u ON u.series_sort = k.series_sort
    ) AS r
    WHERE comics_next.id = r.id`);
}
