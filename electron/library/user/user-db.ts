// Opening user.db: the connection settings chosen for durability, the health check, and the words for
// SQLite's failures. Recovery (backups, restore) is in recovery.ts; the queries are in user-store.ts.
import type Database from 'better-sqlite3';
import { LongboxError } from '../../../shared/errors.js';
import { openSqliteFile, type SqliteFileOptions } from '../sqlite-file.js';
import { latestVersion, USER_MIGRATIONS } from './user-migrations.js';

export type UserDb = Database.Database;

export type UserDbOptions = SqliteFileOptions;

/**
 * Why these settings (user.db holds what cannot be rebuilt, library.db what can):
 * - journal_mode=WAL: a commit is one append to user.db-wal; readers (the list query's ATTACH, a second
 *   host) never block the writer nor see a half-written transaction.
 * - synchronous=FULL: in WAL mode this fsyncs the WAL on every commit, so a write that was acknowledged
 *   survives not only kill -9 of the host (any mode does: the bytes are in the OS) but also a power cut
 *   or OS crash a moment later. NORMAL (library.db's setting) may lose the last commits on power loss,
 *   which is fine for a cache and not for a read mark. The price is one fsync per state write; writes
 *   are rare (a click, a page turn) and tiny.
 * - fullfsync / checkpoint_fullfsync: on macOS fsync() does not flush the drive's cache; F_FULLFSYNC does
 *   (ignored elsewhere).
 * - busy_timeout: two hosts on one data dir (the app and `longbox serve`) queue for the write lock
 *   instead of failing; every write transaction is a few statements long, so the wait is milliseconds.
 * - cell_size_check: catches some kinds of corruption on read instead of returning garbage.
 * - trusted_schema=OFF: a damaged or planted file cannot make SQL functions run from its schema.
 */
export function openUserConnection(file: string, options: UserDbOptions = {}): UserDb {
  return openSqliteFile(file, options, (db) => {
    // Before anything can write to it: a file from a newer Longbox stays byte for byte as it was.
    assertNotFromFuture(db, file);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('fullfsync = ON');
      db.pragma('checkpoint_fullfsync = ON');
      db.pragma('journal_size_limit = 4194304');
    }
    db.pragma('cell_size_check = ON');
    db.pragma('trusted_schema = OFF');
  });
}

export function userVersion(db: UserDb): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** null when healthy; otherwise SQLite's first complaint. Throws what SQLite throws for a non-database. */
export function quickCheck(db: UserDb): string | null {
  const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
  const first = rows[0]?.quick_check ?? 'no answer';
  return rows.length === 1 && first === 'ok' ? null : first;
}

/** Refuses a file written by a newer Longbox, untouched. */
export function assertNotFromFuture(db: UserDb, file: string): void {
  const version = userVersion(db);
  const latest = latestVersion(USER_MIGRATIONS);
  if (version > latest) {
    throw new LongboxError(
      'DB_FROM_FUTURE',
      `${file} was written by a newer Longbox (user data schema ${version}, this version knows ${latest}); it was not modified. Update Longbox.`,
    );
  }
}

/** SQLite's words for a file that is not a healthy database (extended codes included). */
export function isCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC';
}

export function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** A `comic_state` row as SQLite returns it. */
export interface ComicStateRow {
  fingerprint: string;
  read: number;
  last_page: number | null;
  favourite: number;
  updated_at: number;
  last_read_at: number | null;
  last_root: string | null;
  last_path: string | null;
  last_series: string | null;
  last_number: string | null;
}
