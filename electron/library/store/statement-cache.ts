// Prepared statements by SQL text, for the read side. Most reads use a handful of fixed statements, but
// a list query's SQL depends on its filters (formats, error, duplicates, unread, search, series,
// folder, sort, order), so the set is bounded only by the combinations: the cache keeps the most recently
// used MAX_STATEMENTS and finalizes nothing itself (better-sqlite3 frees a statement with its object).
import type Database from 'better-sqlite3';
import type { Db } from './db.js';

type Statement = Database.Statement<unknown[]>;

/** Far above the fixed statements (≈ 25) and the filter combinations a user actually makes. */
export const MAX_STATEMENTS = 128;

export class StatementCache {
  readonly #db: Db;
  /** Insertion order = recency (a hit is re-inserted). */
  readonly #statements = new Map<string, Statement>();
  readonly #max: number;

  constructor(db: Db, max = MAX_STATEMENTS) {
    this.#db = db;
    this.#max = Math.max(1, max);
  }

  get size(): number {
    return this.#statements.size;
  }

  get(sql: string): Statement {
    let stmt = this.#statements.get(sql);
    if (stmt) {
      this.#statements.delete(sql);
    } else {
      stmt = this.#db.prepare<unknown[]>(sql);
      if (this.#statements.size >= this.#max) this.#statements.delete(this.#statements.keys().next().value as string);
    }
    this.#statements.set(sql, stmt);
    return stmt;
  }
}
