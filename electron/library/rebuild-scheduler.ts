// The rebuild scheduler the LibraryService owns: decides when a rebuild runs and drives it. Triggers
// (start, user, watcher, max age, cold start) are coalesced into one run at a time plus "once more";
// automatic runs back off after failures; rebuild.lock makes it one run across processes (with a
// heartbeat), other processes' generations and locks are picked up by polling; the run itself is in
// the worker process; status events are throttled. See docs/architecture.md §5.
// Over 400 lines on purpose: it is one state machine (job, lock, worker, "once more", backoff, other
// owner) whose transitions all read and write the same fields; the pure parts live elsewhere
// (rebuild-plan.ts, rebuild-lock.ts, worker-handle.ts).
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { fromSerializedError, messageOf, type ErrorCode } from '../../shared/errors.js';
import type { CacheError, CacheStatus, LibraryChange, LibraryEvent, RebuildPhase, RebuildProgress, UserDataNotice } from '../../shared/types.js';
import { toLogFormat, type Logger } from './logger.js';
import { createNodeLauncher } from './node-launcher.js';
import { defaultEnrichThreads } from './enrich-pool.js';
import { acquireRebuildLock, isStale, readLock, type RebuildLock } from './rebuild-lock.js';
import type { GenerationInfo } from './store/library-reader.js';
import { createLibraryWatcher } from './watch/watcher.js';
import type { WorkerHandle, WorkerLauncher, WorkerMessage } from './worker-protocol.js';

const STATUS_INTERVAL_MS = 200; // at most 5 status events per second
const POLL_INTERVAL_MS = 1000; // other processes' generations and locks
const HEARTBEAT_MS = 5000;
const MAX_AGE_MS = 6 * 60 * 60 * 1000;

export type Trigger = 'start' | 'user' | 'watcher' | 'max-age' | 'cold-start' | 'rerun';

export interface RebuildSchedulerOptions {
  root: string;
  dbPath: string;
  lockPath: string;
  logger: Logger;
  /** The live generation's numbers, read from the cache (the façade's read connection). */
  readGeneration: () => GenerationInfo;
  /** Called after a new generation is picked up (the façade prefetches covers). */
  onNewGeneration?: () => void;
  launcher?: WorkerLauncher;
  watch?: boolean;
  rebuildOnOpen?: boolean;
  concurrency?: number;
  /** Enrichment threads in the worker (default: defaultEnrichThreads of this process's environment). */
  enrichThreads?: number | undefined;
  nativeBinding?: string;
  /** What the user must be told about their own data (user.db restored…), carried in every status. */
  userDataNotice?: () => UserDataNotice | null;
}

interface RunningJob {
  jobId: string;
  lock: RebuildLock;
  heartbeat: NodeJS.Timeout;
  startedAt: number;
  phaseStartedAt: number;
  settle: () => void;
  done: Promise<void>;
}

type JobResult = { ok: true } | { ok: false; code: ErrorCode; message: string };

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(err: Error): void;
}

function deferred(): Deferred {
  let resolveFn!: () => void;
  let rejectFn!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolveFn = res;
    rejectFn = rej;
  });
  promise.catch(() => {}); // a cold-start failure with no waiter is not an unhandled rejection
  return { promise, resolve: resolveFn, reject: rejectFn };
}

export class RebuildScheduler {
  readonly #o: RebuildSchedulerOptions;
  readonly #logger: Logger;
  readonly #listeners = new Set<(event: LibraryEvent) => void>();
  #info: GenerationInfo;
  #phase: RebuildPhase = 'idle';
  #progress: RebuildProgress | null = null;
  #lastError: CacheError | null = null;
  #otherOwner = false;
  #job: RunningJob | null = null;
  #runOnceMore = false;
  /** Files to read again in the next rebuild even when unchanged (retryComic). */
  readonly #reread = new Set<string>();
  #worker: WorkerHandle | null = null;
  #firstGeneration: Deferred;
  #autoFailures = 0;
  #lastFailureAt = 0;
  #lastRunWasAutomatic = false;
  #retryTimer: NodeJS.Timeout | null = null;
  #pollTimer: NodeJS.Timeout;
  #statusTimer: NodeJS.Timeout | null = null;
  #lastStatusAt = 0;
  #watcher: { close(): Promise<void> } | null = null;
  #idleWaiters: Array<() => void> = [];
  #closed = false;

  constructor(options: RebuildSchedulerOptions) {
    this.#o = options;
    this.#logger = options.logger;
    this.#info = options.readGeneration();
    this.#firstGeneration = deferred();
    if (this.#info.generation > 0) this.#firstGeneration.resolve();
    this.#pollTimer = setInterval(() => this.#poll(), POLL_INTERVAL_MS);
    this.#pollTimer.unref();
  }

  /** The live generation's numbers as last picked up. */
  get info(): GenerationInfo {
    return this.#info;
  }

  /** Starts the watcher and the initial rebuild. */
  start(): void {
    this.#poll();
    if (this.#o.watch ?? true) {
      const watcher = createLibraryWatcher({
        root: this.#o.root,
        logger: this.#logger,
        onChange: ({ paths }) => {
          this.#logger.debug(`watcher: ${paths.length} path(s) changed`);
          this.#trigger('watcher');
        },
      });
      this.#watcher = watcher;
      watcher.ready.catch((err: unknown) => this.#logger.warn(`watcher failed to start: ${toLogFormat(err)}`));
    }
    if (this.#info.generation === 0) this.#trigger('cold-start');
    else if (this.#o.rebuildOnOpen ?? true) this.#trigger('start');
  }

  /** A rebuild runs here or in another process: what the reads answer is about to be replaced. */
  get isRebuilding(): boolean {
    return this.#job !== null || this.#otherOwner;
  }

  /** Folders gone / comics back in the last rebuild that found any (told to the user once). */
  #lastChange: LibraryChange | null = null;

  status(): CacheStatus {
    const info = this.#info;
    return {
      file_count: info.fileCount,
      age_seconds: info.builtAt === null ? null : Math.max(0, Math.round((Date.now() - info.builtAt) / 1000)),
      is_populated: info.generation > 0,
      rebuild_in_progress: this.isRebuilding,
      generation: info.generation,
      phase: this.#job ? this.#phase : 'idle',
      progress: this.#job ? this.#progress : null,
      last_error: this.#lastError,
      last_duration_ms: info.lastDurationMs,
      library_root: this.#o.root,
      error_count: info.errorCount,
      rebuild_owner: this.#job ? 'self' : this.#otherOwner ? 'other' : null,
      user_data_notice: this.#o.userDataNotice?.() ?? null,
      last_change: this.#lastChange,
    };
  }

  /** Resolves once a first generation exists (starting the cold-start rebuild if none runs). */
  whenPopulated(): Promise<void> {
    if (this.#info.generation > 0) return Promise.resolve();
    if (!this.isRebuilding) this.#trigger('cold-start');
    return this.#firstGeneration.promise;
  }

  /** A user's Refresh: starts a rebuild now (or once more after the running one); returns the status it left. */
  refresh(reason: string): CacheStatus {
    this.#logger.info(`refresh requested (${reason})`);
    this.#trigger('user');
    return this.status();
  }

  /** "Retry this file": the next rebuild (started now, or right after the running one) reads `path` again. */
  retry(path: string): void {
    this.#reread.add(path);
    this.#logger.info(`retry requested for ${path}`);
    this.#trigger('user');
  }

  subscribe(listener: (event: LibraryEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  whenIdle(): Promise<void> {
    if (!this.#job && !this.#runOnceMore && !this.#otherOwner) return Promise.resolve();
    return new Promise((res) => this.#idleWaiters.push(res));
  }

  // ---- triggers ------------------------------------------------------------------------------

  #trigger(trigger: Trigger): void {
    if (this.#closed) return;
    if (this.#job) {
      // Files may have changed after the running scan passed them: run once more afterwards.
      if (trigger === 'user' || trigger === 'watcher') this.#runOnceMore = true;
      return;
    }
    if (this.#otherOwner) {
      // Another process is rebuilding; its generation arrives by #poll. A user's Refresh still gets
      // a run of its own afterwards (the other scan may have passed the files the user just added).
      if (trigger === 'user') this.#runOnceMore = true;
      return;
    }
    const automatic = trigger !== 'user' && trigger !== 'cold-start';
    if (automatic && this.#autoFailures > 0) {
      const wait = this.#lastFailureAt + Math.min(5000 * 2 ** (this.#autoFailures - 1), 300_000) - Date.now();
      if (wait > 0) {
        if (!this.#retryTimer) {
          this.#retryTimer = setTimeout(() => {
            this.#retryTimer = null;
            this.#trigger(trigger);
          }, wait);
          this.#retryTimer.unref();
        }
        return;
      }
    }
    this.#startJob(trigger, automatic);
  }

  // ---- the job and its worker ----------------------------------------------------------------

  #ensureWorker(): WorkerHandle {
    if (this.#worker) return this.#worker;
    const launch = this.#o.launcher ?? createNodeLauncher({ logger: this.#logger });
    const worker = launch();
    this.#worker = worker;
    worker.onMessage((message) => this.#onWorkerMessage(message));
    worker.onExit((code, signal) => {
      if (this.#worker === worker) this.#worker = null;
      if (this.#job) {
        const how = signal ? `signal ${signal}` : `exit code ${code}`;
        this.#finishJob({ ok: false, code: 'ENGINE_EXITED', message: `The rebuild worker stopped unexpectedly (${how}). Showing the last known library.` });
      }
    });
    return worker;
  }

  #startJob(trigger: Trigger, automatic: boolean): void {
    const lock = acquireRebuildLock(this.#o.lockPath);
    if (!lock) {
      // Another process is rebuilding this library: report it and pick up its generation later.
      this.#otherOwner = true;
      if (trigger === 'user') this.#runOnceMore = true;
      this.#emitStatus(true);
      return;
    }
    this.#lastRunWasAutomatic = automatic;
    this.#runOnceMore = false;
    const jobId = randomUUID();
    const heartbeat = setInterval(() => {
      try {
        lock.heartbeat();
      } catch (err) {
        this.#logger.warn(`lock heartbeat failed: ${messageOf(err)}`);
      }
    }, HEARTBEAT_MS);
    heartbeat.unref();
    let settle!: () => void;
    const done = new Promise<void>((res) => (settle = res));
    const now = Date.now();
    this.#job = { jobId, lock, heartbeat, startedAt: now, phaseStartedAt: now, settle, done };
    this.#phase = 'scanning';
    this.#progress = { done: 0, total: 0, files_per_second: 0, eta_seconds: null };
    this.#emitStatus(true);
    try {
      this.#ensureWorker().send({
        type: 'start',
        jobId,
        root: this.#o.root,
        dbPath: this.#o.dbPath,
        options: {
          concurrency: this.#o.concurrency ?? 16,
          // Chosen here: the worker's environment is an allow-list (worker-handle.ts).
          enrichThreads: this.#o.enrichThreads ?? defaultEnrichThreads(),
          maxFileMs: 30_000,
          force: false,
          reread: this.#takeRereads(),
          ...(this.#o.nativeBinding ? { nativeBinding: this.#o.nativeBinding } : {}),
        },
      });
    } catch (err) {
      this.#finishJob({ ok: false, code: 'ENGINE_EXITED', message: `The rebuild worker could not be started: ${messageOf(err)}` });
    }
  }

  #takeRereads(): string[] {
    const paths = [...this.#reread];
    this.#reread.clear();
    return paths;
  }

  #onWorkerMessage(message: WorkerMessage): void {
    switch (message.type) {
      case 'ready':
        return;
      case 'log':
        this.#logger[message.level](`[worker] ${message.message}`);
        return;
      case 'progress': {
        if (message.jobId !== this.#job?.jobId) return;
        const now = Date.now();
        const phaseChanged = message.phase !== this.#phase;
        if (phaseChanged) this.#job.phaseStartedAt = now;
        const seconds = Math.max((now - this.#job.phaseStartedAt) / 1000, 0.001);
        const rate = message.phase === 'enriching' || message.phase === 'writing' ? message.done / seconds : 0;
        this.#phase = message.phase;
        this.#progress = {
          done: message.done,
          total: message.total,
          files_per_second: Math.round(rate),
          eta_seconds: rate > 0 && message.total > 0 ? Math.ceil((message.total - message.done) / rate) : null,
        };
        this.#emitStatus(phaseChanged);
        return;
      }
      case 'done':
        if (message.jobId !== this.#job?.jobId) return;
        if (message.stats.goneFolders?.length || message.stats.returned) {
          this.#lastChange = { at: Date.now(), goneFolders: message.stats.goneFolders ?? [], returned: message.stats.returned ?? 0 };
        }
        this.#finishJob({ ok: true });
        return;
      case 'failed':
        if (message.jobId !== this.#job?.jobId) return;
        this.#finishJob({ ok: false, code: message.error.code, message: message.error.message });
        return;
    }
  }

  #finishJob(result: JobResult): void {
    const job = this.#job;
    if (!job) return;
    clearInterval(job.heartbeat);
    job.lock.release();
    this.#job = null;
    this.#phase = 'idle';
    this.#progress = null;
    if (result.ok) {
      this.#lastError = null;
      this.#autoFailures = 0;
      this.#loadGeneration();
    } else {
      this.#lastError = { message: result.message, code: result.code, at: Date.now() };
      this.#lastFailureAt = Date.now();
      if (this.#lastRunWasAutomatic || this.#info.generation === 0) this.#autoFailures++;
      this.#logger.error(`rebuild failed (${result.code}): ${result.message}`);
      if (this.#info.generation === 0) {
        // Cold start failed: waiting readers get the reason now; later readers wait for the next try.
        this.#firstGeneration.reject(fromSerializedError({ code: result.code, message: result.message }));
        this.#firstGeneration = deferred();
      }
    }
    this.#emitStatus(true);
    job.settle();
    if (this.#runOnceMore && !this.#closed) {
      this.#runOnceMore = false;
      this.#trigger(result.ok ? 'rerun' : 'watcher');
    }
    this.settleIdleWaiters();
  }

  /** Reads the live generation's numbers; emits library-changed when it is a new one. */
  #loadGeneration(): void {
    const previous = this.#info.generation;
    this.#info = this.#o.readGeneration();
    if (this.#info.generation !== previous) {
      if (this.#info.generation > 0) this.#firstGeneration.resolve();
      this.#emit({ type: 'library-changed', generation: this.#info.generation });
      this.#o.onNewGeneration?.();
    }
  }

  /** Picks up what other processes did: a new generation, their lock appearing or going away. */
  #poll(): void {
    if (this.#closed) return;
    try {
      const generation = this.#o.readGeneration().generation;
      if (generation !== this.#info.generation) this.#loadGeneration();
      if (this.#job) return;
      const lock = readLock(this.#o.lockPath);
      const other = existsSync(this.#o.lockPath) && !isStale(lock, Date.now());
      if (other !== this.#otherOwner) {
        this.#otherOwner = other;
        this.#emitStatus(true);
        if (!other) {
          if (this.#runOnceMore) {
            this.#runOnceMore = false;
            this.#trigger('rerun');
          }
          this.settleIdleWaiters();
        }
      }
      if (!other && this.#info.builtAt !== null && Date.now() - this.#info.builtAt > MAX_AGE_MS) this.#trigger('max-age');
    } catch (err) {
      this.#logger.warn(`poll failed: ${toLogFormat(err)}`);
    }
  }

  /** Resolves whenIdle() waiters when nothing runs or is queued (also called by the façade's close). */
  settleIdleWaiters(): void {
    if (this.#job || this.#runOnceMore || this.#otherOwner) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }

  // ---- events --------------------------------------------------------------------------------

  #emit(event: LibraryEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (err) {
        this.#logger.error(`listener failed: ${toLogFormat(err)}`);
      }
    }
  }

  /** Status events at most every 200 ms, with a trailing one so the last state is never lost. */
  #emitStatus(immediate: boolean): void {
    const now = Date.now();
    if (immediate || now - this.#lastStatusAt >= STATUS_INTERVAL_MS) {
      if (this.#statusTimer) {
        clearTimeout(this.#statusTimer);
        this.#statusTimer = null;
      }
      this.#lastStatusAt = now;
      this.#emit({ type: 'status', status: this.status() });
      return;
    }
    if (!this.#statusTimer) {
      this.#statusTimer = setTimeout(() => {
        this.#statusTimer = null;
        this.#lastStatusAt = Date.now();
        this.#emit({ type: 'status', status: this.status() });
      }, STATUS_INTERVAL_MS - (now - this.#lastStatusAt));
    }
  }

  // ---- shutdown ------------------------------------------------------------------------------

  /** Stops the watcher and timers, stops a running rebuild cleanly (releasing the lock), ends the worker. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#pollTimer);
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    if (this.#statusTimer) clearTimeout(this.#statusTimer);
    await this.#watcher?.close().catch(() => {});
    const job = this.#job;
    const worker = this.#worker;
    if (job && worker) {
      worker.send({ type: 'cancel', jobId: job.jobId });
      await Promise.race([job.done, new Promise((r) => setTimeout(r, 3000))]);
      if (this.#job) this.#finishJob({ ok: false, code: 'CANCELLED', message: 'Longbox was closed during a rebuild.' });
    }
    if (worker) {
      const exited = new Promise<void>((r) => worker.onExit(() => r()));
      worker.send({ type: 'shutdown' });
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      worker.kill();
    }
    this.#worker = null;
  }
}
