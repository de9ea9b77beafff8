// Where user state lives, as the cache's read queries see it: the one module that names its table and
// columns. The state itself is in user.db (electron/library/user/), attached to the service's read
// connection as `userdb`; queries join it by fingerprint. Writes go through the UserStore only.
import type { Db } from './db.js';

/** The schema name user.db is attached under on the read connection. */
export const USER_SCHEMA = 'userdb';
/** When the user last read the comic (page moved, or marked read; epoch ms): orders Continue Reading and On deck. */
export const READ_AT_COLUMN = 'last_read_at';

/** Attaches user.db (read-only on a read-only connection). */
export function attachUserDb(db: Db, file: string): void {
  db.prepare(`ATTACH DATABASE ? AS ${USER_SCHEMA}`).run(file);
}

/**
 * The user-state table on this connection: `userdb.comic_state` when user.db is attached; otherwise
 * (store tests) an empty per-connection temp table of the same shape, which tests may fill.
 */
export function userStateTable(db: Db): string {
  const attached = (db.pragma('database_list') as Array<{ name: string }>).some((d) => d.name === USER_SCHEMA);
  if (attached) return `${USER_SCHEMA}.comic_state`;
  db.exec(
    `CREATE TEMP TABLE IF NOT EXISTS comic_state (fingerprint TEXT PRIMARY KEY, read INTEGER NOT NULL DEFAULT 0,
       last_page INTEGER, favourite INTEGER NOT NULL DEFAULT 0, last_read_at INTEGER)`,
  );
  return 'temp.comic_state';
}

/** `LEFT JOIN <user state> u ON …` for a comics alias `c`. */
export function joinUserState(table: string): string {
  return `LEFT JOIN ${table} u ON u.fingerprint = c.fingerprint`;
}
