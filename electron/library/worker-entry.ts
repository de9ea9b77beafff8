// The rebuild worker's entry point. Started once by the LibraryService and kept between rebuilds:
// by Electron's utilityProcess.fork (messages on process.parentPort) in the app, by
// child_process.fork (process.send / 'message') in the headless host and in tests.
import { dirname } from 'node:path';
import { LongboxError, toSerializedError } from '../../shared/errors.js';
import { closeWasmWorker } from './archive/wasm-worker.js';
import { runRebuild } from './rebuild-job.js';
import { lowerThreadsOf, ownTargetPriority } from './worker-priority.js';
import { applyWorkerHeapSettings, HEAP_LIMIT_MIN_FILES, releaseWorkerHeapSettings } from './worker-memory.js';
import { isWorkerRequest, type WorkerMessage, type WorkerRequest } from './worker-protocol.js';

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;

function post(message: WorkerMessage): void {
  if (parentPort) parentPort.postMessage(message);
  else if (process.send) process.send(message);
}

function log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
  post({ type: 'log', level, message });
}

/** SQLite's own words are not for users: say what happened and what to do. */
function explain(err: unknown, dbPath: string): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new LongboxError('INTERNAL', `The disk holding ${dirname(dbPath)} is full: free some space and press Refresh. Showing the last known library.`);
  }
  return err;
}

let current: { jobId: string; controller: AbortController } | null = null;

/** The WASM format worker (7z, PDF) is stopped when no rebuild started for this long. */
const FORMAT_WORKER_IDLE_MS = 30_000;
let formatWorkerIdle: NodeJS.Timeout | undefined;

async function start(request: Extract<WorkerRequest, { type: 'start' }>): Promise<void> {
  if (current) {
    post({ type: 'failed', jobId: request.jobId, error: { code: 'INTERNAL', message: 'A rebuild is already running in this worker.' } });
    return;
  }
  clearTimeout(formatWorkerIdle);
  const controller = new AbortController();
  current = { jobId: request.jobId, controller };
  let heapLimited = false;
  let heapChecked = false;
  try {
    const result = await runRebuild({
      root: request.root,
      dbPath: request.dbPath,
      options: request.options,
      signal: controller.signal,
      onProgress: (phase, done, total) => {
        // The old generation stays near its live size while rows are read and written (worker-memory.ts).
        // Only for a pass that reads many files (its first progress says how many are left to read): a
        // rescan of a few files makes little garbage and should not pay the extra full GCs.
        if (phase === 'enriching' && !heapLimited && !heapChecked) {
          heapChecked = true;
          if (total - done >= HEAP_LIMIT_MIN_FILES) heapLimited = applyWorkerHeapSettings() > 0;
        }
        post({ type: 'progress', jobId: request.jobId, phase, done, total });
      },
      onSkippedFolder: (path, reason) => log('warn', `could not list folder ${path} (${reason}); its comics are kept as they were`),
    });
    log('info', `rebuild ${request.jobId}: generation ${result.generation}, ${result.fileCount} files in ${result.durationMs} ms (${JSON.stringify(result.stats)})`);
    post({ type: 'done', jobId: request.jobId, ...result });
  } catch (err) {
    post({ type: 'failed', jobId: request.jobId, error: toSerializedError(explain(err, request.dbPath)) });
  } finally {
    current = null;
    if (heapLimited) releaseWorkerHeapSettings();
    // Nothing of a rebuild's CB7/PDF reading is kept while the worker idles between rebuilds; a rescan
    // soon after (a watcher burst) reuses the format worker instead of starting and compiling it again.
    clearTimeout(formatWorkerIdle);
    formatWorkerIdle = setTimeout(() => void closeWasmWorker().catch(() => undefined), FORMAT_WORKER_IDLE_MS);
    formatWorkerIdle.unref();
  }
}

function onRequest(raw: unknown): void {
  if (!isWorkerRequest(raw)) {
    log('warn', `ignored a message that is not a worker request: ${JSON.stringify(raw)?.slice(0, 200)}`);
    return;
  }
  switch (raw.type) {
    case 'start':
      void start(raw);
      return;
    case 'cancel':
      if (current?.jobId === raw.jobId) current.controller.abort();
      return;
    case 'shutdown':
      current?.controller.abort();
      // Give a running job a moment to drop its half-written tables and close the database.
      setTimeout(() => process.exit(0), current ? 200 : 0);
      return;
  }
}

process.on('uncaughtException', (err) => {
  log('error', `worker uncaught exception: ${err.stack ?? err.message}`);
  process.exit(70);
});

if (parentPort) {
  parentPort.on('message', (event) => onRequest(event.data));
} else if (process.send) {
  process.on('message', onRequest);
  // The host is gone (crashed or killed): never outlive it.
  process.on('disconnect', () => process.exit(0));
} else {
  console.error('worker-entry must be started by the LibraryService (utilityProcess or child_process.fork).');
  process.exit(64);
}
// Every thread below the host (the host lowered the main thread; on Linux the others keep theirs).
const priority = ownTargetPriority();
if (priority !== null) {
  const problems = lowerThreadsOf(process.pid, priority);
  if (problems.length > 0) log('warn', `could not lower the priority of every worker thread: ${problems.join('; ')}`);
}
post({ type: 'ready', pid: process.pid });
