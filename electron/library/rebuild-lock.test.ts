import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { acquireRebuildLock, isStale, readLock, type LockInfo } from './rebuild-lock.js';
import { tempDirForEach } from './testing/temp-dir.js';

let dir: string;
let file: string;
tempDirForEach('lb-lock-', (made) => {
  dir = made;
  file = join(dir, 'rebuild.lock');
});

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

function writeLock(info: Partial<LockInfo>): void {
  writeFileSync(file, JSON.stringify({ pid: process.pid, host: hostname(), token: 'other', startedAt: Date.now(), heartbeatAt: Date.now(), ...info }));
}

describe('rebuild lock', () => {
  it('is exclusive while held and free again after release', () => {
    const first = acquireRebuildLock(file);
    expect(first).not.toBeNull();
    expect(acquireRebuildLock(file)).toBeNull();
    expect(readLock(file)?.token).toBe(first!.info.token);
    first!.release();
    expect(existsSync(file)).toBe(false);
    const second = acquireRebuildLock(file);
    expect(second).not.toBeNull();
    second!.release();
  });

  it('respects a live owner on this host', () => {
    writeLock({ pid: process.pid });
    expect(acquireRebuildLock(file)).toBeNull();
    expect(readLock(file)?.token).toBe('other');
  });

  it('takes over a lock whose process is dead', () => {
    writeLock({ pid: deadPid() });
    expect(isStale(readLock(file), Date.now())).toBe(true);
    const lock = acquireRebuildLock(file);
    expect(lock).not.toBeNull();
    expect(readLock(file)?.token).toBe(lock!.info.token);
    lock!.release();
  });

  it('takes over a lock whose heartbeat is too old (owner on another host, or hung)', () => {
    writeLock({ host: 'some-other-host', pid: 1, heartbeatAt: Date.now() - 60_000 });
    const lock = acquireRebuildLock(file);
    expect(lock).not.toBeNull();
    lock!.release();
  });

  it('treats a half-written lock file as garbage', () => {
    writeFileSync(file, '{"pid": 12');
    const lock = acquireRebuildLock(file);
    expect(lock).not.toBeNull();
    lock!.release();
  });

  it('heartbeat refreshes the time; release never removes a lock taken over by someone else', () => {
    let now = 1000;
    const lock = acquireRebuildLock(file, { now: () => now })!;
    now = 5000;
    lock.heartbeat();
    expect(readLock(file)?.heartbeatAt).toBe(5000);
    writeLock({ token: 'thief' });
    lock.heartbeat();
    lock.release();
    expect(JSON.parse(readFileSync(file, 'utf8')).token).toBe('thief');
  });
});
