// Opening a SQLite file with better-sqlite3, the part library.db (store/open-database.ts) and user.db
// (user/user-db.ts) share: the connection options, and closing the connection again when setting it up
// fails (a refused or corrupt file must not leave an open handle behind). Each caller's own pragmas,
// migrations and refusals run in `setUp`.
import Database from 'better-sqlite3';

export interface SqliteFileOptions {
  /** A read-only connection also requires the file to exist. */
  readonly?: boolean;
  /** better-sqlite3 binding for this runtime (Electron's ABI during development). */
  nativeBinding?: string;
  /** ms to wait for another connection's write lock (default 5000). */
  busyTimeoutMs?: number;
}

export function openSqliteFile(file: string, options: SqliteFileOptions, setUp: (db: Database.Database) => void): Database.Database {
  const readonly = options.readonly ?? false;
  const db = new Database(file, {
    readonly,
    fileMustExist: readonly,
    timeout: options.busyTimeoutMs ?? 5000,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  try {
    setUp(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
