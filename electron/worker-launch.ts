// The pure half of the Electron worker launcher (worker-host.ts holds the utilityProcess call): which
// transport this runtime uses, the minimal environment the worker gets, and the adapter that turns a
// utilityProcess-like child into the WorkerHandle the LibraryService drives. No electron import, so
// it is unit-tested in plain Node.
import type { Logger } from './library/logger.js';
import { isWorkerMessage, type WorkerHandle, type WorkerMessage, type WorkerRequest } from './library/worker-protocol.js';

export type LauncherKind = 'utility-process' | 'child-process';

export interface RuntimeInfo {
  readonly versions: Readonly<Record<string, string | undefined>>;
  /** `process.type` in Electron: 'browser' in the main process; undefined in plain Node. */
  readonly type?: string;
}

/**
 * Electron's main process starts the worker with utilityProcess.fork (a Node environment without a
 * second copy of Electron's browser side). Anything else (plain Node: `longbox serve`, tests, Electron
 * run as Node) uses the service's default child_process.fork launcher.
 */
export function chooseLauncherKind(runtime: RuntimeInfo): LauncherKind {
  return runtime.versions.electron !== undefined && runtime.type === 'browser' ? 'utility-process' : 'child-process';
}

/** Variables the worker may inherit. Everything else (NODE_OPTIONS, ELECTRON_RUN_AS_NODE, tokens…) is dropped. */
const COMMON_KEYS = ['PATH', 'HOME', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'LC_ALL', 'LC_CTYPE'] as const;
/** Windows needs these for a process to start sockets, crypto and temp files at all. */
const WINDOWS_KEYS = ['SystemRoot', 'windir', 'USERPROFILE', 'APPDATA', 'LOCALAPPDATA', 'ComSpec', 'PATHEXT'] as const;

/**
 * The explicit environment for the rebuild worker (VS Code's removeDangerousEnvVariables, inverted
 * into an allow-list). Windows environment names are case-insensitive (`Path`), so they are matched
 * that way there.
 */
export function minimalEnv(source: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform): Record<string, string> {
  const keys: readonly string[] = platform === 'win32' ? [...COMMON_KEYS, ...WINDOWS_KEYS] : COMMON_KEYS;
  const env: Record<string, string> = {};
  if (platform === 'win32') {
    const byUpper = new Map<string, string>();
    for (const [name, value] of Object.entries(source)) {
      if (value !== undefined && !byUpper.has(name.toUpperCase())) byUpper.set(name.toUpperCase(), value);
    }
    for (const key of keys) {
      const value = byUpper.get(key.toUpperCase());
      if (value !== undefined) env[key] = value;
    }
    return env;
  }
  for (const key of keys) {
    const value = source[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

/** What worker-host.ts needs from Electron's UtilityProcess (and what the tests fake). */
export interface ReadableLike {
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
}
export interface UtilityChildLike {
  readonly pid: number | undefined;
  readonly stdout: ReadableLike | null;
  readonly stderr: ReadableLike | null;
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

/** Splits a byte stream into lines and hands each complete line to `emit` (the tail on flush()). */
export function createLineSplitter(emit: (line: string) => void): { push(chunk: Buffer | string): void; flush(): void } {
  let pending = '';
  const MAX_PENDING = 64 * 1024;
  return {
    push(chunk) {
      pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      let nl = pending.indexOf('\n');
      while (nl !== -1) {
        emit(pending.slice(0, nl).replace(/\r$/, ''));
        pending = pending.slice(nl + 1);
        nl = pending.indexOf('\n');
      }
      // A process that writes megabytes without a newline must not grow our memory without bound.
      if (pending.length > MAX_PENDING) {
        emit(pending);
        pending = '';
      }
    },
    flush() {
      if (pending.length > 0) emit(pending);
      pending = '';
    },
  };
}

/**
 * Wraps a utilityProcess child into a WorkerHandle: typed messages in and out, one exit notification
 * (also delivered to listeners registered after the exit), stdout/stderr into the log as
 * `[engine pid=N] line`.
 */
export function adaptWorkerChild(child: UtilityChildLike, logger: Logger): WorkerHandle {
  const messageListeners: Array<(message: WorkerMessage) => void> = [];
  const exitListeners: Array<(code: number | null, signal: string | null) => void> = [];
  let exited: { code: number | null } | null = null;
  const prefix = () => `[engine pid=${child.pid ?? '?'}]`;

  const out = createLineSplitter((line) => logger.info(`${prefix()} ${line}`));
  const err = createLineSplitter((line) => logger.warn(`${prefix()} ${line}`));
  child.stdout?.on('data', (chunk) => out.push(chunk));
  child.stderr?.on('data', (chunk) => err.push(chunk));

  child.on('message', (message: unknown) => {
    if (!isWorkerMessage(message)) {
      logger.warn(`${prefix()} ignored a message that is not a WorkerMessage`);
      return;
    }
    for (const listener of [...messageListeners]) listener(message);
  });
  child.on('exit', (code: number) => {
    if (exited) return;
    out.flush();
    err.flush();
    exited = { code };
    if (code !== 0) logger.warn(`${prefix()} exited with code ${code}`);
    for (const listener of exitListeners.splice(0)) listener(code, null);
  });

  return {
    get pid() {
      return child.pid;
    },
    send(request: WorkerRequest) {
      if (exited) {
        logger.warn(`${prefix()} dropped '${request.type}': the worker has exited`);
        return;
      }
      try {
        child.postMessage(request);
      } catch (error) {
        logger.warn(`${prefix()} could not send '${request.type}': ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    onMessage(listener) {
      messageListeners.push(listener);
    },
    onExit(listener) {
      if (exited) {
        const { code } = exited;
        queueMicrotask(() => listener(code, null));
        return;
      }
      exitListeners.push(listener);
    },
    kill() {
      if (!exited) child.kill();
    },
  };
}
