// The engine's side of the WASM format workers: a small pool per process (one thread on a machine with
// fewer than 4 cores, `LONGBOX_FORMAT_THREADS` to choose), each thread started on first use and
// running one request at a time (the WASM modules are single-threaded), each bounded in time. A request
// that overruns terminates the thread (the only way to stop a running WebAssembly call) and fails with
// 'timeout'; a thread whose WebAssembly heap grew past `maxHeapBytes` (heaps never shrink) is replaced
// after the request. The thread is unref'd while idle, so it never keeps a process alive.
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { onThreadEnd, startEntryThread } from '../entry-thread.js';
import type { WasmReply, WasmRequest, WasmResults } from './wasm-protocol.js';
import { ArchiveError } from './types.js';

export interface WasmWorkerOptions {
  /** Per-request limit (default 30 s, the rebuild's per-file limit). */
  timeoutMs: number;
  /** Replace the thread after a request that left its WASM heaps above this (default 512 MiB). */
  maxHeapBytes: number;
}

const DEFAULTS: WasmWorkerOptions = { timeoutMs: 30_000, maxHeapBytes: 512 * 1024 * 1024 };

interface Pending {
  id: number;
  request: WasmRequest;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class WasmWorker {
  readonly #options: WasmWorkerOptions;
  #worker: Worker | null = null;
  #queue: Pending[] = [];
  #running: Pending | null = null;
  #timer: NodeJS.Timeout | undefined;
  #nextId = 1;

  constructor(options: Partial<WasmWorkerOptions> = {}) {
    this.#options = { ...DEFAULTS, ...options };
  }

  /** Requests queued or running on this thread. */
  get load(): number {
    return this.#queue.length + (this.#running ? 1 : 0);
  }

  run<K extends WasmRequest['op']>(request: Extract<WasmRequest, { op: K }>): Promise<WasmResults[K]> {
    return new Promise<WasmResults[K]>((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, request, resolve: resolve as (value: unknown) => void, reject });
      this.#pump();
    });
  }

  /** Stops the thread; queued requests fail. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    for (const pending of this.#queue.splice(0)) pending.reject(new ArchiveError('unreadable', 'The format worker was closed.'));
    if (this.#running) this.#running.reject(new ArchiveError('unreadable', 'The format worker was closed.'));
    this.#running = null;
    clearTimeout(this.#timer);
    if (worker) await worker.terminate();
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = startEntryThread(import.meta.url, 'wasm-worker-entry');
    worker.on('message', (reply: WasmReply) => this.#onReply(worker, reply));
    onThreadEnd(worker, (why) => this.#onDeath(worker, why));
    this.#worker = worker;
    return worker;
  }

  #pump(): void {
    if (this.#running || this.#queue.length === 0) {
      if (!this.#running) this.#worker?.unref();
      return;
    }
    const pending = this.#queue.shift()!;
    this.#running = pending;
    const worker = this.#ensureWorker();
    worker.ref();
    this.#timer = setTimeout(() => {
      if (this.#running !== pending) return;
      this.#running = null;
      this.#discard(worker);
      pending.reject(new ArchiveError('timeout', `Reading this file took longer than ${Math.round(this.#options.timeoutMs / 1000)} s.`));
      this.#pump();
    }, this.#options.timeoutMs);
    worker.postMessage({ id: pending.id, request: pending.request });
  }

  #onReply(worker: Worker, reply: WasmReply): void {
    const pending = this.#running;
    if (worker !== this.#worker || !pending || pending.id !== reply.id) return;
    clearTimeout(this.#timer);
    this.#running = null;
    if (reply.heapBytes > this.#options.maxHeapBytes) this.#discard(worker);
    if (reply.ok) pending.resolve(reply.result);
    else pending.reject(new ArchiveError('corrupt', reply.message));
    this.#pump();
  }

  #onDeath(worker: Worker, why: string): void {
    if (worker !== this.#worker) return;
    this.#worker = null;
    clearTimeout(this.#timer);
    const pending = this.#running;
    this.#running = null;
    // Out of memory in the thread is about this file (a bomb, a giant page), not the process.
    pending?.reject(new ArchiveError('too-large', `Reading this file stopped the format worker (${why}).`));
    this.#pump();
  }

  #discard(worker: Worker): void {
    if (this.#worker === worker) this.#worker = null;
    void worker.terminate();
  }
}

/** `LONGBOX_FORMAT_THREADS` sets the pool's size (1–8). */
export const FORMAT_THREADS_ENV = 'LONGBOX_FORMAT_THREADS';

/**
 * Format threads for this machine: one below 4 cores (on 2 cores the rebuild worker's own thread needs the
 * other core, and each thread holds ≈ 50–90 MB of compiled 7-Zip/PDFium and heaps), else a quarter of the
 * cores, at most 4: a library with thousands of CB7/PDF files is bound by this serial work otherwise.
 */
export function defaultFormatThreads(env: Readonly<Record<string, string | undefined>> = process.env, cores: number = os.availableParallelism()): number {
  const asked = Number(env[FORMAT_THREADS_ENV]);
  if (Number.isInteger(asked) && asked >= 1) return Math.min(8, asked);
  return cores < 4 ? 1 : Math.min(4, Math.floor(cores / 4));
}

/** Format threads side by side: each request goes to the thread with the fewest queued. */
export class WasmWorkerPool {
  readonly #workers: WasmWorker[];

  constructor(size: number, options: Partial<WasmWorkerOptions> = {}) {
    this.#workers = Array.from({ length: Math.max(1, Math.floor(size)) }, () => new WasmWorker(options));
  }

  /** Requests queued or running, per thread. */
  get loads(): number[] {
    return this.#workers.map((w) => w.load);
  }

  run<K extends WasmRequest['op']>(request: Extract<WasmRequest, { op: K }>): Promise<WasmResults[K]> {
    let least = this.#workers[0]!;
    for (const worker of this.#workers) if (worker.load < least.load) least = worker;
    return least.run(request);
  }

  /** Stops every thread; queued requests fail. */
  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.close()));
  }
}

let shared: WasmWorkerPool | null = null;

/** The process's format workers. */
export function wasmWorker(): WasmWorkerPool {
  shared ??= new WasmWorkerPool(defaultFormatThreads());
  return shared;
}

/**
 * Stops the process's format workers, if they run (the next request starts new ones). The rebuild worker
 * calls it when it idles after a rebuild (worker-entry.ts): the threads, 7-Zip's and PDFium's compiled
 * code and WebAssembly heaps (≈ 50–90 MB RSS each) are not kept while no rebuild runs.
 */
export async function closeWasmWorker(): Promise<void> {
  const pool = shared;
  shared = null;
  await pool?.close();
}
