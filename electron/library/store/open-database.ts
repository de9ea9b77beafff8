// Opening library.db: pragmas, migrations, and the refusals (newer schema, corrupt file).
import { LongboxError } from '../../../shared/errors.js';
import { openSqliteFile, type SqliteFileOptions } from '../sqlite-file.js';
import type { Db } from './db.js';
// Also named here for callers that open the database; the modules the migrations run (generation
// writer, browse tables…) import it from db.ts, or the import would close a circle (import-cycles.test.ts).
export type { Db };
import { LATEST_SCHEMA_VERSION, migrate } from './migrations.js';

/** The connection options (`busyTimeoutMs: 0` for callers that retry on their own). */
export type OpenOptions = SqliteFileOptions;

/** Opens the database and brings its schema up to date (writable connections only). */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  return openSqliteFile(file, options, (db) => {
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
  });
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** SQLite's own words for a file that is not a healthy database. */
export function isCorruptionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT_VTAB';
}
