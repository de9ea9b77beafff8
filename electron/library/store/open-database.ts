// Opening library.db: pragmas, migrations, and the refusals (newer schema, corrupt file).
import Database from 'better-sqlite3';
import { LongboxError } from '../../../shared/errors.js';
import type { Db } from './db.js';
// Also named here for callers that open the database; the modules the migrations run (generation
// writer, browse tables…) import it from db.ts, or the import would close a circle (import-cycles.test.ts).
export type { Db };
import { LATEST_SCHEMA_VERSION, migrate } from './migrations.js';

export interface OpenOptions {
  readonly?: boolean;
  /** better-sqlite3 binding for this runtime (Electron's ABI during development). */
  nativeBinding?: string;
  /** ms to wait for another connection's write lock; 0 for callers that retry on their own. */
  busyTimeoutMs?: number;
}

/** Opens the database and brings its schema up to date (writable connections only). */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
    timeout: options.busyTimeoutMs ?? 5000,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  try {
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    const version = schemaVersion(db);
    if (version > LATEST_SCHEMA_VERSION) {
      throw new LongboxError(
        'DB_FROM_FUTURE',
        `${file} was written by a newer Longbox (schema ${version}, this version knows ${LATEST_SCHEMA_VERSION}); it was not modified. Update Longbox or choose another data folder.`,
      );
    }
    if (!options.readonly) migrate(db);
    else if (version < LATEST_SCHEMA_VERSION) {
      throw new LongboxError('INTERNAL', `${file} has schema ${version}; expected ${LATEST_SCHEMA_VERSION}`);
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** SQLite's own words for a file that is not a healthy database. */
export function isCorruptionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT_VTAB';
}
