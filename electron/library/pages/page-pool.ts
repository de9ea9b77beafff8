// Where page reads run: a few worker threads (default 2 on this 2-core target, see bench/README.md),
// each with its own open-archive cache; a comic always goes to the same worker (by its path), so its
// archive stays open there between page turns. If worker threads cannot start (an odd packaging, a
// sandbox), reads run in this thread instead, logged once.
import { Worker } from 'node:worker_threads';
import os from 'node:os';
import { startEntryThread } from '../entry-thread.js';
import { silentLogger, type Logger } from '../logger.js';
import { PageReader, type PageEntries, type PageReaderOptions } from './page-reader.js';
import { deserializeFailure, type PageWorkerRequest, type PageWorkerResponse } from './page-protocol.js';

export interface PageBackend {
  list(file: string, key: string): Promise<PageEntries>;
  read(file: string, key: string, name: string, maxBytes: number): Promise<Buffer>;
  /** 'workers' or 'in-thread' (after a fallback, or when asked for 0 workers). */
  readonly mode: 'workers' | 'in-thread';
  close(): Promise<void>;
}

export interface PageBackendOptions extends PageReaderOptions {
  /** Worker threads (default min(2, cores)); 0 reads in the calling thread. */
  workers?: number;
  logger?: Logger;
  /** Another worker script (tests of the fallback). */
  workerScript?: URL;
}

type RequestBody = PageWorkerRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

/** A request lost because its worker died (not an answer about the comic). */
class WorkerStopped extends Error {}

interface Pending {
  resolve: (response: PageWorkerResponse) => void;
  reject: (error: Error) => void;
}

class PageWorker {
  #worker: Worker | null = null;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  constructor(
    private readonly options: PageReaderOptions,
    private readonly onFailure: (error: Error) => void,
    private readonly scriptOverride?: URL,
  ) {}

  #start(): Worker {
    const worker = this.scriptOverride
      ? new Worker(this.scriptOverride, { workerData: this.options })
      : startEntryThread(import.meta.url, 'page-worker', { workerData: this.options });
    worker.on('message', (response: PageWorkerResponse) => {
      const pending = this.#pending.get(response.id);
      if (!pending) return;
      this.#pending.delete(response.id);
      if (this.#pending.size === 0) worker.unref();
      pending.resolve(response);
    });
    worker.on('error', (error) => this.onFailure(error));
    worker.on('exit', (code) => {
      if (this.#worker === worker) this.#worker = null;
      // Whatever was asked of a worker that died fails (the next request starts a new one).
      const error = new WorkerStopped(`the page worker stopped (exit code ${code})`);
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    });
    worker.unref();
    return worker;
  }

  request(request: RequestBody): Promise<PageWorkerResponse> {
    this.#worker ??= this.#start();
    const worker = this.#worker;
    const id = this.#nextId++;
    return new Promise<PageWorkerResponse>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.ref(); // a pending answer keeps the process alive
      worker.postMessage({ ...request, id } as PageWorkerRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    if (worker) await worker.terminate();
  }
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function unwrap(response: PageWorkerResponse): PageWorkerResponse & { ok: true } {
  if (!response.ok) throw deserializeFailure(response.failure);
  return response;
}

export function createPageBackend(options: PageBackendOptions = {}): PageBackend {
  const logger = options.logger ?? silentLogger;
  const readerOptions: PageReaderOptions = {
    ...(options.maxOpen === undefined ? {} : { maxOpen: options.maxOpen }),
    ...(options.solidCacheBytes === undefined ? {} : { solidCacheBytes: options.solidCacheBytes }),
  };
  const count = Math.max(0, Math.floor(options.workers ?? Math.min(2, os.availableParallelism())));
  let local: PageReader | null = count === 0 ? new PageReader(readerOptions) : null;
  let fellBack = false;
  const fallBack = (error: Error): void => {
    if (fellBack) return;
    fellBack = true;
    logger.warn(`pages: worker threads failed (${error.message}); reading pages in the main thread`);
    local ??= new PageReader(readerOptions);
  };
  const workers = Array.from({ length: count }, () => new PageWorker(readerOptions, fallBack, options.workerScript));
  const pick = (file: string) => workers[hash(file) % workers.length];

  async function viaWorker(file: string, request: RequestBody): Promise<PageWorkerResponse & { ok: true }> {
    return unwrap(await pick(file).request(request));
  }

  /** Through a worker; if the workers could not run at all, again in this thread (the fallback). */
  async function run<T>(viaThread: () => Promise<T>, viaPool: () => Promise<T>): Promise<T> {
    if (local) return viaThread();
    try {
      return await viaPool();
    } catch (error) {
      if (error instanceof WorkerStopped && local) return viaThread();
      throw error;
    }
  }

  return {
    get mode() {
      return local !== null ? 'in-thread' : 'workers';
    },
    list(file, key) {
      return run(
        () => local!.list(file, key),
        async () => {
          const response = await viaWorker(file, { op: 'list', file, key });
          if (!('list' in response)) throw new Error('page worker: malformed list answer');
          return response.list;
        },
      );
    },
    read(file, key, name, maxBytes) {
      return run(
        () => local!.read(file, key, name, maxBytes),
        async () => {
          const response = await viaWorker(file, { op: 'read', file, key, name, maxBytes });
          if (!('data' in response)) throw new Error('page worker: malformed read answer');
          return Buffer.from(response.data.buffer, response.data.byteOffset, response.data.byteLength);
        },
      );
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      await local?.close();
    },
  };
}
