// Read side of the cache: paged, indexed queries on the live generation. Runs in the main process
// (or the headless host), so every query must stay in the millisecond range at 100,000 rows.
import type { ComicFilter, ComicQuery } from '../../../shared/types.js';
import type Database from 'better-sqlite3';
import type { Db } from './db.js';
import { StatementCache } from './statement-cache.js';
import { attachUserDb, userStateTable } from './user-state-access.js';
import { SUMMARY_COLUMNS, type StoredRow, type SummaryRow } from './comic-row.js';
import { browseFilterOf, toFtsMatch } from './query-sql.js';
import { RANK_COLUMN_OF } from './schema.js';

type Statement = Database.Statement<unknown[]>;

export interface GenerationInfo {
  generation: number;
  fileCount: number;
  errorCount: number;
  builtAt: number | null;
  lastDurationMs: number | null;
}

export interface ListRows {
  rows: SummaryRow[];
  total: number;
  generation: number;
}

function hasFilter(filter: ComicFilter | undefined): boolean {
  if (!filter) return false;
  return (
    (filter.formats !== undefined && filter.formats.length > 0) ||
    filter.hasError !== undefined ||
    filter.duplicates === true ||
    filter.unread === true ||
    filter.favourite === true
  );
}

export interface LibraryReaderOptions {
  /**
   * user.db, attached so that list queries join the user's state (read, last page) by fingerprint.
   * Without it (store tests), an empty per-connection temp table stands in (user-state-access.ts).
   */
  userDbFile?: string;
}

export class LibraryReader {
  readonly #db: Db;
  readonly #statements: StatementCache;
  readonly #stateTable: string;

  constructor(db: Db, options: LibraryReaderOptions = {}) {
    this.#db = db;
    this.#statements = new StatementCache(db);
    if (options.userDbFile !== undefined) attachUserDb(db, options.userDbFile);
    this.#stateTable = userStateTable(db);
  }

  /** The user-state table the joins use (`userdb.comic_state`), for queries written elsewhere. */
  get stateTable(): string {
    return this.#stateTable;
  }

  #stmt(sql: string): Statement {
    return this.#statements.get(sql);
  }

  generationInfo(): GenerationInfo {
    const rows = this.#stmt(
      `SELECT key, value FROM meta WHERE key IN ('generation', 'file_count', 'error_count', 'built_at', 'last_duration_ms')`,
    ).all() as Array<{ key: string; value: number }>;
    const get = (key: string) => rows.find((r) => r.key === key)?.value ?? null;
    return {
      generation: get('generation') ?? 0,
      fileCount: get('file_count') ?? 0,
      errorCount: get('error_count') ?? 0,
      builtAt: get('built_at'),
      lastDurationMs: get('last_duration_ms'),
    };
  }

  /** One consistent snapshot: rows, total and generation come from the same read transaction. */
  list(query: ComicQuery): ListRows {
    return this.#db.transaction(() => this.#listInSnapshot(query))();
  }

  #listInSnapshot(query: ComicQuery): ListRows {
    const info = this.generationInfo();
    const rank = RANK_COLUMN_OF[query.sort];
    const direction = query.order === 'desc' ? 'DESC' : 'ASC';
    const match = query.q ? toFtsMatch(query.q) : null;
    const browse = browseFilterOf(query);
    if (match === null && !hasFilter(query.filter) && browse.where.length === 0) {
      // Unfiltered: an index range seek on the precomputed rank, equally fast at any depth.
      const total = info.fileCount;
      const sql =
        direction === 'ASC'
          ? `SELECT ${SUMMARY_COLUMNS} FROM comics c LEFT JOIN ${this.#stateTable} u ON u.fingerprint = c.fingerprint WHERE c.${rank} >= ? ORDER BY c.${rank} ASC LIMIT ?`
          : `SELECT ${SUMMARY_COLUMNS} FROM comics c LEFT JOIN ${this.#stateTable} u ON u.fingerprint = c.fingerprint WHERE c.${rank} <= ? ORDER BY c.${rank} DESC LIMIT ?`;
      const start = direction === 'ASC' ? query.offset : total - 1 - query.offset;
      const rows = this.#stmt(sql).all(start, query.limit) as SummaryRow[];
      return { rows, total, generation: info.generation };
    }
    const where: string[] = [...browse.where];
    const params: Record<string, string | number> = { ...browse.params };
    let matches: number | null = null;
    if (match !== null) {
      params.match = match;
      matches = (this.#stmt('SELECT count(*) AS n FROM comics_fts WHERE comics_fts MATCH @match').get(params) as { n: number }).n;
      // Few matches: fetch them and sort (fast). Many: walk the rank index in order and keep the
      // matching rows — the unary + stops SQLite from driving the query by id and sorting 20k rows.
      const isCommon = matches > Math.max(2000, info.fileCount / 50);
      where.push(`${isCommon ? '+c.id' : 'c.id'} IN (SELECT rowid FROM comics_fts WHERE comics_fts MATCH @match)`);
    }
    const filter = query.filter ?? {};
    if (filter.hasError === true) where.push('c.error_kind IS NOT NULL');
    if (filter.hasError === false) where.push('c.error_kind IS NULL');
    if (filter.duplicates) where.push('c.dup_count > 1');
    if (filter.unread) where.push('coalesce(u.read, 0) = 0');
    if (filter.favourite) where.push('coalesce(u.favourite, 0) = 1');
    if (filter.formats && filter.formats.length > 0) {
      where.push(`c.format IN (${filter.formats.map((_, i) => `@format${i}`).join(', ')})`);
      filter.formats.forEach((format, i) => (params[`format${i}`] = format));
    }
    const from = `FROM comics c LEFT JOIN ${this.#stateTable} u ON u.fingerprint = c.fingerprint WHERE ${where.join(' AND ')}`;
    // Every comic has exactly one FTS row, so a search alone is counted by the FTS index.
    const total =
      matches !== null && where.length === 1
        ? matches
        : (this.#browseTotal(query, where.length) ?? (this.#stmt(`SELECT count(*) AS n ${from}`).get(params) as { n: number }).n);
    const rows = this.#stmt(`SELECT ${SUMMARY_COLUMNS} ${from} ORDER BY c.${rank} ${direction} LIMIT @limit OFFSET @offset`).all({
      ...params,
      limit: query.limit,
      offset: query.offset,
    }) as SummaryRow[];
    return { rows, total, generation: info.generation };
  }

  /** A series or a folder alone is counted by its own table, not by counting comics. */
  #browseTotal(query: ComicQuery, conditions: number): number | null {
    if (conditions !== 1 || query.q) return null;
    if (query.series !== undefined) {
      const row = this.#stmt('SELECT issue_count AS n FROM series WHERE key = ?').get(query.series) as { n: number } | undefined;
      return row?.n ?? 0;
    }
    if (query.folder !== undefined) {
      const row = this.#stmt('SELECT comic_count, direct_count FROM folders WHERE path = ?').get(query.folder) as
        | { comic_count: number; direct_count: number }
        | undefined;
      return row ? (query.recursive ? row.comic_count : row.direct_count) : 0;
    }
    return null;
  }

  getRow(id: number): (StoredRow & { read: number; last_page: number | null; favourite: number }) | undefined {
    return this.#stmt(
      `SELECT c.*, coalesce(u.read, 0) AS read, u.last_page AS last_page, coalesce(u.favourite, 0) AS favourite FROM comics c LEFT JOIN ${this.#stateTable} u ON u.fingerprint = c.fingerprint WHERE c.id = ?`,
    ).get(id) as (StoredRow & { read: number; last_page: number | null; favourite: number }) | undefined;
  }

  /** Every file of the live generation as export/import and orphan detection see it. */
  identities(): Array<{ id: number; fingerprint: string; path: string; series: string | null; number: string | null }> {
    return this.#stmt('SELECT id, fingerprint, path, series, number FROM comics ORDER BY path').all() as Array<{
      id: number;
      fingerprint: string;
      path: string;
      series: string | null;
      number: string | null;
    }>;
  }

  duplicatesOf(fingerprint: string, exceptId: number): Array<{ id: number; path: string }> {
    return this.#stmt('SELECT id, path FROM comics WHERE fingerprint = ? AND id != ? AND error_kind IS NULL ORDER BY path LIMIT 50').all(
      fingerprint,
      exceptId,
    ) as Array<{ id: number; path: string }>;
  }
}
