// Reads of the live generation's rows for a rebuild, one row (or a few columns) at a time, so the
// rebuild never holds the library's rows: by id through a prepared statement, or streamed.
import type { Db } from './db.js';
import type { StoredRow } from './comic-row.js';
import type { LeavingRow } from '../departed.js';

/** `id → row` of the live generation (the id must exist: it comes from the live keys). */
export function liveRowReader(db: Db): (id: number) => StoredRow {
  const get = db.prepare('SELECT * FROM comics WHERE id = ?');
  return (id) => {
    const row = get.get(id) as StoredRow | undefined;
    if (!row) throw new Error(`row ${id} of the live generation is missing`);
    return row;
  };
}

/** The identities of the given live rows (those leaving in this rebuild), in the order of `ids`. */
export function liveIdentities(db: Db, ids: readonly number[]): LeavingRow[] {
  const get = db.prepare('SELECT id, path, fingerprint, added_at, error_kind FROM comics WHERE id = ?');
  return ids.map((id) => get.get(id) as LeavingRow);
}
