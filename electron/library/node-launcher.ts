// The headless host's (and the tests') way to start the rebuild worker: child_process.fork. Electron
// uses utilityProcess.fork instead (electron/worker-host.ts); both go through the one adapter and
// environment policy in worker-handle.ts and speak worker-protocol.ts.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { silentLogger, type Logger } from './logger.js';
import { adaptWorkerProcess, workerEnv } from './worker-handle.js';
import { lowerWorkerPriority } from './worker-priority.js';
import type { WorkerLauncher } from './worker-protocol.js';

/** The worker entry next to this module: .js when built, .ts when run from source (tests, tsx). */
export function workerEntryPath(): { path: string; fromSource: boolean } {
  const self = fileURLToPath(import.meta.url);
  const fromSource = self.endsWith('.ts');
  return { path: self.replace(/node-launcher\.(ts|js)$/, `worker-entry.${fromSource ? 'ts' : 'js'}`), fromSource };
}

export function createNodeLauncher(options: { execArgv?: string[]; env?: NodeJS.ProcessEnv; logger?: Logger } = {}): WorkerLauncher {
  return () => {
    const entry = workerEntryPath();
    const child = fork(entry.path, [], {
      execArgv: [...(entry.fromSource ? ['--import', 'tsx'] : []), ...(options.execArgv ?? [])],
      env: options.env ? { UV_THREADPOOL_SIZE: '16', ...options.env } : workerEnv(),
      // The worker's stdout goes to our stderr: the host's stdout is reserved for its one "serving at" line.
      stdio: ['ignore', process.stderr, 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    // A spawn failure or a send to a process that just died surfaces here; 'exit' does the cleanup.
    child.on('error', () => {});
    // Below the host from its first instruction on (worker-priority.ts); the pid exists once fork returns.
    lowerWorkerPriority(child.pid, options.logger ?? silentLogger, options.env ?? process.env);
    return adaptWorkerProcess(
      {
        get pid() {
          return child.pid;
        },
        stdout: null,
        stderr: null,
        post(request) {
          if (child.connected) child.send(request);
        },
        onMessage: (listener) => child.on('message', listener),
        onExit: (listener) => child.once('exit', (code, signal) => listener(code, signal)),
        kill: () => child.kill('SIGKILL'),
      },
      options.logger ?? silentLogger,
    );
  };
}
