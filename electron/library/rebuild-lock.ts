// The cross-process rebuild lock: `rebuild.lock` in the data dir, created exclusively, holding who
// owns it and a heartbeat. Only one rebuild per library runs at a time, across processes. A lock
// whose owner is dead (same host) or whose heartbeat is old is taken over.
import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';

export interface LockInfo {
  pid: number;
  host: string;
  token: string;
  startedAt: number;
  heartbeatAt: number;
}

export const LOCK_STALE_MS = 30_000;

export function readLock(file: string): LockInfo | null {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof value !== 'object' || value === null) return null;
    const info = value as Partial<LockInfo>;
    if (typeof info.pid !== 'number' || typeof info.token !== 'string' || typeof info.heartbeatAt !== 'number') return null;
    return { pid: info.pid, host: String(info.host ?? ''), token: info.token, startedAt: Number(info.startedAt ?? 0), heartbeatAt: info.heartbeatAt };
  } catch {
    return null;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stale: the owner is a dead process on this host, or it stopped heartbeating (another host, hung). */
export function isStale(info: LockInfo | null, now: number, staleMs = LOCK_STALE_MS): boolean {
  if (info === null) return true; // unreadable or half-written lock files are garbage
  if (info.host === hostname() && !isProcessAlive(info.pid)) return true;
  return now - info.heartbeatAt > staleMs;
}

export interface RebuildLock {
  readonly info: LockInfo;
  heartbeat(): void;
  release(): void;
}

function tryCreate(file: string, info: LockInfo): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, JSON.stringify(info));
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Moves a stale lock aside. rename() is atomic, so of two processes taking over the same stale lock
 * only one moves it; the other finds the new owner's lock and backs off.
 */
function takeOver(file: string, stale: LockInfo | null): void {
  const aside = `${file}.${randomUUID()}.stale`;
  try {
    renameSync(file, aside);
  } catch {
    return; // someone else moved it first
  }
  const moved = readLock(aside);
  if (stale !== null && moved !== null && moved.token !== stale.token) {
    // We moved a lock that was created after we judged the old one stale: put it back.
    try {
      linkSync(aside, file);
    } catch {
      /* a third process holds it now; either way not ours to remove */
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    /* already gone */
  }
}

/** Returns the lock, or null when another live process holds it. */
export function acquireRebuildLock(file: string, options: { now?: () => number; staleMs?: number } = {}): RebuildLock | null {
  const now = options.now ?? Date.now;
  const info: LockInfo = { pid: process.pid, host: hostname(), token: randomUUID(), startedAt: now(), heartbeatAt: now() };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(file, info)) return ownedLock(file, info, now);
    const existing = readLock(file);
    if (!isStale(existing, now(), options.staleMs)) return null;
    takeOver(file, existing);
  }
  return null;
}

function ownedLock(file: string, info: LockInfo, now: () => number): RebuildLock {
  let released = false;
  return {
    info,
    heartbeat() {
      if (released) return;
      const current = readLock(file);
      if (current?.token !== info.token) return; // taken over: do not write someone else's lock
      info.heartbeatAt = now();
      const tmp = `${file}.${info.token}.tmp`;
      writeFileSync(tmp, JSON.stringify(info));
      renameSync(tmp, file);
    },
    release() {
      if (released) return;
      released = true;
      if (readLock(file)?.token === info.token) {
        try {
          unlinkSync(file);
        } catch {
          /* already gone */
        }
      }
    },
  };
}
