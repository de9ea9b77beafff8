// One comic's reading state in user.db's comic_state table: the shapes the store hands out, the row
// mapping and the SQL of the writes. Plain functions over a connection; UserStore (user-store.ts)
// runs them inside its IMMEDIATE transactions and turns SQLite's failures into words.
import type { UserState } from '../../../shared/types.js';
import type { ComicStateRow, UserDb } from './user-db.js';

/** Where a comic was seen when its state was written: lets export fall back to names and orphans be found. */
export interface ComicIdentity {
  fingerprint: string;
  root: string;
  path: string;
  series: string | null;
  number: string | null;
}

export type UserStatePatch = Partial<Pick<UserState, 'read' | 'lastPage' | 'favourite'>>;

/** One row of comic_state as the store hands it out. */
export interface StoredComicState extends UserState {
  fingerprint: string;
  updatedAt: number;
  lastRoot: string | null;
  lastPath: string | null;
  lastSeries: string | null;
  lastNumber: string | null;
}

export const EMPTY_STATE: Readonly<UserState> = Object.freeze({ read: false, lastPage: null, favourite: false, lastReadAt: null });

export function toState(row: ComicStateRow | undefined): UserState {
  if (!row) return { ...EMPTY_STATE };
  return { read: row.read === 1, lastPage: row.last_page, favourite: row.favourite === 1, lastReadAt: row.last_read_at };
}

export function toStored(row: ComicStateRow): StoredComicState {
  return {
    ...toState(row),
    fingerprint: row.fingerprint,
    updatedAt: row.updated_at,
    lastRoot: row.last_root,
    lastPath: row.last_path,
    lastSeries: row.last_series,
    lastNumber: row.last_number,
  };
}

/** The state after `patch`; last_read_at moves when the page moves or the comic becomes read. */
export function applyPatch(current: UserState, patch: UserStatePatch, now: number): UserState {
  const next: UserState = { ...current };
  if (patch.read !== undefined) next.read = patch.read;
  if (patch.lastPage !== undefined) next.lastPage = patch.lastPage;
  if (patch.favourite !== undefined) next.favourite = patch.favourite;
  const pageMoved = patch.lastPage !== undefined && patch.lastPage !== null && patch.lastPage !== current.lastPage;
  const becameRead = patch.read === true && !current.read;
  if (pageMoved || becameRead) next.lastReadAt = now;
  return next;
}

const STATE_COLUMNS = 'fingerprint, read, last_page, favourite, updated_at, last_read_at, last_root, last_path, last_series, last_number';
const STATE_VALUES = '@fingerprint, @read, @last_page, @favourite, @updated_at, @last_read_at, @last_root, @last_path, @last_series, @last_number';

export function selectState(db: UserDb, fingerprint: string): ComicStateRow | undefined {
  return db.prepare('SELECT * FROM comic_state WHERE fingerprint = ?').get(fingerprint) as ComicStateRow | undefined;
}

/** Applies one patch to each comic (read, merge, write); call inside a transaction. Returns the new states. */
export function patchStates(db: UserDb, identities: readonly ComicIdentity[], patch: UserStatePatch, now: number): UserState[] {
  const select = db.prepare('SELECT * FROM comic_state WHERE fingerprint = ?');
  const upsert = db.prepare(
    `INSERT INTO comic_state (${STATE_COLUMNS}) VALUES (${STATE_VALUES})
     ON CONFLICT(fingerprint) DO UPDATE SET read = excluded.read, last_page = excluded.last_page, favourite = excluded.favourite,
       updated_at = excluded.updated_at, last_read_at = excluded.last_read_at, last_root = excluded.last_root,
       last_path = excluded.last_path, last_series = excluded.last_series, last_number = excluded.last_number`,
  );
  const results: UserState[] = [];
  for (const identity of identities) {
    const next = applyPatch(toState(select.get(identity.fingerprint) as ComicStateRow | undefined), patch, now);
    results.push(next);
    upsert.run({
      ...stateParams(next, now),
      fingerprint: identity.fingerprint,
      last_root: identity.root,
      last_path: identity.path,
      last_series: identity.series,
      last_number: identity.number,
    });
  }
  return results;
}

/**
 * Writes whole rows (import, legacy migration); a row replaces the stored one only when it is newer
 * (updated_at). Call inside a transaction. Returns how many rows were written.
 */
export function mergeStateRows(db: UserDb, rows: readonly StoredComicState[]): number {
  const upsert = db.prepare(
    `INSERT INTO comic_state (${STATE_COLUMNS}) VALUES (${STATE_VALUES})
     ON CONFLICT(fingerprint) DO UPDATE SET read = excluded.read, last_page = excluded.last_page, favourite = excluded.favourite,
       updated_at = excluded.updated_at, last_read_at = max(coalesce(excluded.last_read_at, 0), coalesce(comic_state.last_read_at, 0)),
       last_root = coalesce(excluded.last_root, comic_state.last_root), last_path = coalesce(excluded.last_path, comic_state.last_path),
       last_series = coalesce(excluded.last_series, comic_state.last_series), last_number = coalesce(excluded.last_number, comic_state.last_number)
     WHERE excluded.updated_at > comic_state.updated_at`,
  );
  let written = 0;
  for (const r of rows) {
    written += upsert.run({
      ...stateParams(r, r.updatedAt),
      fingerprint: r.fingerprint,
      last_root: r.lastRoot,
      last_path: r.lastPath,
      last_series: r.lastSeries,
      last_number: r.lastNumber,
    }).changes;
  }
  // max(0, 0) above turns "never read" into 0: put the null back.
  db.exec('UPDATE comic_state SET last_read_at = NULL WHERE last_read_at = 0');
  return written;
}

function stateParams(state: UserState, updatedAt: number) {
  return {
    read: state.read ? 1 : 0,
    last_page: state.lastPage,
    favourite: state.favourite ? 1 : 0,
    updated_at: updatedAt,
    last_read_at: state.lastReadAt,
  };
}
