// The headless host's (and the tests') way to start the rebuild worker: child_process.fork. Electron
// uses utilityProcess.fork instead (electron/worker-host.ts); both speak worker-protocol.ts.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isWorkerMessage, type WorkerHandle, type WorkerLauncher, type WorkerMessage } from './worker-protocol.js';

/** The worker entry next to this module: .js when built, .ts when run from source (tests, tsx). */
export function workerEntryPath(): { path: string; fromSource: boolean } {
  const self = fileURLToPath(import.meta.url);
  const fromSource = self.endsWith('.ts');
  return { path: self.replace(/node-launcher\.(ts|js)$/, `worker-entry.${fromSource ? 'ts' : 'js'}`), fromSource };
}

export function createNodeLauncher(options: { execArgv?: string[]; env?: NodeJS.ProcessEnv } = {}): WorkerLauncher {
  return () => {
    const entry = workerEntryPath();
    const child = fork(entry.path, [], {
      execArgv: [...(entry.fromSource ? ['--import', 'tsx'] : []), ...(options.execArgv ?? [])],
      // 16 reads in flight (docs/architecture.md §8) need more than libuv's default 4 threads on a cold disk.
      env: { UV_THREADPOOL_SIZE: '16', ...(options.env ?? process.env) },
      // The worker's stdout goes to our stderr: the host's stdout is reserved for its one "serving at" line.
      stdio: ['ignore', process.stderr, 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    // A spawn failure or a send to a process that just died surfaces here; 'exit' does the cleanup.
    child.on('error', () => {});
    const handle: WorkerHandle = {
      get pid() {
        return child.pid;
      },
      send(request) {
        if (child.connected) child.send(request);
      },
      onMessage(listener: (message: WorkerMessage) => void) {
        child.on('message', (message: unknown) => {
          if (isWorkerMessage(message)) listener(message);
        });
      },
      onExit(listener) {
        child.once('exit', (code, signal) => listener(code, signal));
      },
      kill() {
        child.kill('SIGKILL');
      },
    };
    return handle;
  };
}
