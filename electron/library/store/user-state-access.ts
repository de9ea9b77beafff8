// Where user state lives, as the browse queries see it: the one module that names its table and
// columns, so moving user state to its own database (user.db) changes this file, not the queries.
import type { Db } from './open-database.js';

export const USER_STATE_TABLE = 'user_state';
/** When the user last read or marked the comic (epoch ms): orders Continue Reading and On deck. */
export const READ_AT_COLUMN = 'updated_at';

/** `LEFT JOIN <user state> u ON …` for a comics alias `c`. */
export const JOIN_USER_STATE = `LEFT JOIN ${USER_STATE_TABLE} u ON u.fingerprint = c.fingerprint`;

/**
 * Marks every fingerprint read or unread in one transaction. Marking unread also forgets the page
 * (the comic is "not started" again, so it leaves Continue Reading); marking read keeps it.
 * Favourites are kept either way. Never touched by a rebuild: keyed by fingerprint only.
 */
export function writeReadStateBulk(db: Db, fingerprints: readonly string[], read: boolean, now: number): void {
  const upsert = db.prepare(
    `INSERT INTO ${USER_STATE_TABLE} (fingerprint, read, last_page, favourite, ${READ_AT_COLUMN}) VALUES (?, ?, NULL, 0, ?)
     ON CONFLICT(fingerprint) DO UPDATE SET read = excluded.read,
       last_page = CASE WHEN excluded.read = 1 THEN last_page ELSE NULL END, ${READ_AT_COLUMN} = excluded.${READ_AT_COLUMN}`,
  );
  db.transaction(() => {
    for (const fingerprint of fingerprints) upsert.run(fingerprint, read ? 1 : 0, now);
  }).immediate();
}
