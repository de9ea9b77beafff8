// How the engine starts its worker threads (enrichment, reads, pages, the WASM formats): each entry
// module sits next to the module that starts it, `.js` when built (tsc, one file per source file) and
// `.ts` when run from source (tests, the bench's in-process runs, tsx). From source the thread must
// register tsx itself first: Node ignores `--import` in a worker's execArgv.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { messageOf } from '../../shared/errors.js';

/**
 * Starts the thread whose entry module is `entry` (its name without extension) in the folder of the
 * module at `from` (the caller's `import.meta.url`).
 */
export function startEntryThread(from: string, entry: string, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const self = fileURLToPath(from);
  if (!self.endsWith('.ts')) return new Worker(new URL(`./${entry}.js`, from), options);
  const source = pathToFileURL(path.join(path.dirname(self), `${entry}.ts`)).href;
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { ...options, eval: true });
}

/** Calls `end` with a reason when the thread fails (an uncaught exception: 'error') or exits. */
export function onThreadEnd(worker: Worker, end: (why: string) => void): void {
  worker.on('error', (error) => end(messageOf(error)));
  worker.on('exit', (code) => end(`exited with code ${code}`));
}
