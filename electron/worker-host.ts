// The Electron transport for the rebuild worker: utilityProcess.fork of the worker entry. The worker
// entry listens on process.parentPort here and on process (child_process IPC) under plain Node, with
// the same messages (electron/library/worker-protocol.ts).
import { utilityProcess } from 'electron';
import type { Logger } from './library/logger.js';
import type { WorkerLauncher } from './library/worker-protocol.js';
import { adaptWorkerChild, chooseLauncherKind, workerEnv } from './worker-launch.js';

export const WORKER_SERVICE_NAME = 'library-engine';

export function createUtilityLauncher(workerEntryPath: string, logger: Logger): WorkerLauncher {
  return () => {
    const child = utilityProcess.fork(workerEntryPath, [], {
      serviceName: WORKER_SERVICE_NAME,
      stdio: 'pipe',
      env: workerEnv(),
    });
    return adaptWorkerChild(child, logger);
  };
}

/** utilityProcess in Electron's main process; undefined (= the service's child_process.fork) elsewhere. */
export function launcherForThisRuntime(workerEntryPath: string, logger: Logger): WorkerLauncher | undefined {
  return chooseLauncherKind(process) === 'utility-process' ? createUtilityLauncher(workerEntryPath, logger) : undefined;
}
