// user.db's own numbered, forward-only migrations. Unlike library.db (a cache, rebuilt at will), every
// row here is something the user did: a migration never drops data, and a backup is taken before any
// migration runs on an existing file (see user-store.ts).
import type Database from 'better-sqlite3';

/** The index Continue reading walks (see migration 2). */
export const CONTINUE_READING_INDEX = 'comic_state_continue';

export interface UserMigration {
  version: number;
  up(db: Database.Database): void;
}

export const USER_MIGRATIONS: readonly UserMigration[] = [
  {
    version: 1,
    up(db) {
      db.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value ANY) STRICT`);
      // One row per comic the user did something with, keyed by content fingerprint (survives renames,
      // moves, rebuilds and a new library root). last_* columns are where the comic was last seen: they
      // let export/import fall back to names and let orphans be listed and pruned per library.
      db.exec(
        `CREATE TABLE comic_state (
           fingerprint TEXT PRIMARY KEY,
           read INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
           last_page INTEGER CHECK (last_page IS NULL OR last_page >= 0),
           favourite INTEGER NOT NULL DEFAULT 0 CHECK (favourite IN (0, 1)),
           updated_at INTEGER NOT NULL,
           last_read_at INTEGER,
           last_root TEXT,
           last_path TEXT,
           last_series TEXT,
           last_number TEXT
         ) STRICT, WITHOUT ROWID`,
      );
      db.exec(`CREATE INDEX comic_state_last_read ON comic_state(last_read_at) WHERE last_read_at IS NOT NULL`);
      db.exec(`CREATE INDEX comic_state_root ON comic_state(last_root)`);
      db.exec(
        `CREATE TABLE series_settings (
           series_key TEXT PRIMARY KEY,
           settings TEXT NOT NULL CHECK (json_valid(settings)),
           updated_at INTEGER NOT NULL
         ) STRICT, WITHOUT ROWID`,
      );
    },
  },
  {
    version: 2,
    up(db) {
      // Continue reading (browse-reader.ts home()): started, unfinished comics, most recently read
      // first. v1's index on last_read_at is partial on `last_read_at IS NOT NULL`, which that query's
      // WHERE does not imply, so SQLite never used it and sorted every state row per request. This one
      // has exactly the query's condition: the shelf is the first rows of an index walk.
      db.exec(`CREATE INDEX IF NOT EXISTS ${CONTINUE_READING_INDEX} ON comic_state(last_read_at) WHERE read = 0 AND last_page IS NOT NULL`);
    },
  },
];

export function latestVersion(migrations: readonly UserMigration[] = USER_MIGRATIONS): number {
  return migrations[migrations.length - 1]!.version;
}

/** Runs the pending migrations in one IMMEDIATE transaction; returns the versions applied. */
export function migrateUserDb(db: Database.Database, migrations: readonly UserMigration[] = USER_MIGRATIONS): number[] {
  let previous = 0;
  for (const m of migrations) {
    if (m.version <= previous) throw new Error(`user.db migrations out of order at ${m.version}`);
    previous = m.version;
  }
  const applied: number[] = [];
  db.transaction(() => {
    // Read inside the write transaction: a second process migrating at the same moment waits, then
    // sees the new version and does nothing.
    const current = db.pragma('user_version', { simple: true }) as number;
    for (const m of migrations) {
      if (m.version <= current) continue;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
      applied.push(m.version);
    }
  }).immediate();
  return applied;
}
