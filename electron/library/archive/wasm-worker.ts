// The engine's side of the WASM format worker: one worker thread per process, started on first use,
// running one request at a time (the WASM modules are single-threaded), each bounded in time. A request
// that overruns terminates the thread (the only way to stop a running WebAssembly call) and fails with
// 'timeout'; a thread whose WebAssembly heap grew past `maxHeapBytes` (heaps never shrink) is replaced
// after the request. The thread is unref'd while idle, so it never keeps a process alive.
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

let shared: WasmWorker | null = null;

/** The process's format worker. */
export function wasmWorker(): WasmWorker {
  shared ??= new WasmWorker();
  return shared;
}

/**
 * Stops the process's format worker, if it runs (the next request starts a new one). The rebuild worker
 * calls it when it idles after a rebuild (worker-entry.ts): the thread, 7-Zip's and PDFium's compiled
 * code and WebAssembly heaps (≈ 50–90 MB RSS) are not kept while no rebuild runs.
 */
export async function closeWasmWorker(): Promise<void> {
  const worker = shared;
  shared = null;
  await worker?.close();
}
