// Reads off the host's event loop: a few reader threads (worker_threads, each with its own read-only
// connection to library.db, WAL) answer the LibraryService's reads by message, so a list, a search or
// a series page never holds the main thread (the desktop main process or `longbox serve`) while SQLite
// works; the main thread only dispatches and gets the answer (a structured clone of a page of rows).
// - Start-up: threads take a moment to load; until one is ready, reads run on the calling thread (the
//   fallback), so the first rows come as fast as before.
// - A thread that dies (or exits) is replaced; the reads it had in flight run again on another thread
//   (reads have no side effects); a read that stopped a thread twice fails with a clear INTERNAL error.
//   Threads that die before they are ready three times in a row: the pool gives up and every read runs
//   on the calling thread (logged).
// - A read's own error (NOT_FOUND, a corrupt cache…) comes back as the LongboxError it was, code kept.
// - close() ends the threads; reads still waiting get CANCELLED.
// The switch: `readThreads: 0` (or LONGBOX_READ_THREADS=0) keeps every read on the calling thread.
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { LongboxError, fromSerializedError } from '../../shared/errors.js';
import { onThreadEnd, startEntryThread } from './entry-thread.js';
import type { Logger } from './logger.js';
import type { ReadReply, ReadRequest, ReadThreadData } from './read-protocol.js';
import type { CacheReads, ReadAnswer, ReadArgs, ReadName } from './store/read-methods.js';

/** Environment override of the number of reader threads (0 = every read on the host's main thread). */
export const READ_THREADS_ENV = 'LONGBOX_READ_THREADS';

/** A read that was in flight on this many threads that died is not tried again. */
const MAX_ATTEMPTS = 2;
/** Threads in a row that end before they are ready: the pool is given up (reads stay in-thread). */
const MAX_START_FAILURES = 3;

/**
 * Reader threads for a machine with `cores` cores: one below 4 cores (the reads are short; what matters
 * is that they are off the main thread), two above. The environment variable wins; `0` means none.
 */
export function defaultReadThreads(env: Readonly<Record<string, string | undefined>> = process.env, cores: number = os.availableParallelism()): number {
  const named = Number(env[READ_THREADS_ENV]);
  if (env[READ_THREADS_ENV] !== undefined && env[READ_THREADS_ENV] !== '' && Number.isInteger(named) && named >= 0) return Math.min(named, 8);
  return cores < 4 ? 1 : 2;
}

export interface ReadPoolOptions {
  /** Threads (≥ 1). */
  size: number;
  dbFile: string;
  userDbFile: string;
  nativeBinding?: string;
  logger: Logger;
  /** Answers while no thread is ready (start-up, or the pool given up). */
  fallback: CacheReads;
  /** Test hook (read-protocol.ts). */
  faults?: ReadThreadData['faults'];
}

interface Task {
  id: number;
  name: ReadName;
  args: unknown[];
  attempts: number;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  dead: boolean;
  inFlight: Map<number, Task>;
  /** Why the thread could not start (its `failed` message), for the log. */
  failure?: string;
}

export class ReadPool implements CacheReads {
  readonly #o: ReadPoolOptions;
  readonly #slots: Slot[] = [];
  /** Reads to run again (their thread died) waiting for a ready thread. */
  readonly #queue: Task[] = [];
  readonly #readyWaiters: Array<() => void> = [];
  #nextId = 1;
  #startFailures = 0;
  #givenUp = false;
  #closed = false;
  #alive = 0;
  /** Threads started to replace dead ones (tests, logs). */
  restarts = 0;

  constructor(options: ReadPoolOptions) {
    this.#o = { ...options, size: Math.max(1, options.size) };
    for (let i = 0; i < this.#o.size; i++) this.#slots.push(this.#startSlot());
  }

  /** Threads ready to answer now. */
  get readyThreads(): number {
    return this.#slots.filter((s) => s.ready && !s.dead).length;
  }

  /** Threads started and not yet exited (0 after close()). */
  get liveThreads(): number {
    return this.#alive;
  }

  /** true once the pool has given up on its threads (every read runs on the calling thread). */
  get givenUp(): boolean {
    return this.#givenUp;
  }

  /** Resolves once every thread is ready (or the pool gave up, or closed): the bench and tests wait on it. */
  whenReady(): Promise<void> {
    if (this.#allReady()) return Promise.resolve();
    return new Promise((resolve) => this.#readyWaiters.push(resolve));
  }

  #allReady(): boolean {
    return this.#closed || this.#givenUp || this.#slots.every((s) => s.ready && !s.dead);
  }

  /** Test hook: ends one thread as a crash would (its reads in flight run again elsewhere). */
  async killThread(index: number): Promise<void> {
    const slot = this.#slots[index];
    if (slot) await slot.worker.terminate();
  }

  call<K extends ReadName>(name: K, ...args: ReadArgs<K>): Promise<ReadAnswer<K>> {
    if (this.#closed) return Promise.reject(new LongboxError('CANCELLED', 'The library was closed.'));
    const slot = this.#pick();
    if (!slot) return this.#o.fallback.call(name, ...args);
    return new Promise<ReadAnswer<K>>((resolve, reject) => {
      this.#send(slot, { id: this.#nextId++, name, args, attempts: 0, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const cancelled = () => new LongboxError('CANCELLED', 'The library was closed.');
    for (const task of this.#queue.splice(0)) task.reject(cancelled());
    await Promise.all(
      this.#slots.map(async (slot) => {
        slot.dead = true;
        for (const task of slot.inFlight.values()) task.reject(cancelled());
        slot.inFlight.clear();
        await slot.worker.terminate();
      }),
    );
    this.#settleReadyWaiters();
  }

  /** The ready thread with the fewest reads in flight. */
  #pick(): Slot | undefined {
    let best: Slot | undefined;
    for (const slot of this.#slots) {
      if (!slot.ready || slot.dead) continue;
      if (!best || slot.inFlight.size < best.inFlight.size) best = slot;
    }
    return best;
  }

  #send(slot: Slot, task: Task): void {
    // Only a thread with work keeps the process alive (an awaited read must not be cut off).
    if (slot.inFlight.size === 0) slot.worker.ref();
    slot.inFlight.set(task.id, task);
    const request: ReadRequest = { id: task.id, name: task.name, args: task.args };
    slot.worker.postMessage(request);
  }

  #startSlot(): Slot {
    const data: ReadThreadData = {
      dbFile: this.#o.dbFile,
      userDbFile: this.#o.userDbFile,
      ...(this.#o.nativeBinding ? { nativeBinding: this.#o.nativeBinding } : {}),
      ...(this.#o.faults ? { faults: this.#o.faults } : {}),
    };
    const worker = startEntryThread(import.meta.url, 'read-thread-entry', { workerData: data });
    this.#alive++;
    worker.once('exit', () => this.#alive--);
    // An idle thread never keeps the process alive on its own (the service closes them).
    worker.unref();
    const slot: Slot = { worker, ready: false, dead: false, inFlight: new Map() };
    worker.on('message', (reply: ReadReply) => this.#onReply(slot, reply));
    onThreadEnd(worker, (why) => this.#onDeath(slot, why));
    return slot;
  }

  #onReply(slot: Slot, reply: ReadReply): void {
    switch (reply.type) {
      case 'ready':
        slot.ready = true;
        this.#startFailures = 0;
        this.#pump();
        if (this.#allReady()) this.#settleReadyWaiters();
        return;
      case 'failed':
        slot.failure = `${reply.error.code}: ${reply.error.message}`;
        return;
      case 'answer':
      case 'error': {
        const task = slot.inFlight.get(reply.id);
        if (!task) return;
        slot.inFlight.delete(reply.id);
        if (slot.inFlight.size === 0) slot.worker.unref();
        if (reply.type === 'answer') task.resolve(reply.value);
        else task.reject(fromSerializedError(reply.error));
        return;
      }
    }
  }

  #onDeath(slot: Slot, why: string): void {
    if (slot.dead || this.#closed) return;
    slot.dead = true;
    void slot.worker.terminate();
    const tasks = [...slot.inFlight.values()];
    slot.inFlight.clear();
    for (const task of tasks) {
      task.attempts++;
      if (task.attempts >= MAX_ATTEMPTS) {
        task.reject(new LongboxError('INTERNAL', `Reading "${task.name}" stopped a reader thread ${task.attempts} times (${why}); it was not tried again.`));
      } else {
        this.#queue.push(task);
      }
    }
    const index = this.#slots.indexOf(slot);
    if (!slot.ready) this.#startFailures++;
    if (this.#startFailures >= MAX_START_FAILURES) {
      this.#giveUp(slot.failure ?? why);
      return;
    }
    this.#o.logger.warn(`a reader thread ${slot.ready ? 'stopped' : 'could not start'} (${slot.failure ?? why}); starting another`);
    if (index >= 0) {
      this.restarts++;
      this.#slots[index] = this.#startSlot();
    }
    this.#pump();
  }

  /** Threads keep failing to start: every read stays on the calling thread from now on. */
  #giveUp(why: string): void {
    this.#givenUp = true;
    this.#o.logger.error(`reader threads could not start ${MAX_START_FAILURES} times (${why}); reads run on the main thread`);
    for (const slot of this.#slots) {
      slot.dead = true;
      void slot.worker.terminate();
    }
    for (const task of this.#queue.splice(0)) {
      this.#o.fallback.call(task.name, ...(task.args as ReadArgs<ReadName>)).then(task.resolve, task.reject);
    }
    this.#settleReadyWaiters();
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      const slot = this.#pick();
      if (!slot) return;
      this.#send(slot, this.#queue.shift()!);
    }
  }

  #settleReadyWaiters(): void {
    for (const resolve of this.#readyWaiters.splice(0)) resolve();
  }
}
