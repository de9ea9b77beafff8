// UserStore: the user's own data (read marks, last page, favourites, reader settings per series) in
// user.db, apart from the disposable cache. Opening it checks its health and restores the newest good
// backup when it is damaged (recovery.ts); every write is a read-modify-write inside one IMMEDIATE
// transaction, so two processes writing at once never lose each other's update.
import fs from 'node:fs';
import path from 'node:path';
import { LongboxError } from '../../../shared/errors.js';
import { readerSettingsSchema } from '../../../shared/query.js';
import type { ReaderSettings, UserDataNotice, UserState } from '../../../shared/types.js';
import { silentLogger, toLogFormat, type Logger } from '../logger.js';
import { createBackup, DEFAULT_KEEP, listBackups, type BackupInfo, type BackupKind } from './backups.js';
import { openHealthyUserDb } from './recovery.js';
import { isBusy, isCorruption, isDiskFull, type ComicStateRow, type UserDb } from './user-db.js';
import { USER_MIGRATIONS, type UserMigration } from './user-migrations.js';

export const USER_DB_NAME = 'user.db';
export const BACKUPS_DIR_NAME = 'user-backups';
const DAY_MS = 24 * 60 * 60 * 1000;
const BACKUP_CHECK_MS = 60 * 60 * 1000;

export interface UserStoreOptions {
  /** Folder holding user.db and user-backups/. */
  dir: string;
  nativeBinding?: string;
  logger?: Logger;
  /** Backups kept per kind (default DEFAULT_KEEP). */
  keep?: Partial<Record<BackupKind, number>>;
  /** A daily backup is taken when the newest one is older than this (default 24 h). */
  backupEveryMs?: number;
  /** Check every hour whether a daily backup is due (default true; off in short-lived commands). */
  backupTimer?: boolean;
  /** ms a write waits for another process's lock (default 5000). */
  busyTimeoutMs?: number;
  /** SQLite's max_page_count for user.db: a hard size cap (tests use it to stand in for a full disk). */
  maxPageCount?: number;
  /** Tests only: another migration list. */
  migrations?: readonly UserMigration[];
  now?: () => number;
}

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

export interface StoredSeriesSettings {
  seriesKey: string;
  settings: ReaderSettings;
  updatedAt: number;
}


export const EMPTY_STATE: Readonly<UserState> = Object.freeze({ read: false, lastPage: null, favourite: false, lastReadAt: null });

function toState(row: ComicStateRow | undefined): UserState {
  if (!row) return { ...EMPTY_STATE };
  return { read: row.read === 1, lastPage: row.last_page, favourite: row.favourite === 1, lastReadAt: row.last_read_at };
}

function toStored(row: ComicStateRow): StoredComicState {
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

export class UserStore {
  readonly file: string;
  readonly backupsDir: string;
  readonly #options: UserStoreOptions;
  readonly #logger: Logger;
  readonly #now: () => number;
  #db: UserDb;
  #notice: UserDataNotice | null;
  #timer: NodeJS.Timeout | null = null;
  #backingUp: Promise<BackupInfo | null> | null = null;
  /** Something was written since this store opened: close takes a 'session' backup. */
  #dirty = false;
  #closing: Promise<void> | null = null;
  #closed = false;

  constructor(db: UserDb, notice: UserDataNotice | null, options: UserStoreOptions) {
    this.#db = db;
    this.#notice = notice;
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#now = options.now ?? Date.now;
    this.file = path.join(options.dir, USER_DB_NAME);
    this.backupsDir = path.join(options.dir, BACKUPS_DIR_NAME);
    if (options.backupTimer ?? true) {
      this.#timer = setInterval(() => void this.backupIfDue(), BACKUP_CHECK_MS);
      this.#timer.unref();
    }
  }

  /** What the UI must tell the user about this file (a restore, data that could not be recovered). */
  get notice(): UserDataNotice | null {
    return this.#notice;
  }

  /** For the list query's ATTACH and tests. */
  get db(): UserDb {
    return this.#db;
  }

  // ---- comic state -------------------------------------------------------------------------------

  getState(fingerprint: string): UserState {
    return toState(this.#db.prepare('SELECT * FROM comic_state WHERE fingerprint = ?').get(fingerprint) as ComicStateRow | undefined);
  }

  getStored(fingerprint: string): StoredComicState | null {
    const row = this.#db.prepare('SELECT * FROM comic_state WHERE fingerprint = ?').get(fingerprint) as ComicStateRow | undefined;
    return row ? toStored(row) : null;
  }

  /** Every stored row (export, orphans, tests). */
  allStates(): StoredComicState[] {
    return (this.#db.prepare('SELECT * FROM comic_state ORDER BY fingerprint').all() as ComicStateRow[]).map(toStored);
  }

  /** Applies `patch` to one comic; the read, the merge and the write are one IMMEDIATE transaction. */
  updateState(identity: ComicIdentity, patch: UserStatePatch): UserState {
    return this.updateStates([identity], patch)[0]!;
  }

  /** Applies one patch to many comics in one transaction (bulk "mark read"); returns their new states in order. */
  updateStates(identities: readonly ComicIdentity[], patch: UserStatePatch): UserState[] {
    const select = this.#db.prepare('SELECT * FROM comic_state WHERE fingerprint = ?');
    const upsert = this.#db.prepare(
      `INSERT INTO comic_state (fingerprint, read, last_page, favourite, updated_at, last_read_at, last_root, last_path, last_series, last_number)
       VALUES (@fingerprint, @read, @last_page, @favourite, @updated_at, @last_read_at, @last_root, @last_path, @last_series, @last_number)
       ON CONFLICT(fingerprint) DO UPDATE SET read = excluded.read, last_page = excluded.last_page, favourite = excluded.favourite,
         updated_at = excluded.updated_at, last_read_at = excluded.last_read_at, last_root = excluded.last_root,
         last_path = excluded.last_path, last_series = excluded.last_series, last_number = excluded.last_number`,
    );
    return this.#write('save your change', () =>
      this.#db
        .transaction(() => {
          const now = this.#now();
          const results: UserState[] = [];
          for (const identity of identities) {
            const current = toState(select.get(identity.fingerprint) as ComicStateRow | undefined);
            const next = applyPatch(current, patch, now);
            results.push(next);
            upsert.run({
              fingerprint: identity.fingerprint,
              read: next.read ? 1 : 0,
              last_page: next.lastPage,
              favourite: next.favourite ? 1 : 0,
              updated_at: now,
              last_read_at: next.lastReadAt,
              last_root: identity.root,
              last_path: identity.path,
              last_series: identity.series,
              last_number: identity.number,
            });
          }
          return results;
        })
        .immediate(),
    );
  }

  /**
   * Writes whole rows (import, legacy migration): a row replaces the stored one only when it is newer
   * (updated_at), so importing the same file twice, or an old file, never undoes newer work.
   * Returns how many rows were written.
   */
  mergeStates(rows: readonly StoredComicState[]): number {
    const upsert = this.#db.prepare(
      `INSERT INTO comic_state (fingerprint, read, last_page, favourite, updated_at, last_read_at, last_root, last_path, last_series, last_number)
       VALUES (@fingerprint, @read, @last_page, @favourite, @updated_at, @last_read_at, @last_root, @last_path, @last_series, @last_number)
       ON CONFLICT(fingerprint) DO UPDATE SET read = excluded.read, last_page = excluded.last_page, favourite = excluded.favourite,
         updated_at = excluded.updated_at, last_read_at = max(coalesce(excluded.last_read_at, 0), coalesce(comic_state.last_read_at, 0)),
         last_root = coalesce(excluded.last_root, comic_state.last_root), last_path = coalesce(excluded.last_path, comic_state.last_path),
         last_series = coalesce(excluded.last_series, comic_state.last_series), last_number = coalesce(excluded.last_number, comic_state.last_number)
       WHERE excluded.updated_at > comic_state.updated_at`,
    );
    return this.#write('import the reading state', () =>
      this.#db
        .transaction(() => {
          let written = 0;
          for (const r of rows) {
            written += upsert.run({
              fingerprint: r.fingerprint,
              read: r.read ? 1 : 0,
              last_page: r.lastPage,
              favourite: r.favourite ? 1 : 0,
              updated_at: r.updatedAt,
              last_read_at: r.lastReadAt,
              last_root: r.lastRoot,
              last_path: r.lastPath,
              last_series: r.lastSeries,
              last_number: r.lastNumber,
            }).changes;
          }
          // max(0, 0) above turns "never read" into 0: put the null back.
          this.#db.exec('UPDATE comic_state SET last_read_at = NULL WHERE last_read_at = 0');
          return written;
        })
        .immediate(),
    );
  }

  /**
   * States of comics whose file is gone from the library at `root` (their fingerprint is not in
   * `liveFingerprints`) and that were last seen there. Kept until pruned: a comic that comes back gets
   * its state back.
   */
  orphans(root: string, liveFingerprints: ReadonlySet<string>): StoredComicState[] {
    const rows = this.#db.prepare('SELECT * FROM comic_state WHERE last_root = ? OR last_root IS NULL ORDER BY last_path').all(root) as ComicStateRow[];
    return rows.filter((r) => !liveFingerprints.has(r.fingerprint)).map(toStored);
  }

  /** Deletes the orphans of `root` (after a backup); returns how many. */
  async pruneOrphans(root: string, liveFingerprints: ReadonlySet<string>): Promise<number> {
    const orphans = this.orphans(root, liveFingerprints);
    if (orphans.length === 0) return 0;
    await this.backupNow('prune');
    const del = this.#db.prepare('DELETE FROM comic_state WHERE fingerprint = ? AND (last_root = ? OR last_root IS NULL)');
    return this.#write('prune', () =>
      this.#db
        .transaction(() => {
          let n = 0;
          // Re-checked inside the transaction by the WHERE: a row another process just moved to another root stays.
          for (const o of orphans) n += del.run(o.fingerprint, root).changes;
          return n;
        })
        .immediate(),
    );
  }

  // ---- reader settings ---------------------------------------------------------------------------

  getReaderSettings(seriesKey: string): ReaderSettings | null {
    const row = this.#db.prepare('SELECT settings FROM series_settings WHERE series_key = ?').get(seriesKey) as { settings: string } | undefined;
    if (!row) return null;
    try {
      const parsed = readerSettingsSchema.safeParse(JSON.parse(row.settings));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  setReaderSettings(seriesKey: string, settings: ReaderSettings): void {
    const valid = readerSettingsSchema.parse(settings);
    this.#write('save the reader settings', () =>
      this.#db
        .prepare(
          `INSERT INTO series_settings (series_key, settings, updated_at) VALUES (?, ?, ?)
           ON CONFLICT(series_key) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
        )
        .run(seriesKey, JSON.stringify(valid), this.#now()),
    );
  }

  allSeriesSettings(): StoredSeriesSettings[] {
    const rows = this.#db.prepare('SELECT series_key, settings, updated_at FROM series_settings ORDER BY series_key').all() as Array<{
      series_key: string;
      settings: string;
      updated_at: number;
    }>;
    const out: StoredSeriesSettings[] = [];
    for (const r of rows) {
      const parsed = readerSettingsSchema.safeParse(JSON.parse(r.settings));
      if (parsed.success) out.push({ seriesKey: r.series_key, settings: parsed.data, updatedAt: r.updated_at });
    }
    return out;
  }

  /** Newer-wins merge of series settings (import). */
  mergeSeriesSettings(rows: readonly StoredSeriesSettings[]): number {
    const upsert = this.#db.prepare(
      `INSERT INTO series_settings (series_key, settings, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(series_key) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at
       WHERE excluded.updated_at > series_settings.updated_at`,
    );
    return this.#write('import the reader settings', () =>
      this.#db
        .transaction(() => rows.reduce((n, r) => n + upsert.run(r.seriesKey, JSON.stringify(readerSettingsSchema.parse(r.settings)), r.updatedAt).changes, 0))
        .immediate(),
    );
  }

  // ---- backups -----------------------------------------------------------------------------------

  backups(): BackupInfo[] {
    return listBackups(this.backupsDir);
  }

  async backupNow(kind: BackupKind): Promise<BackupInfo> {
    return createBackup(this.#db, this.backupsDir, kind, {
      now: this.#now(),
      keep: { ...DEFAULT_KEEP, ...this.#options.keep },
      ...(this.#options.nativeBinding ? { nativeBinding: this.#options.nativeBinding } : {}),
    });
  }

  /** Takes the daily backup when the newest daily one is older than a day. Never throws. */
  backupIfDue(): Promise<BackupInfo | null> {
    if (this.#closed || this.#closing) return Promise.resolve(null);
    if (this.#backingUp) return this.#backingUp;
    const every = this.#options.backupEveryMs ?? DAY_MS;
    const newest = this.backups().find((b) => b.kind === 'daily');
    if (newest && this.#now() - newest.at < every) return Promise.resolve(null);
    this.#backingUp = this.backupNow('daily')
      .catch((err: unknown) => {
        this.#logger.warn(`user.db backup failed: ${toLogFormat(err)}`);
        return null;
      })
      .finally(() => (this.#backingUp = null));
    return this.#backingUp;
  }

  // ---- plumbing ----------------------------------------------------------------------------------

  /** SQLite's failures in words the UI can show; nothing of a failed write is kept (the transaction rolled back). */
  #write<T>(what: string, run: () => T): T {
    if (this.#closed) throw new LongboxError('INTERNAL', 'The user data store is closed.');
    try {
      const result = run();
      this.#dirty = true;
      return result;
    } catch (err) {
      if (isDiskFull(err)) {
        throw new LongboxError('DISK_FULL', `The disk holding ${path.dirname(this.file)} is full: could not ${what}. Nothing was changed; free some space and try again.`);
      }
      if (isBusy(err)) {
        throw new LongboxError('BUSY', `Another Longbox is holding the user data for too long: could not ${what}. Try again.`);
      }
      if (isCorruption(err)) {
        this.#logger.error(`user.db: ${toLogFormat(err)}`);
        throw new LongboxError('DB_CORRUPT', `The reading-state file ${this.file} is damaged: could not ${what}. Restart Longbox to restore it from its last backup.`);
      }
      throw err;
    }
  }

  /** Takes a 'session' backup when something was written, then closes the connection. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#backingUp?.catch(() => null);
    if (this.#dirty) {
      // Whatever this session wrote is in a backup as the session ends, not only at the next daily one.
      await this.backupNow('session').catch((err: unknown) => this.#logger.warn(`user.db backup at close failed: ${toLogFormat(err)}`));
    }
    this.#closed = true;
    this.#db.close();
  }
}

/** Opens (creating, migrating or restoring as needed) the user store in `options.dir`. */
export async function openUserStore(options: UserStoreOptions): Promise<UserStore> {
  fs.mkdirSync(options.dir, { recursive: true });
  const opened = await openHealthyUserDb({
    file: path.join(options.dir, USER_DB_NAME),
    backupsDir: path.join(options.dir, BACKUPS_DIR_NAME),
    migrations: options.migrations ?? USER_MIGRATIONS,
    keep: { ...DEFAULT_KEEP, ...options.keep },
    logger: options.logger ?? silentLogger,
    now: options.now ?? Date.now,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
  });
  if (options.maxPageCount !== undefined) opened.db.pragma(`max_page_count = ${Math.max(1, Math.floor(options.maxPageCount))}`);
  const store = new UserStore(opened.db, opened.notice, options);
  await store.backupIfDue();
  return store;
}
