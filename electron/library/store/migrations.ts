// Forward-only, numbered migrations. library.db is a cache: everything in it can be rebuilt from the
// folder. The user's state lives in user.db (electron/library/user/); version 11 set aside the
// user_state table older versions kept here, for the one-time move into user.db (legacy-import.ts).
import type Database from 'better-sqlite3';
import { createComicsIndexesSql, createComicsTableSql, createFtsTableSql } from './schema.js';
import { upgradeDerivedTables } from './generation-writer.js';

interface Migration {
  version: number;
  up(db: Database.Database): void;
}

const MIGRATIONS: readonly Migration[] = [
  {
    version: 10,
    up(db) {
      db.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value ANY) STRICT`);
      db.exec(
        `CREATE TABLE user_state (
           fingerprint TEXT PRIMARY KEY,
           read INTEGER NOT NULL DEFAULT 0,
           last_page INTEGER,
           favourite INTEGER NOT NULL DEFAULT 0,
           updated_at INTEGER NOT NULL
         ) STRICT`,
      );
      db.exec(createComicsTableSql('comics'));
      for (const sql of createComicsIndexesSql('comics', 0)) db.exec(sql);
      db.exec(createFtsTableSql('comics_fts'));
      const insert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
      insert.run('generation', 0);
      insert.run('next_id', 1);
      insert.run('file_count', 0);
      insert.run('error_count', 0);
    },
  },
  {
    // Who a removed comic was (id, first-seen time) by fingerprint, so a folder that comes back gets
    // its comics back as they were instead of new ids and a new "Date added" (departed.ts).
    version: 11,
    up(db) {
      db.exec(
        `CREATE TABLE departed (
           fingerprint TEXT PRIMARY KEY,
           id INTEGER NOT NULL,
           added_at INTEGER NOT NULL,
           path TEXT NOT NULL,
           departed_at INTEGER NOT NULL
         ) STRICT`,
      );
    },
  },
  {
    version: 12,
    up(db) {
      // Renamed, not dropped: whichever process migrates first, the rows wait here until a service has
      // copied them into user.db (durably); only then is the table dropped (legacy-import.ts).
      db.exec('ALTER TABLE user_state RENAME TO legacy_user_state');
    },
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function migrate(db: Database.Database): void {
  let previous = 0;
  for (const m of MIGRATIONS) {
    if (m.version <= previous) throw new Error(`migrations out of order at ${m.version}`);
    previous = m.version;
  }
  const current = db.pragma('user_version', { simple: true }) as number;
  const pending = MIGRATIONS.filter((m) => m.version > current);
  if (pending.length > 0) {
    db.transaction(() => {
      for (const m of pending) {
        m.up(db);
        db.pragma(`user_version = ${m.version}`);
      }
    }).immediate();
  }
  // The cache tables are derived: they follow the code's shape by rewriting, not by migrations.
  upgradeDerivedTables(db);
}
