import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { Logger } from './library/logger.js';
import type { WorkerMessage } from './library/worker-protocol.js';
import { adaptWorkerChild, chooseLauncherKind, createLineSplitter, minimalEnv, type UtilityChildLike } from './worker-launch.js';

describe('chooseLauncherKind', () => {
  it('utilityProcess only in Electron main; child_process.fork everywhere else', () => {
    expect(chooseLauncherKind({ versions: { node: '24.0.0', electron: '41.10.7' }, type: 'browser' })).toBe('utility-process');
    expect(chooseLauncherKind({ versions: { node: '20.19.0' } })).toBe('child-process');
    // ELECTRON_RUN_AS_NODE: Electron's binary acting as Node has no process.type.
    expect(chooseLauncherKind({ versions: { node: '24.0.0', electron: '41.10.7' } })).toBe('child-process');
    // A utility process itself (type 'utility') must not fork utility processes.
    expect(chooseLauncherKind({ versions: { node: '24.0.0', electron: '41.10.7' }, type: 'utility' })).toBe('child-process');
    expect(chooseLauncherKind(process)).toBe('child-process');
  });
});

describe('minimalEnv', () => {
  const source = {
    PATH: '/usr/bin:/bin',
    HOME: '/home/reader',
    TMPDIR: '/tmp/r',
    LANG: 'en_GB.UTF-8',
    LC_ALL: 'en_GB.UTF-8',
    NODE_OPTIONS: '--require /tmp/evil.js',
    ELECTRON_RUN_AS_NODE: '1',
    NODE_PATH: '/tmp/mods',
    LONGBOX_TOKEN: 'secret',
    AWS_SECRET_ACCESS_KEY: 'secret',
    LD_PRELOAD: '/tmp/evil.so',
    DISPLAY: ':0',
  };

  it('keeps PATH, HOME, temp dirs and locale only', () => {
    expect(minimalEnv(source, 'linux')).toEqual({ PATH: '/usr/bin:/bin', HOME: '/home/reader', TMPDIR: '/tmp/r', LANG: 'en_GB.UTF-8', LC_ALL: 'en_GB.UTF-8' });
    expect(minimalEnv(source, 'darwin')).not.toHaveProperty('NODE_OPTIONS');
  });

  it('on Windows matches names case-insensitively and keeps what a process needs to start', () => {
    const env = minimalEnv(
      { Path: 'C:\\Windows', SystemRoot: 'C:\\Windows', TEMP: 'C:\\Temp', USERPROFILE: 'C:\\Users\\r', node_options: '--inspect', ELECTRON_RUN_AS_NODE: '1' },
      'win32',
    );
    expect(env).toEqual({ PATH: 'C:\\Windows', SystemRoot: 'C:\\Windows', TEMP: 'C:\\Temp', USERPROFILE: 'C:\\Users\\r' });
  });
});

describe('createLineSplitter', () => {
  it('emits whole lines across chunks, strips CR, flushes the tail', () => {
    const lines: string[] = [];
    const split = createLineSplitter((line) => lines.push(line));
    split.push('one\r\ntw');
    split.push(Buffer.from('o\nthree'));
    expect(lines).toEqual(['one', 'two']);
    split.flush();
    expect(lines).toEqual(['one', 'two', 'three']);
  });

  it('does not buffer without bound', () => {
    const lines: string[] = [];
    const split = createLineSplitter((line) => lines.push(line));
    split.push('x'.repeat(200_000));
    expect(lines.length).toBe(1);
  });
});

class FakeChild extends EventEmitter implements UtilityChildLike {
  pid: number | undefined = 4321;
  readonly stdout = new EventEmitter();
  readonly stderr = new EventEmitter();
  readonly posted: unknown[] = [];
  killed = 0;
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  kill(): boolean {
    this.killed += 1;
    return true;
  }
}

function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (message: string) => lines.push(`${level} ${message}`);
  return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

describe('adaptWorkerChild', () => {
  it('sends requests with postMessage and delivers only WorkerMessages', () => {
    const child = new FakeChild();
    const log = memoryLogger();
    const handle = adaptWorkerChild(child, log);
    expect(handle.pid).toBe(4321);
    handle.send({ type: 'shutdown' });
    expect(child.posted).toEqual([{ type: 'shutdown' }]);
    const got: WorkerMessage[] = [];
    handle.onMessage((message) => got.push(message));
    child.emit('message', { type: 'ready', pid: 4321 });
    child.emit('message', { type: 'nonsense' });
    child.emit('message', 'text');
    expect(got).toEqual([{ type: 'ready', pid: 4321 }]);
    expect(log.lines.some((line) => line.startsWith('warn [engine pid=4321] ignored'))).toBe(true);
  });

  it('pipes stdout and stderr into the log with the engine prefix', () => {
    const child = new FakeChild();
    const log = memoryLogger();
    adaptWorkerChild(child, log);
    child.stdout.emit('data', Buffer.from('scanning 10 files\npartial'));
    child.stderr.emit('data', 'native crash here\n');
    expect(log.lines).toContain('info [engine pid=4321] scanning 10 files');
    expect(log.lines).toContain('warn [engine pid=4321] native crash here');
    child.emit('exit', 0);
    expect(log.lines).toContain('info [engine pid=4321] partial');
  });

  it('reports exit once, also to late listeners, and stops sending and killing after it', async () => {
    const child = new FakeChild();
    const handle = adaptWorkerChild(child, memoryLogger());
    const early = vi.fn();
    handle.onExit(early);
    child.emit('exit', 3);
    child.emit('exit', 3);
    expect(early).toHaveBeenCalledTimes(1);
    expect(early).toHaveBeenCalledWith(3, null);
    const late = vi.fn();
    handle.onExit(late);
    await Promise.resolve();
    expect(late).toHaveBeenCalledWith(3, null);
    handle.send({ type: 'shutdown' });
    expect(child.posted).toEqual([]);
    handle.kill();
    expect(child.killed).toBe(0);
  });

  it('kill() before exit kills the child; a throwing postMessage is logged, not thrown', () => {
    const child = new FakeChild();
    const log = memoryLogger();
    const handle = adaptWorkerChild(child, log);
    handle.kill();
    expect(child.killed).toBe(1);
    child.postMessage = () => {
      throw new Error('channel closed');
    };
    expect(() => handle.send({ type: 'cancel', jobId: 'j1' })).not.toThrow();
    expect(log.lines.some((line) => line.includes("could not send 'cancel': channel closed"))).toBe(true);
  });
});
