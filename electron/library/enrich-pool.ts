// Enrichment on every core: a pool of worker threads inside the rebuild worker, each running
// enrichFile for several files at once; the rebuild job stays the one writer (it collects the rows and
// writes the generation). Faults stay per file:
// - a file over the per-file limit whose thread still answers a ping is a 'timeout' row (slow, not stuck);
// - a thread that stalls (no answer: a loop only terminating stops) or dies (an exception outside any
//   promise, out of memory) is replaced; if it had one file in flight, that file is the culprit and gets
//   the error row ('timeout' / 'corrupt'); if several, each runs again alone, so the next fault names one.
// So one bad file costs one error row and at most two thread restarts (two per-file limits for a hang);
// the rebuild finishes.
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { onThreadEnd, startEntryThread } from './entry-thread.js';
import { errorRow, type EnrichedFile } from './enrich.js';
import type { EnrichReply, EnrichRequest, EnrichThreadData } from './enrich-protocol.js';
import type { WalkedFile } from './scan/walk.js';

/** How long a thread with an overdue file has to answer a ping before it counts as stuck. */
const PING_MS = 2_000;

/** Environment override of the pool size (0 = enrich on the worker's main thread, as before the pool). */
export const ENRICH_THREADS_ENV = 'LONGBOX_ENRICH_THREADS';

/** Below this many cores the pool is off by default: on 2 cores it did not pay (bench/README.md, issue 16). */
export const POOL_MIN_CORES = 4;

/**
 * The pool size for a machine with `cores` cores: none below POOL_MIN_CORES, else one thread per core
 * but one (left to the host/UI and the worker's writer), at most 16. The environment variable wins
 * (measuring, or a user who wants the rebuild on more or fewer cores); `0` means no pool.
 */
export function defaultEnrichThreads(env: Readonly<Record<string, string | undefined>> = process.env, cores: number = os.availableParallelism()): number {
  const named = Number(env[ENRICH_THREADS_ENV]);
  if (env[ENRICH_THREADS_ENV] !== undefined && Number.isInteger(named) && named >= 0) return Math.min(named, 64);
  return cores < POOL_MIN_CORES ? 0 : Math.min(16, cores - 1);
}

export interface EnrichPoolOptions {
  root: string;
  /** Threads (≥ 1). */
  size: number;
  /** Files in flight per thread (their reads overlap; the CPU part runs one at a time per thread). */
  perThread: number;
  /** Per-file limit: a file over it becomes a 'timeout' row. */
  maxFileMs: number;
  /** Test hook, passed to the threads (enrich-protocol.ts). */
  faults?: EnrichThreadData['faults'];
}

interface Task {
  id: number;
  file: WalkedFile;
  prior: EnrichedFile | undefined;
  resolve: (row: EnrichedFile) => void;
  /** In flight when a thread died or stalled with others: runs again alone. */
  suspect: boolean;
  timer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, Task>;
  dead: boolean;
  /** The thread has loaded its modules (tasks wait until then). */
  ready: boolean;
  /** In flight past their limit, waiting for the ping's answer. */
  overdue: Set<Task>;
  pingTimer?: NodeJS.Timeout;
  /** Running a file that was in flight when a thread died: alone, so its neighbours are not blamed. */
  exclusive: boolean;
}

export class EnrichPool {
  readonly #o: EnrichPoolOptions;
  readonly #slots: Slot[] = [];
  readonly #queue: Task[] = [];
  #nextId = 1;
  #closed = false;
  /** Threads started to replace dead or stuck ones (tests and logs). */
  restarts = 0;

  constructor(options: EnrichPoolOptions) {
    this.#o = { ...options, size: Math.max(1, options.size), perThread: Math.max(1, options.perThread) };
    for (let i = 0; i < this.#o.size; i++) this.#slots.push(this.#startSlot());
  }

  /** The enriched row for `file` (`prior`: as enrichFile's); never rejects (every failure is an error row). */
  enrich(file: WalkedFile, prior?: EnrichedFile): Promise<EnrichedFile> {
    if (this.#closed) return Promise.resolve(errorRow(file, 'unreadable', 'The rebuild was stopped.'));
    return new Promise<EnrichedFile>((resolve) => {
      this.#queue.push({ id: this.#nextId++, file, prior, resolve, suspect: false });
      this.#pump();
    });
  }

  /** Stops every thread; files still queued or in flight get an error row. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const stopped = (file: WalkedFile) => errorRow(file, 'unreadable', 'The rebuild was stopped.');
    for (const task of this.#queue.splice(0)) task.resolve(stopped(task.file));
    await Promise.all(
      this.#slots.map(async (slot) => {
        slot.dead = true;
        for (const task of slot.inFlight.values()) this.#settle(slot, task, stopped(task.file));
        await slot.worker.terminate();
      }),
    );
  }

  #startSlot(): Slot {
    const data: EnrichThreadData = { root: this.#o.root, ...(this.#o.faults ? { faults: this.#o.faults } : {}) };
    const worker = startEntryThread(import.meta.url, 'enrich-thread-entry', { workerData: data });
    const slot: Slot = { worker, inFlight: new Map(), dead: false, ready: false, exclusive: false, overdue: new Set() };
    worker.on('message', (reply: EnrichReply) => {
      if (reply.type === 'ready') slot.ready = true;
      else if (reply.type === 'pong') this.#onPong(slot);
      else {
        const task = slot.inFlight.get(reply.id);
        if (task) this.#settle(slot, task, reply.row);
      }
      this.#pump();
    });
    onThreadEnd(worker, (why) => this.#onDeath(slot, why));
    return slot;
  }

  #settle(slot: Slot, task: Task, row: EnrichedFile): void {
    clearTimeout(task.timer);
    slot.inFlight.delete(task.id);
    slot.overdue.delete(task);
    if (slot.inFlight.size === 0) slot.exclusive = false;
    task.resolve(row);
  }

  #pump(): void {
    if (this.#closed) return;
    for (const slot of this.#slots) {
      while (slot.ready && !slot.dead && !slot.exclusive && slot.inFlight.size < this.#o.perThread && this.#queue.length > 0) {
        const suspect = this.#queue[0]!.suspect;
        // A suspect waits for an empty thread (busy ones drain because nothing else is sent meanwhile).
        if (suspect && slot.inFlight.size > 0) break;
        slot.exclusive = suspect;
        this.#send(slot, this.#queue.shift()!);
      }
    }
  }

  #send(slot: Slot, task: Task): void {
    slot.inFlight.set(task.id, task);
    task.timer = setTimeout(() => this.#onTimeout(slot, task), this.#o.maxFileMs);
    const message: EnrichRequest = { type: 'task', id: task.id, file: task.file, ...(task.prior ? { prior: task.prior } : {}) };
    slot.worker.postMessage(message);
  }

  #timeoutRow(file: WalkedFile): EnrichedFile {
    return errorRow(file, 'timeout', `Reading this file took longer than ${Math.round(this.#o.maxFileMs / 1000)} s.`);
  }

  /**
   * A file over its limit: slow (its thread still answers, e.g. a read on a slow disk) or stuck with its
   * thread (a loop). Only a ping tells which; a stuck thread's files cannot be told apart, so they all
   * run again alone (#replace).
   */
  #onTimeout(slot: Slot, task: Task): void {
    if (!slot.inFlight.has(task.id) || slot.dead) return;
    slot.overdue.add(task);
    if (slot.pingTimer) return;
    slot.worker.postMessage({ type: 'ping' } satisfies EnrichRequest);
    slot.pingTimer = setTimeout(() => this.#replace(slot, 'stalled'), PING_MS);
  }

  #onPong(slot: Slot): void {
    clearTimeout(slot.pingTimer);
    slot.pingTimer = undefined;
    for (const task of [...slot.overdue]) this.#settle(slot, task, this.#timeoutRow(task.file));
  }

  #onDeath(slot: Slot, why: string): void {
    if (slot.dead || this.#closed) return;
    this.#replace(slot, 'died', why);
  }

  /**
   * Retires `slot` (died or stalled), starts a new thread in its place. A file alone in flight there is
   * the culprit: its error row. Several in flight: each runs again alone (a suspect), so the next
   * fault names one.
   */
  #replace(slot: Slot, how: 'died' | 'stalled', why = ''): void {
    if (slot.dead) return;
    slot.dead = true;
    clearTimeout(slot.pingTimer);
    void slot.worker.terminate();
    const tasks = [...slot.inFlight.values()];
    slot.inFlight.clear();
    for (const task of tasks) clearTimeout(task.timer);
    if (tasks.length === 1) {
      const [task] = tasks as [Task];
      task.resolve(how === 'stalled' ? this.#timeoutRow(task.file) : errorRow(task.file, 'corrupt', `Reading this file stopped the reader thread (${why}).`));
    } else {
      for (const task of tasks) task.suspect = true;
      // First in line, so the culprit shows itself soon.
      this.#queue.unshift(...tasks);
    }
    const index = this.#slots.indexOf(slot);
    if (!this.#closed && index >= 0) {
      this.restarts++;
      this.#slots[index] = this.#startSlot();
    }
    this.#pump();
  }
}
