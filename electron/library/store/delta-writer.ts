// A delta generation: the next generation written as a patch of the live tables instead of a rewrite,
// for a rescan that changed a small part of the library (rebuild-job.ts decides; docs/architecture.md
// "Delta generations"). Everything happens in ONE IMMEDIATE transaction on the live tables: readers on
// other connections (WAL) keep the complete old generation until COMMIT and then see the complete new
// one; a throw or a crash before COMMIT leaves the live generation as it was. The result is exactly
// the rows, ranks, FTS entries, series and folders that a full rewrite (generation-writer.ts) of the
// same rows writes (delta-writer.test.ts compares the two on random change sets).
//
// Ranks stay dense. For each sort order, the rows whose key changed (and the removed ones) leave
// their old ranks, each changed or new row is placed by a binary search over the live rank index
// (its key against the keys of the rows at probed ranks), and every other row moves by the number of
// rows that arrived below it minus the number that left below it: one UPDATE over the ranks between
// the first and last change (or to the end when the count changed), nothing elsewhere.
//
// Over ~400 lines on purpose: its steps (rows, volumes, ranks, FTS, duplicates, series, folders,
// check) share one transaction and one set of touched keys, and the crash test injects a throw
// before each; read it top to bottom as one procedure.
import type { Db } from './db.js';
import type { EnrichedRow, StoredRow } from './comic-row.js';
import { COMIC_COLUMN_NAMES, ftsValuesSql } from './schema.js';
import { COMIC_ROW, SEARCH_COLUMNS } from '../../../shared/comic-fields.js';
import {
  compareTuples,
  RANK_COLUMN_OF,
  SORT_ORDERS,
  seriesNameOf,
  sortKeysOf,
  volumeOfSeriesKey,
  VolumeCounts,
  type SortOrder,
  type SortTuple,
} from './ranks.js';
import { seriesIdentity } from './series-key.js';
import { builtOfRow, emptyFolderRow, FOLDER_COLUMNS, rankSeries, seriesOf, SERIES_COLUMNS, type BuiltSeries, type FolderRow, type SeriesMember, type SeriesRow } from './browse-tables.js';
import { readRowsByIds, type GenerationMeta } from './generation-writer.js';

export interface GenerationDelta {
  /** Ids of live rows whose files are gone. */
  removedIds: readonly number[];
  /** New rows and new versions of live rows (same id): the enriched fields; the generation-wide ones are computed here. */
  upserts: readonly EnrichedRow[];
}

/** The steps of a delta write, in order (tests inject a crash before each). */
export const DELTA_STEPS = ['read', 'volumes', 'ranks', 'delete', 'shift', 'insert', 'duplicates', 'series', 'folders', 'check', 'meta'] as const;
export type DeltaStep = (typeof DELTA_STEPS)[number];

export interface DeltaHooks {
  /** Called before each step, inside the write transaction. */
  beforeStep?: (step: DeltaStep) => void;
}

export interface DeltaResult {
  fileCount: number;
  errorCount: number;
  /** Rows written (changed, new, or regrouped by a new usual volume) and rows whose ranks moved. */
  written: number;
  shifted: number;
}

const COLUMN_NAMES = COMIC_COLUMN_NAMES;
const GENERATION_FIELDS = new Set<string>(COMIC_ROW.filter((c) => c.stage === 'generation').map((c) => c.column));
const FTS_COLUMNS = SEARCH_COLUMNS.join(', ');
const FTS_VALUES = ftsValuesSql();
const IDS = 'SELECT value FROM json_each(?)';
const SHIFT_FUNCTION = 'longbox_delta_rank_shift';
/** Columns a row patched in place may change (not its id, not the generation-wide fields). */
const PATCHABLE_COLUMNS = COLUMN_NAMES.filter((column) => column !== 'id' && !GENERATION_FIELDS.has(column));
const SEARCH_COLUMN_SET = new Set<string>(SEARCH_COLUMNS);

/** The enriched fields of a stored row (what a rescan would have produced for it). */
function enrichedOf(row: StoredRow): EnrichedRow {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) if (!GENERATION_FIELDS.has(key)) out[key] = value;
  return out as unknown as EnrichedRow;
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How one sort order changes: where rows arrive (old-order positions) and which old ranks leave. */
interface OrderChange {
  /** For each arriving row (in new key order): how many live rows have a smaller key. Non-decreasing. */
  arrivals: number[];
  /** Old ranks of the rows that leave this order's sequence (removed, or their key changed). Sorted. */
  departures: number[];
}

/** Rank movement of a row that stays at old rank `rank` (not a departure). */
function shiftOf(change: OrderChange, rank: number): number {
  return upperBound(change.arrivals, rank) - lowerBound(change.departures, rank);
}

/** The old ranks whose rows may move: [from, to) (to = Infinity when the row count changes). */
function shiftedRange(change: OrderChange): { from: number; to: number } | null {
  const { arrivals, departures } = change;
  if (arrivals.length === 0 && departures.length === 0) return null;
  const from = Math.min(arrivals[0] ?? Infinity, (departures[0] ?? Infinity) + 1);
  const to = arrivals.length === departures.length ? Math.max(arrivals[arrivals.length - 1] ?? -1, (departures[departures.length - 1] ?? -2) + 1) : Infinity;
  return from < to ? { from, to } : null;
}

const SORT_INPUT_COLUMNS = 'path, file_name, title, series, number, number_sort, size, added_at, series_key';
type SortInputRow = Pick<StoredRow, 'path' | 'file_name' | 'title' | 'series' | 'number' | 'number_sort' | 'size' | 'added_at' | 'series_key'>;

function storedKeysOf(row: SortInputRow): Record<SortOrder, SortTuple> {
  return sortKeysOf(row, volumeOfSeriesKey(row.series_key));
}

/** Live rows of a series name: found by the name part of their series key, then checked by name. */
type GroupMember = Pick<StoredRow, 'id' | 'series' | 'file_name' | 'volume' | 'series_key'>;

function seriesMembers(db: Db, name: string, rawName: string): GroupMember[] {
  // Equal series names (ranks.ts seriesKey) always give the same key base (series-key.ts), so the
  // members are among the keys `base` and `base~<volume>`.
  const base = seriesIdentity(rawName, null);
  const rows = db
    .prepare('SELECT id, series, file_name, volume, series_key FROM comics WHERE series_key = ? OR (series_key >= ? AND series_key < ?)')
    .all(base, `${base}~`, `${base}\u007f`) as GroupMember[];
  return rows.filter((row) => seriesNameOf(row) === name);
}

function metaNumber(db: Db, key: string): number {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: unknown } | undefined;
  return typeof row?.value === 'number' ? row.value : 0;
}

/** Writes the next generation as a patch of the live one, in one transaction (see the header). */
export function writeDeltaGeneration(db: Db, delta: GenerationDelta, meta: GenerationMeta, hooks: DeltaHooks = {}): DeltaResult {
  const step = (name: DeltaStep) => hooks.beforeStep?.(name);
  return db.transaction((): DeltaResult => {
    step('read');
    const gone = new Set(delta.removedIds);
    const next = new Map<number, EnrichedRow>();
    for (const row of delta.upserts) {
      if (gone.has(row.id) || next.has(row.id)) throw new Error(`delta: row ${row.id} is named twice`);
      next.set(row.id, row);
    }
    const old = new Map<number, StoredRow>(readRowsByIds(db, [...gone, ...next.keys()]).map((row) => [row.id, row]));
    for (const id of gone) if (!old.has(id)) throw new Error(`delta: removed row ${id} is not in the live generation`);
    const liveCount = metaNumber(db, 'file_count');

    // A series' usual volume can change with its issues: its issues without a volume of their own
    // then move to another series key and sort position, so they are written again too.
    step('volumes');
    const names = new Map<string, string>();
    for (const row of [...old.values(), ...next.values()]) names.set(seriesNameOf(row), row.series ?? row.file_name);
    const upsertsByName = groupBySeriesName(next.values());
    const departingByName = groupBySeriesName(old.values());
    const volumeOf = new Map<number, number | null>();
    const regrouped: number[] = [];
    for (const [name, rawName] of names) {
      const arriving = upsertsByName.get(name) ?? [];
      const departing = departingByName.get(name) ?? [];
      // The usual volume changes only with the volumes the series' issues carry. When those stay (a
      // touched file, a changed title), it is read from a leaving issue without a volume of its own.
      const net = new Map<number, number>();
      for (const row of departing) if (row.volume !== null) net.set(row.volume, (net.get(row.volume) ?? 0) - 1);
      for (const row of arriving) if (row.volume !== null) net.set(row.volume, (net.get(row.volume) ?? 0) + 1);
      if ([...net.values()].every((n) => n === 0)) {
        const witness = departing.find((row) => row.volume === null);
        if (witness || arriving.every((row) => row.volume !== null)) {
          const usual = witness ? volumeOfSeriesKey(witness.series_key) : null;
          for (const row of arriving) volumeOf.set(row.id, row.volume ?? usual);
          continue;
        }
      }
      const members = seriesMembers(db, name, rawName).filter((row) => !gone.has(row.id) && !next.has(row.id));
      const counts = new VolumeCounts();
      for (const row of members) counts.add(name, row.volume);
      for (const row of arriving) counts.add(name, row.volume);
      const usual = counts.usual(name);
      for (const row of arriving) volumeOf.set(row.id, row.volume ?? usual);
      for (const row of members) {
        if (row.volume !== null || volumeOfSeriesKey(row.series_key) === usual) continue;
        regrouped.push(row.id);
        volumeOf.set(row.id, usual);
      }
    }
    for (const row of readRowsByIds(db, regrouped)) {
      old.set(row.id, row);
      next.set(row.id, enrichedOf(row));
    }

    step('ranks');
    const written = [...next.values()];
    const newKeys = new Map(written.map((row) => [row.id, sortKeysOf(row, volumeOf.get(row.id) ?? null)]));
    const oldKeys = new Map([...old.values()].map((row) => [row.id, storedKeysOf(row)]));
    const newRanks = new Map<number, Record<SortOrder, number>>(written.map((row) => [row.id, {} as Record<SortOrder, number>]));
    const changes = {} as Record<SortOrder, OrderChange>;
    for (const order of SORT_ORDERS) {
      const column = RANK_COLUMN_OF[order];
      const departures = [...gone].map((id) => old.get(id)![column]);
      const staying: Array<{ id: number; rank: number }> = [];
      const arriving: Array<{ id: number; key: SortTuple }> = [];
      for (const row of written) {
        const key = newKeys.get(row.id)![order];
        const before = old.get(row.id);
        if (before && compareTuples(oldKeys.get(row.id)![order], key) === 0) {
          staying.push({ id: row.id, rank: before[column] });
          continue;
        }
        if (before) departures.push(before[column]);
        arriving.push({ id: row.id, key });
      }
      departures.sort((a, b) => a - b);
      arriving.sort((a, b) => compareTuples(a.key, b.key));
      const probe = db.prepare(`SELECT ${SORT_INPUT_COLUMNS} FROM comics WHERE ${column} = ?`);
      const probed = new Map<number, SortTuple>();
      const keyAt = (rank: number): SortTuple => {
        let key = probed.get(rank);
        if (!key) {
          const row = probe.get(rank) as SortInputRow | undefined;
          if (!row) throw new Error(`delta: no live row at ${column} ${rank}`);
          key = storedKeysOf(row)[order];
          probed.set(rank, key);
        }
        return key;
      };
      // How many live rows sort before each arriving key (the arriving keys ascend, so each search
      // starts where the previous one ended).
      const arrivals: number[] = [];
      let lo = 0;
      for (const { key } of arriving) {
        let hi = liveCount;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (compareTuples(keyAt(mid), key) < 0) lo = mid + 1;
          else hi = mid;
        }
        arrivals.push(lo);
      }
      const change: OrderChange = { arrivals, departures };
      changes[order] = change;
      arriving.forEach(({ id }, j) => (newRanks.get(id)![order] = arrivals[j]! - lowerBound(departures, arrivals[j]!) + j));
      for (const { id, rank } of staying) newRanks.get(id)![order] = rank + shiftOf(change, rank);
    }

    // A row that keeps its key in every order and its series key (a touched file, a new inode, a fixed
    // page count) stays where it is: the shift below moves its ranks like those of every staying row, and only its
    // columns that differ are updated, so the rank, path and series indexes and (unless a search column
    // changed) its FTS entry are not touched. Every other written row is deleted and inserted again.
    const seriesKeyOf = (row: EnrichedRow) => seriesIdentity(row.series ?? row.file_name, volumeOf.get(row.id) ?? null);
    const patches = new Map<number, { columns: string[]; search: boolean }>();
    for (const row of written) {
      const before = old.get(row.id);
      if (!before || before.series_key !== seriesKeyOf(row)) continue;
      if (!SORT_ORDERS.every((order) => compareTuples(oldKeys.get(row.id)![order], newKeys.get(row.id)![order]) === 0)) continue;
      const columns = PATCHABLE_COLUMNS.filter((column) => (before as unknown as Record<string, unknown>)[column] !== (row as unknown as Record<string, unknown>)[column]);
      patches.set(row.id, { columns, search: columns.some((column) => SEARCH_COLUMN_SET.has(column)) });
    }

    step('delete');
    const dropped = [...old.keys()].filter((id) => !patches.has(id));
    const reindexed = [...patches].filter(([, patch]) => patch.search).map(([id]) => id);
    db.prepare(
      `INSERT INTO comics_fts (comics_fts, rowid, ${FTS_COLUMNS}) SELECT 'delete', id, ${FTS_VALUES} FROM comics WHERE id IN (${IDS})`,
    ).run(JSON.stringify([...dropped, ...reindexed]));
    db.prepare(`DELETE FROM comics WHERE id IN (${IDS})`).run(JSON.stringify(dropped));

    step('shift');
    const shifted = shiftRanks(db, changes);

    step('insert');
    const insert = db.prepare(`INSERT INTO comics (${COLUMN_NAMES.join(', ')}) VALUES (${COLUMN_NAMES.map((n) => '@' + n).join(', ')})`);
    const updates = new Map<string, ReturnType<Db['prepare']>>();
    for (const row of written) {
      const patch = patches.get(row.id);
      if (patch) {
        if (patch.columns.length === 0) continue;
        const sql = `UPDATE comics SET ${patch.columns.map((column) => `${column} = @${column}`).join(', ')} WHERE id = @id`;
        let update = updates.get(sql);
        if (!update) updates.set(sql, (update = db.prepare(sql)));
        update.run(Object.fromEntries([['id', row.id], ...patch.columns.map((column) => [column, (row as unknown as Record<string, unknown>)[column]])]));
        continue;
      }
      const ranks = newRanks.get(row.id)!;
      insert.run({
        ...row,
        // Set for real by the duplicates step below (it counts the other rows of the fingerprint).
        dup_count: 1,
        series_key: seriesKeyOf(row),
        rank_series: ranks.series,
        rank_title: ranks.title,
        rank_added: ranks.added,
        rank_size: ranks.size,
        rank_file: ranks.file,
      });
    }
    db.prepare(
      `INSERT INTO comics_fts (rowid, ${FTS_COLUMNS}) SELECT id, ${FTS_VALUES} FROM comics WHERE id IN (${IDS})`,
    ).run(JSON.stringify([...written.filter((row) => !patches.has(row.id)).map((row) => row.id), ...reindexed]));

    step('duplicates');
    const fingerprints = new Set<string>();
    for (const row of [...old.values(), ...written]) if (row.error_kind === null) fingerprints.add(row.fingerprint);
    const recount = db.prepare(
      `UPDATE comics SET dup_count = (SELECT count(*) FROM comics d WHERE d.fingerprint = @fp AND d.error_kind IS NULL) WHERE fingerprint = @fp AND error_kind IS NULL`,
    );
    for (const fp of fingerprints) recount.run({ fp });

    step('series');
    // A series changes when an issue comes, goes, or changes what the series row is made of (or its
    // place among the series' issues); a touched file changes none of that.
    const seriesKeys = new Set<string>([...gone].map((id) => old.get(id)!.series_key));
    for (const row of written) {
      const key = seriesIdentity(row.series ?? row.file_name, volumeOf.get(row.id) ?? null);
      const before = old.get(row.id);
      if (before && before.series_key === key && compareTuples(oldKeys.get(row.id)!.series, newKeys.get(row.id)!.series) === 0 && sameSeriesFields(before, row)) continue;
      seriesKeys.add(key);
      if (before) seriesKeys.add(before.series_key);
    }
    if (seriesKeys.size > 0) patchSeries(db, seriesKeys);

    step('folders');
    patchFolders(db, [...old.values()], written);

    step('check');
    const fileCount = liveCount - gone.size + written.filter((row) => !old.has(row.id)).length;
    checkRanks(db, fileCount);

    step('meta');
    const errorCount =
      metaNumber(db, 'error_count') - [...old.values()].filter((row) => row.error_kind !== null).length + written.filter((row) => row.error_kind !== null).length;
    const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    setMeta.run('generation', meta.generation);
    setMeta.run('next_id', meta.nextId);
    setMeta.run('built_at', meta.builtAt);
    setMeta.run('last_duration_ms', meta.durationMs);
    setMeta.run('file_count', fileCount);
    setMeta.run('error_count', errorCount);
    return { fileCount, errorCount, written: written.length, shifted };
  }).immediate();
}

/** Moves the staying rows' ranks of every changed order in one UPDATE (each row written once). */
function shiftRanks(db: Db, changes: Record<SortOrder, OrderChange>): number {
  const active = SORT_ORDERS.map((order, index) => ({ order, index, range: shiftedRange(changes[order]) })).filter(
    (o): o is { order: SortOrder; index: number; range: { from: number; to: number } } => o.range !== null,
  );
  if (active.length === 0) return 0;
  db.function(SHIFT_FUNCTION, { deterministic: true }, (order: unknown, rank: unknown) => shiftOf(changes[SORT_ORDERS[order as number]!], rank as number));
  const set = active.map(({ order, index }) => {
    const column = RANK_COLUMN_OF[order];
    return `${column} = ${column} + ${SHIFT_FUNCTION}(${index}, ${column})`;
  });
  const where = active.map(({ order, range }) => {
    const column = RANK_COLUMN_OF[order];
    return range.to === Infinity ? `${column} >= ${range.from}` : `(${column} >= ${range.from} AND ${column} < ${range.to})`;
  });
  return db.prepare(`UPDATE comics SET ${set.join(', ')} WHERE ${where.join(' OR ')}`).run().changes;
}

/** A cheap guard before the meta update: every order's ranks are 0…count−1 at their ends. */
function checkRanks(db: Db, fileCount: number): void {
  const count = (db.prepare('SELECT count(*) AS n FROM comics').get() as { n: number }).n;
  if (count !== fileCount) throw new Error(`delta: ${count} rows, expected ${fileCount}`);
  for (const column of Object.values(RANK_COLUMN_OF)) {
    const { lo, hi } = db.prepare(`SELECT min(${column}) AS lo, max(${column}) AS hi FROM comics`).get() as { lo: number | null; hi: number | null };
    if (count > 0 && (lo !== 0 || hi !== count - 1)) throw new Error(`delta: ${column} spans ${lo}…${hi} over ${count} rows`);
  }
}

/** The row fields a series row is made of (browse-tables.ts seriesOf), besides its key and issue order. */
const SERIES_MEMBER_FIELDS = ['series', 'error_kind', 'fingerprint', 'year', 'added_at', 'volume', 'publisher', 'file_name'] as const;

function sameSeriesFields(a: EnrichedRow, b: EnrichedRow): boolean {
  return SERIES_MEMBER_FIELDS.every((field) => a[field] === b[field]);
}

const SERIES_NAMES = SERIES_COLUMNS.map((c) => c.split(' ')[0]!) as Array<keyof SeriesRow>;

/** Recomputes the series of `keys` from their issues, then the ids and ranks of every series; writes what differs. */
function patchSeries(db: Db, keys: ReadonlySet<string>): void {
  const before = db.prepare('SELECT * FROM series').all() as SeriesRow[];
  const beforeByKey = new Map(before.map((row) => [row.key, row]));
  const entries: BuiltSeries[] = before.filter((row) => !keys.has(row.key)).map(builtOfRow);
  // The issues of the series in issue order, as the full rewrite hands them over.
  const issuesOf = db.prepare(
    'SELECT id, series_key, series, error_kind, fingerprint, year, added_at, volume, publisher, file_name, rank_series FROM comics WHERE series_key = ? ORDER BY rank_series',
  );
  for (const key of keys) {
    const issues = issuesOf.all(key) as SeriesMember[];
    const entry = issues.length > 0 ? seriesOf(key, issues) : null;
    if (entry) entries.push(entry);
  }
  const after = rankSeries(entries);
  const changed = after.filter((row) => {
    const previous = beforeByKey.get(row.key);
    return !previous || SERIES_NAMES.some((name) => previous[name] !== row[name]);
  });
  const changedKeys = new Set(changed.map((row) => row.key));
  const afterKeys = new Set(after.map((row) => row.key));
  const stale = before.filter((row) => changedKeys.has(row.key) || !afterKeys.has(row.key));
  if (stale.length === 0 && changed.length === 0) return;
  const ftsDelete = db.prepare(`INSERT INTO series_fts (series_fts, rowid, name, publisher) VALUES ('delete', ?, ?, ?)`);
  const remove = db.prepare('DELETE FROM series WHERE id = ?');
  for (const row of stale) {
    ftsDelete.run(row.id, row.name, row.publisher ?? '');
    remove.run(row.id);
  }
  const insert = db.prepare(`INSERT INTO series (${SERIES_NAMES.join(', ')}) VALUES (${SERIES_NAMES.map((n) => '@' + n).join(', ')})`);
  const ftsInsert = db.prepare('INSERT INTO series_fts (rowid, name, publisher) VALUES (?, ?, ?)');
  for (const row of changed) {
    insert.run(row);
    ftsInsert.run(row.id, row.name, row.publisher ?? '');
  }
}

const FOLDER_NAMES = FOLDER_COLUMNS.map((c) => c.split(' ')[0]!);

/** Moves the comic counts of the folders (and their ancestors) that rows left and entered. */
function patchFolders(db: Db, before: readonly StoredRow[], after: readonly EnrichedRow[]): void {
  const deltas = new Map<string, { direct: number; total: number }>();
  const bump = (folder: string, by: number) => {
    let path: string | null = folder;
    let direct = by;
    while (path !== null) {
      const d = deltas.get(path) ?? { direct: 0, total: 0 };
      d.direct += direct;
      d.total += by;
      deltas.set(path, d);
      direct = 0;
      path = emptyFolderRow(path).parent;
    }
  };
  for (const row of before) bump(row.folder, -1);
  for (const row of after) bump(row.folder, 1);
  const read = db.prepare('SELECT * FROM folders WHERE path = ?');
  const remove = db.prepare('DELETE FROM folders WHERE path = ?');
  const upsert = db.prepare(
    `INSERT INTO folders (${FOLDER_NAMES.join(', ')}) VALUES (${FOLDER_NAMES.map((n) => '@' + n).join(', ')})
     ON CONFLICT(path) DO UPDATE SET comic_count = excluded.comic_count, direct_count = excluded.direct_count`,
  );
  for (const [path, d] of deltas) {
    if (d.direct === 0 && d.total === 0) continue;
    const row: FolderRow = (read.get(path) as FolderRow | undefined) ?? emptyFolderRow(path);
    const comicCount = row.comic_count + d.total;
    const directCount = row.direct_count + d.direct;
    if (comicCount < 0 || directCount < 0 || directCount > comicCount) throw new Error(`delta: folder ${path} would count ${directCount}/${comicCount}`);
    // The root stays (empty or not), as in a full rewrite; any other folder goes with its last comic.
    if (comicCount === 0 && path !== '') remove.run(path);
    else upsert.run({ ...row, comic_count: comicCount, direct_count: directCount });
  }
}

/** The rows by their series name (seriesNameOf), in the order given. */
function groupBySeriesName<R extends EnrichedRow | StoredRow>(rows: Iterable<R>): Map<string, R[]> {
  const byName = new Map<string, R[]>();
  for (const row of rows) {
    const name = seriesNameOf(row);
    const list = byName.get(name);
    if (list) list.push(row);
    else byName.set(name, [row]);
  }
  return byName;
}
