// The pure half of the Electron worker launcher (worker-host.ts holds the utilityProcess call): which
// transport this runtime uses, and the mapping of a utilityProcess-like child onto the one worker
// adapter (library/worker-handle.ts, also used by child_process.fork). No electron import, so
// it is unit-tested in plain Node.
import type { Logger } from './library/logger.js';
import { adaptWorkerProcess, type ReadableLike } from './library/worker-handle.js';
import { lowerWorkerPriority } from './library/worker-priority.js';
import type { WorkerHandle } from './library/worker-protocol.js';

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

export { createLineSplitter, minimalEnv, workerEnv, type ReadableLike } from './library/worker-handle.js';

/** What worker-host.ts needs from Electron's UtilityProcess (and what the tests fake). */
export interface UtilityChildLike {
  readonly pid: number | undefined;
  readonly stdout: ReadableLike | null;
  readonly stderr: ReadableLike | null;
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  once(event: 'spawn', listener: () => void): unknown;
  kill(): boolean;
}

/** A utilityProcess child as a WorkerHandle (see adaptWorkerProcess for what the handle guarantees). */
export function adaptWorkerChild(child: UtilityChildLike, logger: Logger): WorkerHandle {
  // utilityProcess has a pid only from 'spawn' on: lower the worker below the main process there.
  child.once('spawn', () => {
    logger.info(`[engine pid=${child.pid ?? '?'}] started`);
    lowerWorkerPriority(child.pid, logger);
  });
  return adaptWorkerProcess(
    {
      get pid() {
        return child.pid;
      },
      stdout: child.stdout,
      stderr: child.stderr,
      post: (request) => child.postMessage(request),
      onMessage: (listener) => child.on('message', listener),
      // utilityProcess reports no signal: a crash is a non-zero code.
      onExit: (listener) => child.on('exit', (code: number) => listener(code, null)),
      kill: () => child.kill(),
    },
    logger,
  );
}
