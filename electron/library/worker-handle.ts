// One adapter from a running worker process to the WorkerHandle the rebuild scheduler drives, and one
// environment policy for that process. Both transports use it: child_process.fork (node-launcher.ts:
// the headless host, tests) and Electron's utilityProcess.fork (electron/worker-launch.ts).
import { FORMAT_THREADS_ENV } from './archive/wasm-worker.js';
import type { Logger } from './logger.js';
import { isWorkerMessage, type WorkerHandle, type WorkerMessage, type WorkerRequest } from './worker-protocol.js';
import { messageOf } from '../../shared/errors.js';
import { WORKER_THREAD_PRIORITY_ENV, workerPriorityFor } from './worker-priority.js';
import { CACHE_KIB_ENV, HEAP_GROWING_ENV, MALLOC_ARENAS_ENV, WORKER_MALLOC_ARENAS } from './worker-memory.js';

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

/** The worker's whole environment, whichever transport starts it. */
export function workerEnv(source: Readonly<Record<string, string | undefined>> = process.env, platform: NodeJS.Platform = process.platform): Record<string, string> {
  // 16 reads in flight (docs/architecture.md §8) need more than libuv's default 4 threads on a cold disk.
  const env: Record<string, string> = { ...minimalEnv(source, platform), UV_THREADPOOL_SIZE: '16' };
  // The worker lowers its own threads to this (worker-priority.ts); the host lowers the process too.
  const priority = workerPriorityFor(source);
  if (priority !== null) env[WORKER_THREAD_PRIORITY_ENV] = String(priority);
  // The worker's memory settings and its format-thread count, when the host's environment sets them.
  for (const key of [HEAP_GROWING_ENV, CACHE_KIB_ENV, FORMAT_THREADS_ENV]) if (source[key] !== undefined) env[key] = source[key];
  // Few malloc arenas (worker-memory.ts): the freed native memory of its many threads is not kept per thread.
  if (platform === 'linux') env[MALLOC_ARENAS_ENV] = source[MALLOC_ARENAS_ENV] ?? String(WORKER_MALLOC_ARENAS);
  return env;
}

export interface ReadableLike {
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
}

/** What the adapter needs from a started process; each transport maps its child onto this. */
export interface WorkerProcessPort {
  readonly pid: number | undefined;
  /** Piped output to log line by line; null when the transport passes it through itself. */
  readonly stdout: ReadableLike | null;
  readonly stderr: ReadableLike | null;
  /** May throw (channel closed); the adapter logs it. */
  post(message: WorkerRequest): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
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
 * Wraps a worker process into a WorkerHandle: typed messages in and out, one exit notification (also
 * delivered to listeners registered after the exit), piped stdout/stderr into the log as
 * `[engine pid=N] line`.
 */
export function adaptWorkerProcess(port: WorkerProcessPort, logger: Logger): WorkerHandle {
  const messageListeners: Array<(message: WorkerMessage) => void> = [];
  const exitListeners: Array<(code: number | null, signal: string | null) => void> = [];
  let exited: { code: number | null; signal: string | null } | null = null;
  const prefix = () => `[engine pid=${port.pid ?? '?'}]`;

  const out = createLineSplitter((line) => logger.info(`${prefix()} ${line}`));
  const err = createLineSplitter((line) => logger.warn(`${prefix()} ${line}`));
  port.stdout?.on('data', (chunk) => out.push(chunk));
  port.stderr?.on('data', (chunk) => err.push(chunk));

  port.onMessage((message: unknown) => {
    if (!isWorkerMessage(message)) {
      logger.warn(`${prefix()} ignored a message that is not a WorkerMessage`);
      return;
    }
    for (const listener of [...messageListeners]) listener(message);
  });
  port.onExit((code, signal) => {
    if (exited) return;
    out.flush();
    err.flush();
    exited = { code, signal };
    if (code !== 0) logger.warn(`${prefix()} exited with ${signal ? `signal ${signal}` : `code ${code}`}`);
    for (const listener of exitListeners.splice(0)) listener(code, signal);
  });

  return {
    get pid() {
      return port.pid;
    },
    send(request: WorkerRequest) {
      if (exited) {
        logger.warn(`${prefix()} dropped '${request.type}': the worker has exited`);
        return;
      }
      try {
        port.post(request);
      } catch (error) {
        logger.warn(`${prefix()} could not send '${request.type}': ${messageOf(error)}`);
      }
    },
    onMessage(listener) {
      messageListeners.push(listener);
    },
    onExit(listener) {
      if (exited) {
        const { code, signal } = exited;
        queueMicrotask(() => listener(code, signal));
        return;
      }
      exitListeners.push(listener);
    },
    kill() {
      if (!exited) port.kill();
    },
  };
}
