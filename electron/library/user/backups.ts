// Rotating backups of user.db, made with SQLite's online backup API (a consistent copy taken while
// other connections keep reading and writing). A backup is written under a temporary name, checked
// (quick_check, a schema), switched to a single self-contained file (journal_mode=DELETE), fsynced and
// only then renamed into place, so a half-written or damaged copy is never taken for a good one.
//
//   <dir>/user-20261201T083000123Z-daily.db
// Kinds: daily (the first open of a day, and hourly checks), session (at close, when something was
// written), migration (before a schema change), import and prune (before those rewrite many rows).
import fs from 'node:fs';
import path from 'node:path';
import { openUserConnection, quickCheck, userVersion, type UserDb } from './user-db.js';

export const BACKUP_KINDS = ['daily', 'session', 'migration', 'import', 'prune'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

/** How many of each kind are kept (the newest ones). */
export const DEFAULT_KEEP: Readonly<Record<BackupKind, number>> = { daily: 7, session: 5, migration: 3, import: 3, prune: 3 };

export interface BackupInfo {
  file: string;
  kind: BackupKind;
  /** When the backup was taken, epoch ms (from its name). */
  at: number;
}

const NAME = /^user-(\d{8}T\d{9}Z)-([a-z]+)\.db$/;

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:.]/g, '');
}

function parseStamp(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(text);
  if (!m) return NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]));
}

/** Backups in `dir`, newest first. */
export function listBackups(dir: string): BackupInfo[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const found: BackupInfo[] = [];
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m || !(BACKUP_KINDS as readonly string[]).includes(m[2]!)) continue;
    const at = parseStamp(m[1]!);
    if (Number.isFinite(at)) found.push({ file: path.join(dir, name), kind: m[2] as BackupKind, at });
  }
  return found.sort((a, b) => b.at - a.at || b.file.localeCompare(a.file));
}

function fsyncPath(file: string, flags: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(file, flags);
    fs.fsyncSync(fd);
  } catch {
    // Directories cannot be fsynced on some platforms (Windows); the rename is still atomic.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/** null when `file` is a healthy user.db copy; otherwise why not. Opens it writable only if `writable`. */
export function checkCopy(file: string, options: { nativeBinding?: string; makeSelfContained?: boolean } = {}): string | null {
  let db: UserDb | null = null;
  try {
    db = openUserConnection(file, { ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}), busyTimeoutMs: 0 });
    const problem = quickCheck(db);
    if (problem) return problem;
    if (userVersion(db) === 0) return 'no user data schema';
    if (options.makeSelfContained) db.pragma('journal_mode = DELETE');
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    db?.close();
  }
}

/** Takes a backup of `db` into `dir`, then drops the oldest of its kind beyond `keep`. */
export async function createBackup(
  db: UserDb,
  dir: string,
  kind: BackupKind,
  options: { now?: number; keep?: Partial<Record<BackupKind, number>>; nativeBinding?: string } = {},
): Promise<BackupInfo> {
  fs.mkdirSync(dir, { recursive: true });
  let at = options.now ?? Date.now();
  // Two backups of one kind in the same millisecond (tests, a quick import after a migration): step on.
  while (fs.existsSync(path.join(dir, `user-${stamp(at)}-${kind}.db`))) at++;
  const file = path.join(dir, `user-${stamp(at)}-${kind}.db`);
  const partial = `${file}.partial`;
  try {
    await db.backup(partial);
    const problem = checkCopy(partial, { makeSelfContained: true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
    if (problem) throw new Error(`the backup copy failed its check: ${problem}`);
    fsyncPath(partial, 'r+');
    fs.renameSync(partial, file);
    fsyncPath(dir, 'r');
  } finally {
    for (const leftover of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) fs.rmSync(leftover, { force: true });
  }
  rotateBackups(dir, { ...DEFAULT_KEEP, ...options.keep });
  return { file, kind, at };
}

/** Deletes the oldest backups of each kind beyond its limit; returns the files removed. */
export function rotateBackups(dir: string, keep: Readonly<Record<BackupKind, number>>): string[] {
  const removed: string[] = [];
  const seen = new Map<BackupKind, number>();
  for (const backup of listBackups(dir)) {
    const n = (seen.get(backup.kind) ?? 0) + 1;
    seen.set(backup.kind, n);
    if (n > keep[backup.kind]) {
      fs.rmSync(backup.file, { force: true });
      removed.push(backup.file);
    }
  }
  return removed;
}

/**
 * Copies the newest healthy backup to `target` (which must not be open). Returns the backup used, or
 * null when there is none that passes the check.
 */
export function restoreNewestBackup(dir: string, target: string, options: { nativeBinding?: string } = {}): BackupInfo | null {
  for (const backup of listBackups(dir)) {
    const candidate = `${target}.restoring`;
    fs.rmSync(candidate, { force: true });
    fs.copyFileSync(backup.file, candidate);
    const problem = checkCopy(candidate, options);
    if (problem) {
      fs.rmSync(candidate, { force: true });
      continue;
    }
    for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(candidate + suffix, { force: true });
    fsyncPath(candidate, 'r+');
    fs.renameSync(candidate, target);
    fsyncPath(path.dirname(target), 'r');
    return backup;
  }
  return null;
}
