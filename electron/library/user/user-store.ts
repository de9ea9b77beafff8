// UserStore: the user's own data (read marks, last page, favourites, reader settings per series) in
// user.db, apart from the disposable cache. Opening it checks its health and restores the newest good
// backup when it is damaged (recovery.ts); every write is a read-modify-write inside one IMMEDIATE
// transaction, so two processes writing at once never lose each other's update. The rows' SQL is in
// comic-state.ts and series-settings.ts; this class owns the connection, the writes' error words,
// backups and closing.
import fs from 'node:fs';
import path from 'node:path';
import { LongboxError } from '../../../shared/errors.js';
import type { ReaderSettings, UserDataNotice, UserState } from '../../../shared/types.js';
import { silentLogger, toLogFormat, type Logger } from '../logger.js';
import { createBackup, DEFAULT_KEEP, listBackups, type BackupInfo, type BackupKind } from './backups.js';
import { mergeStateRows, patchStates, selectState, toState, toStored, type ComicIdentity, type StoredComicState, type UserStatePatch } from './comic-state.js';
import { openHealthyUserDb } from './recovery.js';
import { mergeSeriesSettingsRows, readAllSeriesSettings, readSeriesSettings, writeSeriesSettings, type StoredSeriesSettings } from './series-settings.js';
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
    return toState(selectState(this.#db, fingerprint));
  }

  getStored(fingerprint: string): StoredComicState | null {
    const row = selectState(this.#db, fingerprint);
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
    return this.#write('save your change', () => this.#db.transaction(() => patchStates(this.#db, identities, patch, this.#now())).immediate());
  }

  /**
   * Writes whole rows (import, legacy migration): a row replaces the stored one only when it is newer
   * (updated_at), so importing the same file twice, or an old file, never undoes newer work.
   * Returns how many rows were written.
   */
  mergeStates(rows: readonly StoredComicState[]): number {
    return this.#write('import the reading state', () => this.#db.transaction(() => mergeStateRows(this.#db, rows)).immediate());
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
    return readSeriesSettings(this.#db, seriesKey);
  }

  setReaderSettings(seriesKey: string, settings: ReaderSettings): void {
    this.#write('save the reader settings', () => writeSeriesSettings(this.#db, seriesKey, settings, this.#now()));
  }

  allSeriesSettings(): StoredSeriesSettings[] {
    return readAllSeriesSettings(this.#db);
  }

  /** Newer-wins merge of series settings (import). */
  mergeSeriesSettings(rows: readonly StoredSeriesSettings[]): number {
    return this.#write('import the reader settings', () => this.#db.transaction(() => mergeSeriesSettingsRows(this.#db, rows)).immediate());
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
