// Read side of browsing: the series shelf, the folder tree, the Home shelves, and which comics a bulk
// read-state change applies to. Same rules as library-reader.ts: one read transaction per answer (a
// consistent generation), indexed lookups only, milliseconds at 100,000 comics.
import type Database from 'better-sqlite3';
import { LongboxError } from '../../../shared/errors.js';
import type { FolderEntry, HomeComic, ReadStateTarget, SeriesQuery, SeriesSortKey, SeriesSummary } from '../../../shared/types.js';
import { SUMMARY_COLUMNS, toComicSummary, type SummaryRow } from './comic-row.js';
import type { Db } from './db.js';
import { browseFilterOf, toFtsMatch } from './query-sql.js';
import { StatementCache } from './statement-cache.js';
import { joinUserState, READ_AT_COLUMN, USER_SCHEMA, userStateTable } from './user-state-access.js';

type Statement = Database.Statement<unknown[]>;

/** A comic a bulk read-state change applies to, with where it is (user.db keeps its last place). */
export interface TargetComic {
  fingerprint: string;
  path: string;
  series: string | null;
  number: string | null;
}

const SERIES_RANK: Record<SeriesSortKey, string> = {
  name: 'id',
  year: 'rank_year',
  added: 'rank_added',
  issues: 'rank_issues',
};

/** Comics per Home shelf. */
export const HOME_SHELF_SIZE = 24;
/** Series On deck looks at (the most recently read first). */
export const ON_DECK_SERIES = 60;

const SERIES_COLUMNS = 's.key, s.name, s.volume, s.year, s.publisher, s.issue_count, s.cover_id, s.cover_fingerprint';

type SeriesRowOut = Omit<SeriesSummary, 'unread_count'>;

export interface SeriesRows {
  items: SeriesSummary[];
  total: number;
  generation: number;
}

export interface FolderRows {
  path: string;
  folders: FolderEntry[];
  comic_count: number;
  direct_count: number;
  generation: number;
}

/**
 * Continue reading: started, unfinished comics, most recently read first, one row per fingerprint
 * (duplicates share their state: the first readable copy stands for them). CROSS JOIN keeps the
 * user's state the outer loop (SQLite never reorders it); with user.db's continue-reading index
 * (user-migrations.ts, v2), whose condition is this WHERE, the rows come in last_read_at order and the
 * walk stops after a shelf's worth: no sort of every state row. Exported for the query-plan test.
 */
export function continueReadingSql(stateTable: string): string {
  return `SELECT ${SUMMARY_COLUMNS} FROM ${stateTable} u
    CROSS JOIN comics c ON c.id = (SELECT min(d.id) FROM comics d WHERE d.fingerprint = u.fingerprint AND d.error_kind IS NULL)
    WHERE u.read = 0 AND u.last_page IS NOT NULL
    ORDER BY u.${READ_AT_COLUMN} DESC, u.fingerprint DESC LIMIT ?`;
}

export interface HomeRows {
  continue: HomeComic[];
  on_deck: HomeComic[];
  recent: HomeComic[];
  generation: number;
}

type HomeRow = SummaryRow;

interface HomeShelfRows {
  continue: HomeRow[];
  onDeck: HomeRow[];
  recent: HomeRow[];
}

/**
 * The series keys of the read marks, newest mark first, each series once, at most `?`: SQLite walks
 * user.db's last_read_at index in order and checks DISTINCT row by row as they come (a temp b-tree for
 * DISTINCT, none for ORDER BY), so LIMIT stops the walk at the `?`th series and each series stands at
 * its newest mark (ties of last_read_at in the index's order, as a walk in JS would see them).
 * Exported for the query-plan test.
 */
export function seriesReadRecentlySql(stateTable: string): string {
  return `SELECT DISTINCT c.series_key AS key FROM ${stateTable} u CROSS JOIN comics c ON c.fingerprint = u.fingerprint
    WHERE u.read = 1 AND u.${READ_AT_COLUMN} IS NOT NULL AND c.series_key IS NOT NULL ORDER BY u.${READ_AT_COLUMN} DESC LIMIT ?`;
}

function toHomeComic(row: HomeRow): HomeComic {
  return toComicSummary(row);
}

export class BrowseReader {
  readonly #db: Db;
  readonly #statements: StatementCache;

  readonly #stateTable: string;
  /** The attached user.db's schema name, or null when the state is a temp table (store tests). */
  readonly #userSchema: string | null;

  constructor(db: Db) {
    this.#db = db;
    this.#statements = new StatementCache(db);
    this.#stateTable = userStateTable(db);
    this.#userSchema = this.#stateTable.startsWith(`${USER_SCHEMA}.`) ? USER_SCHEMA : null;
  }

  #stmt(sql: string): Statement {
    return this.#statements.get(sql);
  }

  #generation(): number {
    const row = this.#stmt(`SELECT value FROM meta WHERE key = 'generation'`).get() as { value: number } | undefined;
    return row?.value ?? 0;
  }

  // ---- series ---------------------------------------------------------------------------------

  listSeries(query: SeriesQuery): SeriesRows {
    return this.#db.transaction(() => {
      const generation = this.#generation();
      const rank = SERIES_RANK[query.sort];
      const direction = query.order === 'desc' ? 'DESC' : 'ASC';
      const match = query.q ? toFtsMatch(query.q) : null;
      let rows: SeriesRowOut[];
      let total: number;
      if (match === null) {
        total = (this.#stmt('SELECT count(*) AS n FROM series').get() as { n: number }).n;
        // Dense ranks: a page at any depth is an index range seek.
        const start = direction === 'ASC' ? query.offset : total - 1 - query.offset;
        rows = this.#stmt(
          `SELECT ${SERIES_COLUMNS} FROM series s WHERE s.${rank} ${direction === 'ASC' ? '>=' : '<='} ? ORDER BY s.${rank} ${direction} LIMIT ?`,
        ).all(start, query.limit) as SeriesRowOut[];
      } else {
        total = (this.#stmt('SELECT count(*) AS n FROM series_fts WHERE series_fts MATCH ?').get(match) as { n: number }).n;
        rows = this.#stmt(
          `SELECT ${SERIES_COLUMNS} FROM series s WHERE s.id IN (SELECT rowid FROM series_fts WHERE series_fts MATCH ?) ORDER BY s.${rank} ${direction} LIMIT ? OFFSET ?`,
        ).all(match, query.limit, query.offset) as SeriesRowOut[];
      }
      return { items: this.#withUnread(rows), total, generation };
    })();
  }

  /** Read counts of the page's series, from the user's state, in one grouped query. */
  #withUnread(rows: readonly SeriesRowOut[]): SeriesSummary[] {
    if (rows.length === 0) return [];
    const counts = this.#stmt(
      `SELECT c.series_key AS key, count(*) AS n FROM comics c JOIN ${this.#stateTable} u ON u.fingerprint = c.fingerprint
       WHERE c.series_key IN (SELECT value FROM json_each(?)) AND u.read = 1 GROUP BY c.series_key`,
    ).all(JSON.stringify(rows.map((r) => r.key))) as Array<{ key: string; n: number }>;
    const read = new Map(counts.map((c) => [c.key, c.n]));
    return rows.map((r) => ({ ...r, unread_count: Math.max(0, r.issue_count - (read.get(r.key) ?? 0)) }));
  }

  /** One series, or undefined when the current generation has no such key. */
  getSeries(key: string): SeriesSummary | undefined {
    const row = this.#stmt(`SELECT ${SERIES_COLUMNS} FROM series s WHERE s.key = ?`).get(key) as SeriesRowOut | undefined;
    return row ? this.#withUnread([row])[0] : undefined;
  }

  // ---- folders --------------------------------------------------------------------------------

  /** The folder and its sub-folders; undefined when no comic lives in or below `path`. */
  listFolder(path: string): FolderRows | undefined {
    return this.#db.transaction(() => {
      const generation = this.#generation();
      const folder = this.#stmt('SELECT comic_count, direct_count FROM folders WHERE path = ?').get(path) as
        | { comic_count: number; direct_count: number }
        | undefined;
      if (!folder) return undefined;
      const folders = this.#stmt('SELECT name, path, comic_count FROM folders WHERE parent = ? ORDER BY name_key, name').all(path) as FolderEntry[];
      return { path, folders, comic_count: folder.comic_count, direct_count: folder.direct_count, generation };
    })();
  }

  folderCounts(path: string): { comic_count: number; direct_count: number } | undefined {
    return this.#stmt('SELECT comic_count, direct_count FROM folders WHERE path = ?').get(path) as
      | { comic_count: number; direct_count: number }
      | undefined;
  }

  // ---- home -----------------------------------------------------------------------------------

  home(): HomeRows {
    return this.#db.transaction(() => {
      const generation = this.#generation();
      const rows = this.#homeRows();
      return {
        continue: rows.continue.map(toHomeComic),
        on_deck: rows.onDeck.map(toHomeComic),
        recent: rows.recent.map(toHomeComic),
        generation,
      };
    })();
  }

  /** Runs `read` in one read transaction (its statements, and snapshotVersion(), see one snapshot). */
  inSnapshot<T>(read: () => T): T {
    return this.#db.transaction(read)();
  }

  /**
   * Names the snapshot a read answers from, so that an answer can be kept for it (store/answer-cache.ts):
   * the generation (every write of the live tables sets a new one in the same transaction), user.db's
   * data_version (changes whenever another connection — the UserStore, another process — commits to
   * it), and this connection's own changes (store tests write user state and generations on the
   * reading connection itself). Read inside the same transaction as the answer (inSnapshot).
   */
  snapshotVersion(): string {
    const userVersion = this.#userSchema
      ? (this.#stmt(`PRAGMA ${this.#userSchema}.data_version`).get() as { data_version: number }).data_version
      : 0;
    const own = (this.#stmt('SELECT total_changes() AS n').get() as { n: number }).n;
    return `${this.#generation()}:${userVersion}:${own}`;
  }

  #homeRows(): HomeShelfRows {
    const continueRows = this.#stmt(continueReadingSql(this.#stateTable)).all(HOME_SHELF_SIZE) as HomeRow[];
    const inProgress = new Set(continueRows.map((r) => r.series_key));
    // The series read most recently, then in each the first unread issue after the last read one. The
    // last read issue is the first read one walking the series' issues from the end (the series index
    // descending): a series read to its end answers at its last issue.
    const lastReadRank = this.#stmt(
      `SELECT c.rank_series AS last_rank FROM comics c CROSS JOIN ${this.#stateTable} u ON u.fingerprint = c.fingerprint
       WHERE c.series_key = ? AND u.read = 1 ORDER BY c.rank_series DESC LIMIT 1`,
    );
    const nextUnread = this.#stmt(
      `SELECT ${SUMMARY_COLUMNS} FROM comics c ${joinUserState(this.#stateTable)}
       WHERE c.series_key = ? AND c.rank_series > ? AND coalesce(u.read, 0) = 0 AND c.error_kind IS NULL
       ORDER BY c.rank_series LIMIT 1`,
    );
    const onDeck: HomeRow[] = [];
    for (const key of this.#seriesReadRecently(ON_DECK_SERIES)) {
      if (onDeck.length >= HOME_SHELF_SIZE) break;
      if (inProgress.has(key)) continue;
      const last = lastReadRank.get(key) as { last_rank: number } | undefined;
      const next = last ? (nextUnread.get(key, last.last_rank) as HomeRow | undefined) : undefined;
      if (next) onDeck.push(next);
    }
    const recent = this.#stmt(
      `SELECT ${SUMMARY_COLUMNS} FROM comics c ${joinUserState(this.#stateTable)}
       WHERE c.error_kind IS NULL ORDER BY c.rank_added DESC LIMIT ?`,
    ).all(HOME_SHELF_SIZE) as HomeRow[];
    return { continue: continueRows, onDeck, recent };
  }

  /**
   * Up to `limit` series keys, the series whose latest read mark is newest first. Walks the read marks
   * newest first on user.db's last_read_at index and stops at `limit` distinct series (the DISTINCT is
   * checked row by row as the index walk produces them: no sort, no grouping of every read comic, and no
   * row crosses into JS but the keys); marks without a time (older imports) come last.
   */
  #seriesReadRecently(limit: number): string[] {
    const keys = (this.#stmt(seriesReadRecentlySql(this.#stateTable)).all(limit) as Array<{ key: string }>).map((r) => r.key);
    if (keys.length >= limit) return keys;
    const seen = new Set(keys);
    const untimed = this.#stmt(
      `SELECT DISTINCT c.series_key AS key FROM ${this.#stateTable} u CROSS JOIN comics c ON c.fingerprint = u.fingerprint
       WHERE u.read = 1 AND u.${READ_AT_COLUMN} IS NULL AND c.series_key IS NOT NULL LIMIT ?`,
    ).all(limit) as Array<{ key: string }>;
    for (const { key } of untimed) {
      if (keys.length >= limit) break;
      if (seen.has(key)) continue;
      seen.add(key);
      keys.push(key);
    }
    return keys;
  }

  // ---- bulk state -----------------------------------------------------------------------------

  /**
   * The comics a bulk change applies to: their count and distinct fingerprints. Unknown ids, series
   * or folders are NOT_FOUND (and nothing is written).
   */
  targetOf(target: ReadStateTarget): { count: number; comics: TargetComic[] } {
    return this.#db.transaction(() => {
      let rows: TargetComic[];
      if ('ids' in target) {
        const ids = [...new Set(target.ids)];
        const found = this.#stmt('SELECT id, fingerprint, path, series, number FROM comics WHERE id IN (SELECT value FROM json_each(?))').all(
          JSON.stringify(ids),
        ) as Array<TargetComic & { id: number }>;
        rows = found;
        if (found.length !== ids.length) {
          const known = new Set(found.map((r) => r.id));
          const missing = ids.find((id) => !known.has(id));
          throw new LongboxError('NOT_FOUND', `No comic with id ${missing} in this library.`);
        }
      } else if ('series' in target) {
        rows = this.#stmt('SELECT fingerprint, path, series, number FROM comics WHERE series_key = ?').all(target.series) as typeof rows;
        if (rows.length === 0) throw new LongboxError('NOT_FOUND', 'No such series in this library.');
      } else {
        const filter = browseFilterOf({ folder: target.folder, recursive: true });
        if (!this.folderCounts(target.folder)) throw new LongboxError('NOT_FOUND', 'No such folder in this library.');
        const where = filter.where.length > 0 ? `WHERE ${filter.where.join(' AND ')}` : '';
        rows = this.#stmt(`SELECT c.fingerprint, c.path, c.series, c.number FROM comics c ${where}`).all(filter.params) as typeof rows;
      }
      // Duplicates share one state: one entry per fingerprint.
      const unique = new Map<string, TargetComic>();
      for (const r of rows) if (!unique.has(r.fingerprint)) unique.set(r.fingerprint, { fingerprint: r.fingerprint, path: r.path, series: r.series, number: r.number });
      return { count: rows.length, comics: [...unique.values()] };
    })();
  }
}
