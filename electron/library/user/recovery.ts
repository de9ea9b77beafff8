// Opening user.db so that it is healthy afterwards, whatever was found:
//   healthy file            → opened (and migrated, after a 'migration' backup when it had data)
//   damaged (quick_check, not a database) or missing/empty while backups exist
//                           → the damaged file is moved aside (kept byte for byte), the newest backup
//                             that passes its check is copied in, rows the damaged file still yields that
//                             are newer than the backup are merged back, and a notice says what happened
//   damaged, no backup      → a new empty file plus whatever could be salvaged, and a notice
// A file from a newer Longbox is refused untouched (DB_FROM_FUTURE), never "repaired".
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { UserDataNotice } from '../../../shared/types.js';
import type { Logger } from '../logger.js';
import { createBackup, listBackups, restoreNewestBackup, type BackupInfo, type BackupKind } from './backups.js';
import { isCorruption, openUserConnection, quickCheck, userVersion, type ComicStateRow, type UserDb } from './user-db.js';
import { latestVersion, migrateUserDb, type UserMigration } from './user-migrations.js';

export interface OpenHealthyOptions {
  file: string;
  backupsDir: string;
  migrations: readonly UserMigration[];
  keep: Readonly<Record<BackupKind, number>>;
  logger: Logger;
  now: () => number;
  nativeBinding?: string;
  busyTimeoutMs?: number;
}

export interface OpenedUserDb {
  db: UserDb;
  notice: UserDataNotice | null;
}

interface SalvagedSettings {
  series_key: string;
  settings: string;
  updated_at: number;
}

function when(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

type Probe = { ok: true; db: UserDb } | { ok: false; problem: string };

function probe(file: string, options: OpenHealthyOptions): Probe {
  let db: UserDb;
  try {
    db = openUserConnection(file, {
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
    });
  } catch (err) {
    if (isCorruption(err)) return { ok: false, problem: (err as Error).message };
    throw err;
  }
  try {
    const problem = quickCheck(db);
    if (problem) {
      db.close();
      return { ok: false, problem };
    }
    return { ok: true, db };
  } catch (err) {
    db.close();
    if (isCorruption(err)) return { ok: false, problem: (err as Error).message };
    throw err;
  }
}

function moveAside(file: string, now: number): string | null {
  if (!fs.existsSync(file)) {
    for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    return null;
  }
  const aside = `${file}.corrupt-${now}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, aside + suffix);
  }
  return aside;
}

/** Whatever rows the damaged file still gives, read from a scratch copy (the kept file stays as it was). */
function salvage(aside: string, options: OpenHealthyOptions): { states: ComicStateRow[]; settings: SalvagedSettings[] } {
  const states: ComicStateRow[] = [];
  const settings: SalvagedSettings[] = [];
  const scratch = `${aside}.salvage`;
  let db: Database.Database | null = null;
  try {
    fs.copyFileSync(aside, scratch);
    if (fs.existsSync(`${aside}-wal`)) fs.copyFileSync(`${aside}-wal`, `${scratch}-wal`);
    db = new Database(scratch, { fileMustExist: true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
    const read = <T>(sql: string, into: T[]) => {
      try {
        for (const row of db!.prepare(sql).iterate()) into.push(row as T);
      } catch {
        // Keep what came before the damaged page.
      }
    };
    read<ComicStateRow>(
      'SELECT fingerprint, read, last_page, favourite, updated_at, last_read_at, last_root, last_path, last_series, last_number FROM comic_state',
      states,
    );
    read<SalvagedSettings>('SELECT series_key, settings, updated_at FROM series_settings', settings);
  } catch {
    // Not even a database: nothing to salvage.
  } finally {
    db?.close();
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(scratch + suffix, { force: true });
  }
  const valid = states.filter(
    (s) =>
      typeof s.fingerprint === 'string' &&
      (s.read === 0 || s.read === 1) &&
      (s.favourite === 0 || s.favourite === 1) &&
      (s.last_page === null || (Number.isInteger(s.last_page) && s.last_page >= 0)) &&
      Number.isInteger(s.updated_at),
  );
  return { states: valid, settings: settings.filter((s) => typeof s.series_key === 'string' && typeof s.settings === 'string') };
}

/** Merges salvaged rows that are newer than what the restored file has; returns how many. */
function mergeSalvaged(db: UserDb, salvaged: { states: ComicStateRow[]; settings: SalvagedSettings[] }): number {
  const state = db.prepare(
    `INSERT INTO comic_state (fingerprint, read, last_page, favourite, updated_at, last_read_at, last_root, last_path, last_series, last_number)
     VALUES (@fingerprint, @read, @last_page, @favourite, @updated_at, @last_read_at, @last_root, @last_path, @last_series, @last_number)
     ON CONFLICT(fingerprint) DO UPDATE SET read = excluded.read, last_page = excluded.last_page, favourite = excluded.favourite,
       updated_at = excluded.updated_at, last_read_at = excluded.last_read_at, last_root = excluded.last_root, last_path = excluded.last_path,
       last_series = excluded.last_series, last_number = excluded.last_number
     WHERE excluded.updated_at > comic_state.updated_at`,
  );
  const setting = db.prepare(
    `INSERT INTO series_settings (series_key, settings, updated_at) VALUES (@series_key, @settings, @updated_at)
     ON CONFLICT(series_key) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at
     WHERE excluded.updated_at > series_settings.updated_at`,
  );
  return db
    .transaction(() => {
      let n = 0;
      for (const s of salvaged.states) {
        try {
          n += state.run(s).changes;
        } catch {
          /* a row that breaks a constraint is left out */
        }
      }
      for (const s of salvaged.settings) {
        try {
          n += setting.run(s).changes;
        } catch {
          /* invalid JSON and the like */
        }
      }
      return n;
    })
    .immediate();
}

function recover(problem: string, options: OpenHealthyOptions, found: 'damaged' | 'missing'): OpenedUserDb {
  const now = options.now();
  const name = path.basename(options.file);
  let aside: string | null = null;
  if (found === 'damaged') aside = moveAside(options.file, now);
  else for (const suffix of ['', '-wal', '-shm']) fs.rmSync(options.file + suffix, { force: true }); // the empty file the probe made
  const salvaged = aside ? salvage(aside, options) : { states: [], settings: [] };
  const restored: BackupInfo | null = restoreNewestBackup(options.backupsDir, options.file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  const reopened = probe(options.file, options);
  if (!reopened.ok) throw new Error(`${options.file} is still not a healthy database after recovery: ${reopened.problem}`);
  const db = reopened.db;
  migrateUserDb(db, options.migrations);
  const recovered = salvaged.states.length + salvaged.settings.length > 0 ? mergeSalvaged(db, salvaged) : 0;
  const kept = aside ? ` The damaged file is kept as ${path.basename(aside)}.` : '';
  const what = aside ? `Your reading data (${name}) was damaged (${problem.slice(0, 120)}).` : `Your reading data (${name}) was missing.`;
  let message: string;
  if (restored) {
    const extra = recovered > 0 ? ` ${recovered} newer change(s) were recovered from the damaged file;` : '';
    message = `${what} It was restored from the backup of ${when(restored.at)}.${extra} changes made after that backup may be lost.${kept}`;
  } else if (recovered > 0) {
    message = `${what} No backup was available; ${recovered} entr${recovered === 1 ? 'y was' : 'ies were'} recovered from the damaged file, anything else is lost.${kept}`;
  } else {
    message = `${what} No backup was available and nothing could be recovered: read marks and page positions start empty.${kept}`;
  }
  options.logger.error(`user.db: ${message}`);
  return { db, notice: { message, at: now } };
}

export async function openHealthyUserDb(options: OpenHealthyOptions): Promise<OpenedUserDb> {
  fs.mkdirSync(path.dirname(options.file), { recursive: true });
  const existed = fs.existsSync(options.file) && fs.statSync(options.file).size > 0;
  const hasBackups = listBackups(options.backupsDir).length > 0;
  let opened: OpenedUserDb;
  const first = probe(options.file, options);
  if (!first.ok) opened = recover(first.problem, options, 'damaged');
  else if (userVersion(first.db) === 0 && hasBackups) {
    // A file with no schema although backups exist: it was deleted, emptied or truncated to nothing.
    first.db.close();
    opened = recover('it holds no data', options, existed ? 'damaged' : 'missing');
  } else opened = { db: first.db, notice: null };

  const version = userVersion(opened.db);
  if (version > 0 && version < latestVersion(options.migrations)) {
    // Before a migration touches data: a copy to go back to.
    const backup = await createBackup(opened.db, options.backupsDir, 'migration', { now: options.now(), keep: options.keep });
    options.logger.info(`user.db: backup before migrating from schema ${version}: ${backup.file}`);
  }
  try {
    const applied = migrateUserDb(opened.db, options.migrations);
    if (applied.length > 0) options.logger.info(`user.db: migrated to schema ${applied[applied.length - 1]}`);
  } catch (err) {
    opened.db.close();
    throw err;
  }
  return opened;
}
