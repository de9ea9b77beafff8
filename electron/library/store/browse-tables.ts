// The series and folder tables of a generation. The worker computes them from the generation's rows
// (from comics_next once its ranks are written, streaming in series order; or from rows in memory)
// and writes them beside comics_next; the swap renames them in with
// the comics table, so a reader always sees series, folders and comics of the same generation.
import type { SeriesSummary } from '../../../shared/types.js';
import type { Db } from './db.js';
import type { StoredRow } from './comic-row.js';
import { naturalKey, seriesKey as seriesSortKey } from './ranks.js';

export const SERIES_COLUMNS = [
  // Dense 0-based position in name order, also the FTS rowid.
  'id INTEGER PRIMARY KEY',
  'key TEXT NOT NULL',
  'name TEXT NOT NULL',
  'volume INTEGER',
  'year INTEGER',
  'publisher TEXT',
  'issue_count INTEGER NOT NULL',
  'cover_id INTEGER NOT NULL',
  'cover_fingerprint TEXT NOT NULL',
  'added_at INTEGER NOT NULL',
  'rank_year INTEGER NOT NULL',
  'rank_added INTEGER NOT NULL',
  'rank_issues INTEGER NOT NULL',
] as const;

export const FOLDER_COLUMNS = [
  'path TEXT PRIMARY KEY',
  'parent TEXT',
  'name TEXT NOT NULL',
  'name_key TEXT NOT NULL',
  /** Comics in this folder and every folder below it. */
  'comic_count INTEGER NOT NULL',
  /** Comics directly in this folder. */
  'direct_count INTEGER NOT NULL',
] as const;

/**
 * A row of the series table: what a SeriesSummary shows (but the unread count, which comes from
 * user.db when it is read), plus its position, when it was first added and its sort ranks.
 */
export interface SeriesRow extends Omit<SeriesSummary, 'unread_count'> {
  id: number;
  added_at: number;
  rank_year: number;
  rank_added: number;
  rank_issues: number;
}

export interface FolderRow {
  path: string;
  parent: string | null;
  name: string;
  name_key: string;
  comic_count: number;
  direct_count: number;
}

/** Table names of one side of the swap: the live tables or the next generation's. */
export function browseTableNames(side: 'live' | 'next'): { series: string; seriesFts: string; folders: string } {
  const suffix = side === 'next' ? '_next' : '';
  return { series: `series${suffix}`, seriesFts: `series_fts${suffix}`, folders: `folders${suffix}` };
}

export function createBrowseTablesSql(side: 'live' | 'next', generation: number): string[] {
  const t = browseTableNames(side);
  const g = `g${generation}`;
  return [
    `CREATE TABLE ${t.series} (${SERIES_COLUMNS.join(', ')}) STRICT`,
    `CREATE VIRTUAL TABLE ${t.seriesFts} USING fts5(name, publisher, content='', tokenize="unicode61 remove_diacritics 2", prefix='2 3')`,
    `CREATE TABLE ${t.folders} (${FOLDER_COLUMNS.join(', ')}) STRICT, WITHOUT ROWID`,
  ].concat(browseIndexesSql(side, g));
}

function browseIndexesSql(side: 'live' | 'next', g: string): string[] {
  const t = browseTableNames(side);
  return [
    `CREATE UNIQUE INDEX idx_${g}_series_key_unique ON ${t.series}(key)`,
    `CREATE UNIQUE INDEX idx_${g}_series_rank_year ON ${t.series}(rank_year)`,
    `CREATE UNIQUE INDEX idx_${g}_series_rank_added ON ${t.series}(rank_added)`,
    `CREATE UNIQUE INDEX idx_${g}_series_rank_issues ON ${t.series}(rank_issues)`,
    `CREATE INDEX idx_${g}_folders_parent ON ${t.folders}(parent, name_key)`,
  ];
}

type SortTuple = Array<string | number>;

function compareTuples(a: SortTuple, b: SortTuple): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

function mostCommon(values: ReadonlyArray<string | null>): string | null {
  const counts = new Map<string, number>();
  let best: string | null = null;
  let bestCount = 0;
  // First seen wins ties: values come in issue order, so the first issue's spelling is the default.
  for (const value of values) {
    if (value === null) continue;
    const count = (counts.get(value) ?? 0) + 1;
    counts.set(value, count);
    if (count > bestCount) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

function stripExtension(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(0, dot) : fileName;
}

/** The columns of a comic the series table is made from. */
export type SeriesMember = Pick<
  StoredRow,
  'id' | 'series_key' | 'series' | 'error_kind' | 'fingerprint' | 'year' | 'added_at' | 'volume' | 'publisher' | 'file_name' | 'rank_series'
>;

/** A series before the generation-wide positions (id = name order, ranks) are given. */
export type BuiltSeries = Omit<SeriesRow, 'id' | 'rank_year' | 'rank_added' | 'rank_issues'> & { sortName: string };

/** A written series row back as a built one (a delta generation ranks the unchanged ones again). */
export function builtOfRow(row: SeriesRow): BuiltSeries {
  const { id: _id, rank_year: _year, rank_added: _added, rank_issues: _issues, ...series } = row;
  return { ...series, sortName: seriesSortKey(row.name) };
}

/** One series from its issues in issue order (rank_series); null for a group that is not a series. */
export function seriesOf(key: string, group: readonly SeriesMember[]): BuiltSeries | null {
  // A broken file with no series of its own is a problem, not a one-issue series on the shelf
  // (it stays in All comics and Problems).
  if (group.every((r) => r.error_kind !== null && r.series === null)) return null;
  const cover = group.find((r) => r.error_kind === null) ?? group[0]!;
  const name = mostCommon(group.map((r) => r.series)) ?? stripExtension(group[0]!.file_name);
  let year: number | null = null;
  let addedAt = 0;
  let volume: number | null = null;
  for (const r of group) {
    if (r.year !== null && (year === null || r.year < year)) year = r.year;
    if (r.added_at > addedAt) addedAt = r.added_at;
    volume ??= r.volume;
  }
  const tilde = key.lastIndexOf('~');
  return {
    key,
    name,
    // The key carries the volume the series is grouped under (also for issues without one).
    volume: tilde >= 0 ? Number(key.slice(tilde + 1)) : volume,
    year,
    publisher: mostCommon(group.map((r) => r.publisher)),
    issue_count: group.length,
    cover_id: cover.id,
    cover_fingerprint: cover.fingerprint,
    added_at: addedAt,
    sortName: seriesSortKey(name),
  };
}

/** Name order, ids and the other sort positions of the built series. */
export function rankSeries(built: BuiltSeries[]): SeriesRow[] {
  // Name order is the comics' series order: normalised name, volume, then the key for ties.
  built.sort((a, b) => compareTuples([a.sortName, a.volume ?? -1, a.key], [b.sortName, b.volume ?? -1, b.key]));
  const ranks = (key: (s: (typeof built)[number]) => SortTuple): Int32Array => {
    const order = built.map((_, i) => i).sort((a, b) => compareTuples([...key(built[a]!), a], [...key(built[b]!), b]));
    const out = new Int32Array(built.length);
    order.forEach((index, rank) => (out[index] = rank));
    return out;
  };
  const byYear = ranks((s) => [s.year ?? Number.MAX_SAFE_INTEGER]);
  const byAdded = ranks((s) => [s.added_at]);
  const byIssues = ranks((s) => [s.issue_count]);
  return built.map(({ sortName: _sortName, ...s }, i) => ({
    ...s,
    id: i,
    rank_year: byYear[i]!,
    rank_added: byAdded[i]!,
    rank_issues: byIssues[i]!,
  }));
}

/** One row per series key, with its name, counts, cover and sort positions. */
export function seriesRowsOf(rows: readonly SeriesMember[]): SeriesRow[] {
  const groups = new Map<string, SeriesMember[]>();
  for (const row of rows) {
    const group = groups.get(row.series_key);
    if (group) group.push(row);
    else groups.set(row.series_key, [row]);
  }
  const built: BuiltSeries[] = [];
  for (const [key, group] of groups) {
    group.sort((a, b) => a.rank_series - b.rank_series);
    const series = seriesOf(key, group);
    if (series) built.push(series);
  }
  return rankSeries(built);
}

/**
 * The same from comics sorted by (series_key, rank_series), one series' issues at a time: only the
 * series (far fewer than comics) are held.
 */
export function seriesRowsOfSorted(rows: Iterable<SeriesMember>): SeriesRow[] {
  const built: BuiltSeries[] = [];
  let group: SeriesMember[] = [];
  const close = () => {
    const series = group.length > 0 ? seriesOf(group[0]!.series_key, group) : null;
    if (series) built.push(series);
    group = [];
  };
  for (const row of rows) {
    if (group.length > 0 && group[0]!.series_key !== row.series_key) close();
    group.push(row);
  }
  close();
  return rankSeries(built);
}

/** The folder row of `path` with no comics counted yet. */
export function emptyFolderRow(path: string): FolderRow {
  const slash = path.lastIndexOf('/');
  const name = path === '' ? '' : path.slice(slash + 1);
  return {
    path,
    parent: path === '' ? null : slash < 0 ? '' : path.slice(0, slash),
    name,
    name_key: naturalKey(name),
    comic_count: 0,
    direct_count: 0,
  };
}

/** Every folder that holds a comic at any depth, with direct and recursive counts; '' is the root. */
export function folderRowsOf(rows: ReadonlyArray<Pick<StoredRow, 'folder'>>): FolderRow[] {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.folder, (counts.get(row.folder) ?? 0) + 1);
  return folderRowsOfCounts(counts);
}

/** The same from the number of comics directly in each folder. */
export function folderRowsOfCounts(direct: Iterable<[folder: string, comics: number]>): FolderRow[] {
  const folders = new Map<string, FolderRow>();
  const ensure = (path: string): FolderRow => {
    let folder = folders.get(path);
    if (!folder) {
      folder = emptyFolderRow(path);
      folders.set(path, folder);
    }
    return folder;
  };
  ensure('');
  for (const [path, comics] of direct) {
    ensure(path).direct_count += comics;
    // Every ancestor up to the root counts this folder's comics.
    let at: string | null = path;
    while (at !== null) {
      const folder = ensure(at);
      folder.comic_count += comics;
      at = folder.parent;
    }
  }
  return [...folders.values()];
}

const BATCH = 2000;

/** Writes series_next, series_fts_next and folders_next for the rows of the next generation. */
export function writeNextBrowseTables(db: Db, rows: readonly StoredRow[], generation: number): void {
  insertBrowseTables(db, generation, seriesRowsOf(rows), folderRowsOf(rows));
}

/**
 * The same, read from comics_next once its ranks and series keys are written (and its series_key
 * index made): the comics stream through in series order, only series and folders are held.
 */
export function writeNextBrowseTablesFromNext(db: Db, generation: number): void {
  const members = db
    .prepare(
      `SELECT id, series_key, series, error_kind, fingerprint, year, added_at, volume, publisher, file_name, rank_series
       FROM comics_next ORDER BY series_key, rank_series`,
    )
    .iterate() as IterableIterator<SeriesMember>;
  const series = seriesRowsOfSorted(members);
  const direct = db.prepare('SELECT folder, count(*) AS comics FROM comics_next GROUP BY folder').raw().all() as Array<[string, number]>;
  insertBrowseTables(db, generation, series, folderRowsOfCounts(direct));
}

function insertBrowseTables(db: Db, generation: number, series: readonly SeriesRow[], folders: readonly FolderRow[]): void {
  const t = browseTableNames('next');
  for (const sql of createBrowseTablesSql('next', generation)) db.exec(sql);
  const insertSeries = db.prepare(
    `INSERT INTO ${t.series} (${SERIES_COLUMNS.map((c) => c.split(' ')[0]).join(', ')}) VALUES (${SERIES_COLUMNS.map((c) => '@' + c.split(' ')[0]).join(', ')})`,
  );
  const insertFts = db.prepare(`INSERT INTO ${t.seriesFts} (rowid, name, publisher) VALUES (?, ?, ?)`);
  const insertFolder = db.prepare(
    `INSERT INTO ${t.folders} (${FOLDER_COLUMNS.map((c) => c.split(' ')[0]).join(', ')}) VALUES (${FOLDER_COLUMNS.map((c) => '@' + c.split(' ')[0]).join(', ')})`,
  );
  const writeSeries = db.transaction((batch: readonly SeriesRow[]) => {
    for (const s of batch) {
      insertSeries.run(s);
      insertFts.run(s.id, s.name, s.publisher ?? '');
    }
  });
  const writeFolders = db.transaction((batch: readonly FolderRow[]) => {
    for (const f of batch) insertFolder.run(f);
  });
  for (let i = 0; i < series.length; i += BATCH) writeSeries(series.slice(i, i + BATCH));
  for (let i = 0; i < folders.length; i += BATCH) writeFolders(folders.slice(i, i + BATCH));
}

/** Inside the swap transaction: live → _prev, _next → live. */
export function swapBrowseTablesSql(): string {
  return ['series', 'series_fts', 'folders']
    .map((table) => `ALTER TABLE ${table} RENAME TO ${table}_prev; ALTER TABLE ${table}_next RENAME TO ${table};`)
    .join(' ');
}

export const BROWSE_TABLES = ['series', 'series_fts', 'folders'] as const;
