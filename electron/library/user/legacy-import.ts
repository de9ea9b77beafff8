// The one-time move of read state from library.db (schema ≤ 10 kept a user_state table beside the
// cache) into user.db. library.db's migration 11 renames the table to legacy_user_state; this copies
// its rows into user.db in one transaction there (newer-wins, so running it twice changes nothing),
// and only after that commit drops the table. A crash in between repeats the copy at the next start.
// A corrupt library.db is read for what it still gives before it is moved aside.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { Db } from '../store/db.js';
import type { StoredComicState } from './comic-state.js';
import type { UserStore } from './user-store.js';

interface LegacyRow {
  fingerprint: string;
  read: number;
  last_page: number | null;
  favourite: number;
  updated_at: number;
  path: string | null;
  series: string | null;
  number: string | null;
}

function toStored(row: LegacyRow, root: string): StoredComicState {
  const read = row.read === 1;
  return {
    fingerprint: row.fingerprint,
    read,
    lastPage: row.last_page,
    favourite: row.favourite === 1,
    // Older versions kept no reading time: the last change is the best guess for "continue reading".
    lastReadAt: read || row.last_page !== null ? row.updated_at : null,
    updatedAt: row.updated_at,
    lastRoot: row.path !== null ? root : null,
    lastPath: row.path,
    lastSeries: row.series,
    lastNumber: row.number,
  };
}

function hasTable(db: Db, name: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}

function readRows(db: Db, sql: string): { rows: LegacyRow[]; complete: boolean } {
  const rows: LegacyRow[] = [];
  try {
    for (const row of db.prepare(sql).iterate()) rows.push(row as LegacyRow);
    return { rows, complete: true };
  } catch {
    return { rows, complete: false }; // a damaged page part-way: the rows read before it
  }
}

function readLegacy(db: Db, table: string): LegacyRow[] {
  // Where each comic was last seen (its first path when it has duplicates), for export by name and orphans.
  const withNames = `SELECT u.fingerprint, u.read, u.last_page, u.favourite, u.updated_at,
              (SELECT c.path FROM comics c WHERE c.fingerprint = u.fingerprint ORDER BY c.path LIMIT 1) AS path,
              (SELECT c.series FROM comics c WHERE c.fingerprint = u.fingerprint ORDER BY c.path LIMIT 1) AS series,
              (SELECT c.number FROM comics c WHERE c.fingerprint = u.fingerprint ORDER BY c.path LIMIT 1) AS number
       FROM ${table} u`;
  const bare = `SELECT fingerprint, read, last_page, favourite, updated_at, NULL AS path, NULL AS series, NULL AS number FROM ${table}`;
  let best = hasTable(db, 'comics') ? readRows(db, withNames) : { rows: [], complete: false };
  // The comics table may be what is damaged: the state alone, without names, is what matters.
  if (!best.complete) {
    const plain = readRows(db, bare);
    if (plain.rows.length > best.rows.length) best = plain;
  }
  return best.rows.filter((r) => typeof r.fingerprint === 'string' && Number.isInteger(r.updated_at));
}

/**
 * Moves the rows of library.db's legacy_user_state (a migrated library.db, open writable) into user.db,
 * then drops the table. Returns how many rows were written to user.db.
 */
export function moveLegacyUserState(libraryDb: Db, store: UserStore, root: string): number {
  if (!hasTable(libraryDb, 'legacy_user_state')) return 0;
  const rows = readLegacy(libraryDb, 'legacy_user_state');
  const written = rows.length > 0 ? store.mergeStates(rows.map((r) => toStored(r, root))) : 0;
  // user.db has committed (synchronous=FULL): the old copy can go.
  libraryDb.exec('DROP TABLE legacy_user_state');
  return written;
}

/**
 * Best effort on a library.db that will not open (corrupt): reads user_state / legacy_user_state from a
 * scratch copy and merges what it gives into user.db. Returns how many rows were written.
 */
export function salvageLegacyUserState(libraryDbFile: string, store: UserStore, root: string, nativeBinding?: string): number {
  const scratch = `${libraryDbFile}.salvage-${process.pid}`;
  let db: Database.Database | null = null;
  try {
    fs.copyFileSync(libraryDbFile, scratch);
    if (fs.existsSync(`${libraryDbFile}-wal`)) fs.copyFileSync(`${libraryDbFile}-wal`, `${scratch}-wal`);
    db = new Database(scratch, { fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
    let rows: LegacyRow[] = [];
    for (const table of ['legacy_user_state', 'user_state']) {
      try {
        if (hasTable(db, table)) rows = rows.concat(readLegacy(db, table));
      } catch {
        // this table is unreadable: try the other
      }
    }
    return rows.length > 0 ? store.mergeStates(rows.map((r) => toStored(r, root))) : 0;
  } catch {
    return 0;
  } finally {
    db?.close();
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(scratch + suffix, { force: true });
  }
}
