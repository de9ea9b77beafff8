// LibraryService: owns the cache for one library folder. Answers every read at once from the live
// generation (stale-while-revalidate), runs rebuilds in a separate worker process one at a time
// across processes (rebuild.lock), coalesces triggers, keeps the old data on any failure, and tells
// listeners about progress and new generations. See docs/architecture.md §5.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { randomUUID } from 'node:crypto';
import { LongboxError, fromSerializedError } from '../../shared/errors.js';
import type {
  CacheError,
  CacheStatus,
  ComicDetail,
  ComicFormat,
  ComicPage,
  ComicQuery,
  LibraryEvent,
  RebuildPhase,
  RebuildProgress,
  UserState,
} from '../../shared/types.js';
import { readArchiveIndex } from './archive/index.js';
import { readArchiveEntry } from './archive/extract.js';
import { listPages } from './archive/pages.js';
import { CoverError, createCoverStore, type CoverStore } from './covers.js';
import { silentLogger, toLogFormat, type Logger } from './logger.js';
import { createNodeLauncher } from './node-launcher.js';
import { acquireRebuildLock, isStale, readLock, type RebuildLock } from './rebuild-lock.js';
import type { CoverImage, LibraryServiceApi } from './service-types.js';
import type { LibraryServiceOptions } from './service-options.js';
import { metadataOf, parseSources, toComicSummary } from './store/comic-row.js';
import { LibraryReader, writeUserState, type GenerationInfo } from './store/library-reader.js';
import { isCorruptionError, openDatabase, type Db } from './store/open-database.js';
import { createLibraryWatcher } from './watcher.js';
import type { WorkerHandle, WorkerMessage } from './worker-protocol.js';

const STATUS_INTERVAL_MS = 200; // at most 5 status events per second
const POLL_INTERVAL_MS = 1000; // other processes' generations and locks
const HEARTBEAT_MS = 5000;
const MAX_AGE_MS = 6 * 60 * 60 * 1000;
const MAX_DETAIL_PAGES = 2000;
const MAX_COVER_SOURCE_BYTES = 64 * 1024 * 1024;
const PREFETCH_COVERS = 120;

type Trigger = 'start' | 'user' | 'watcher' | 'max-age' | 'cold-start' | 'rerun';

interface RunningJob {
  jobId: string;
  lock: RebuildLock;
  heartbeat: NodeJS.Timeout;
  startedAt: number;
  phaseStartedAt: number;
  settle: () => void;
  done: Promise<void>;
}

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

/** Opens library.db; a corrupt file is moved aside (kept for inspection) and a new cache is started. */
function openOrRecover(dbPath: string, options: LibraryServiceOptions, logger: Logger): Db {
  const binding = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
  try {
    return openDatabase(dbPath, { ...binding, busyTimeoutMs: 0 });
  } catch (err) {
    if (!isCorruptionError(err)) throw err;
    const aside = `${dbPath}.corrupt-${Date.now()}`;
    logger.error(`${dbPath} is corrupt (${(err as Error).message}); moved to ${aside}, rebuilding the cache`);
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(dbPath + suffix)) renameSync(dbPath + suffix, aside + suffix);
    }
    return openDatabase(dbPath, { ...binding, busyTimeoutMs: 0 });
  }
}

export class LibraryService implements LibraryServiceApi {
  readonly root: string;
  readonly #options: LibraryServiceOptions;
  readonly #logger: Logger;
  readonly #dbPath: string;
  readonly #lockPath: string;
  readonly #writeDb: Db;
  readonly #readDb: Db;
  readonly #reader: LibraryReader;
  readonly #covers: CoverStore;
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

  constructor(options: LibraryServiceOptions) {
    this.root = resolve(options.root);
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    mkdirSync(options.dataDir, { recursive: true });
    this.#dbPath = join(options.dataDir, 'library.db');
    this.#lockPath = join(options.dataDir, 'rebuild.lock');
    this.#writeDb = openOrRecover(this.#dbPath, options, this.#logger);
    this.#readDb = openDatabase(this.#dbPath, {
      readonly: true,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
    this.#reader = new LibraryReader(this.#readDb);
    this.#info = this.#reader.generationInfo();
    this.#covers = createCoverStore({ dir: join(options.dataDir, 'covers'), logger: this.#logger });
    this.#firstGeneration = deferred();
    if (this.#info.generation > 0) this.#firstGeneration.resolve();
    this.#pollTimer = setInterval(() => this.#poll(), POLL_INTERVAL_MS);
    this.#pollTimer.unref();
  }

  /** Starts the watcher and the initial rebuild (separate from the constructor so errors surface). */
  async start(): Promise<void> {
    this.#poll();
    if (this.#options.watch ?? true) {
      const watcher = createLibraryWatcher({
        root: this.root,
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
    else if (this.#options.rebuildOnOpen ?? true) this.#trigger('start');
  }

  // ---- reads -------------------------------------------------------------------------------

  getStatus(): CacheStatus {
    const info = this.#info;
    return {
      file_count: info.fileCount,
      age_seconds: info.builtAt === null ? null : Math.max(0, Math.round((Date.now() - info.builtAt) / 1000)),
      is_populated: info.generation > 0,
      rebuild_in_progress: this.#job !== null || this.#otherOwner,
      generation: info.generation,
      phase: this.#job ? this.#phase : 'idle',
      progress: this.#job ? this.#progress : null,
      last_error: this.#lastError,
      last_duration_ms: info.lastDurationMs,
      library_root: this.root,
      error_count: info.errorCount,
      rebuild_owner: this.#job ? 'self' : this.#otherOwner ? 'other' : null,
    };
  }

  async listComics(query: ComicQuery): Promise<ComicPage> {
    if (this.#info.generation === 0) {
      if (!this.#job && !this.#otherOwner) this.#trigger('cold-start');
      await this.#firstGeneration.promise;
    }
    const started = performance.now();
    const result = this.#reader.list(query);
    const ms = performance.now() - started;
    if (ms > 40) this.#logger.warn(`slow list query (${ms.toFixed(1)} ms): ${JSON.stringify(query)}`);
    return {
      items: result.rows.map(toComicSummary),
      total: result.total,
      offset: query.offset,
      generation: result.generation,
      stale: this.#job !== null || this.#otherOwner,
    };
  }

  #row(id: number) {
    const row = this.#reader.getRow(id);
    if (!row) throw new LongboxError('NOT_FOUND', `No comic with id ${id} in this library.`);
    return row;
  }

  /** Absolute path of a row's file, refusing anything that would leave the library folder. */
  #absolutePath(relative: string): string {
    const abs = resolve(this.root, relative);
    if (abs !== this.root && !abs.startsWith(this.root + sep)) throw new LongboxError('FORBIDDEN', 'Path outside the library.');
    return abs;
  }

  async getComic(id: number): Promise<ComicDetail> {
    const row = this.#row(id);
    let pages: string[] = [];
    if (row.error_kind === null) {
      try {
        const index = await readArchiveIndex(this.#absolutePath(row.path));
        pages = listPages(index.entries).slice(0, MAX_DETAIL_PAGES);
      } catch (err) {
        this.#logger.debug(`detail page list for ${row.path} failed: ${(err as Error).message}`);
      }
    }
    return {
      ...toComicSummary(row),
      metadata: metadataOf(row),
      sources: parseSources(row.sources),
      pages,
      duplicates: row.dup_count > 1 ? this.#reader.duplicatesOf(row.fingerprint, row.id) : [],
      lastChangedAt: row.changed_at,
      userState: this.#reader.userState(row.fingerprint),
    };
  }

  async getCover(id: number): Promise<CoverImage> {
    const row = this.#row(id);
    if (row.error_kind !== null || row.cover_entry === null) {
      throw new LongboxError('UNSUPPORTED', 'This comic has no readable cover.');
    }
    try {
      return await this.#covers.getCover(row.fingerprint, this.#coverLoader(row.path, row.format, row.cover_entry));
    } catch (err) {
      if (err instanceof CoverError) throw new LongboxError('UNSUPPORTED', `The cover could not be made: ${err.message}`);
      throw err;
    }
  }

  #coverLoader(path: string, format: ComicFormat, entry: string): () => Promise<Buffer> {
    const abs = this.#absolutePath(path);
    return () => readArchiveEntry(abs, format, entry, { maxBytes: MAX_COVER_SOURCE_BYTES });
  }

  /** After a new generation: make the covers of the first screen in the background, before anyone asks. */
  #prefetchFirstCovers(): void {
    try {
      const { rows } = this.#reader.list({ offset: 0, limit: PREFETCH_COVERS, sort: 'series', order: 'asc' });
      this.#covers.cancelPrefetch();
      this.#covers.prefetch(
        rows
          .filter((r) => r.error_kind === null)
          .flatMap((r) => {
            const full = this.#reader.getRow(r.id);
            return full?.cover_entry ? [{ fingerprint: r.fingerprint, loadImage: this.#coverLoader(full.path, full.format, full.cover_entry) }] : [];
          }),
      );
    } catch (err) {
      this.#logger.warn(`cover prefetch failed: ${toLogFormat(err)}`);
    }
  }

  async getComicPath(id: number): Promise<string> {
    return this.#absolutePath(this.#row(id).path);
  }

  async setUserState(id: number, patch: Partial<UserState>): Promise<UserState> {
    const row = this.#row(id);
    const next: UserState = { ...this.#reader.userState(row.fingerprint), ...patch };
    // The worker may hold the write lock for a batch: retry briefly instead of blocking this thread.
    for (let attempt = 0; ; attempt++) {
      try {
        writeUserState(this.#writeDb, row.fingerprint, next, Date.now());
        return next;
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_BUSY' || attempt >= 200) throw err;
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  }

  subscribe(listener: (event: LibraryEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  whenIdle(): Promise<void> {
    if (!this.#job && !this.#runOnceMore && !this.#otherOwner) return Promise.resolve();
    return new Promise((res) => this.#idleWaiters.push(res));
  }

  // ---- rebuilds ------------------------------------------------------------------------------

  refresh(reason = 'user'): void {
    this.#logger.info(`refresh requested (${reason})`);
    this.#trigger('user');
  }

  async retryComic(id: number): Promise<void> {
    const { path } = this.#row(id);
    this.#reread.add(path);
    this.#logger.info(`retry requested for ${path}`);
    this.#trigger('user');
  }

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

  #ensureWorker(): WorkerHandle {
    if (this.#worker) return this.#worker;
    const launch = this.#options.launcher ?? createNodeLauncher();
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
    const lock = acquireRebuildLock(this.#lockPath);
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
        this.#logger.warn(`lock heartbeat failed: ${(err as Error).message}`);
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
        root: this.root,
        dbPath: this.#dbPath,
        options: {
          concurrency: this.#options.concurrency ?? 16,
          maxFileMs: 30_000,
          force: false,
          reread: this.#takeRereads(),
          ...(this.#options.nativeBinding ? { nativeBinding: this.#options.nativeBinding } : {}),
        },
      });
    } catch (err) {
      this.#finishJob({ ok: false, code: 'ENGINE_EXITED', message: `The rebuild worker could not be started: ${(err as Error).message}` });
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
        this.#finishJob({ ok: true });
        return;
      case 'failed':
        if (message.jobId !== this.#job?.jobId) return;
        this.#finishJob({ ok: false, code: message.error.code, message: message.error.message });
        return;
    }
  }

  #finishJob(result: { ok: true } | { ok: false; code: string; message: string }): void {
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
        this.#firstGeneration.reject(fromSerializedError({ code: result.code as never, message: result.message }));
        this.#firstGeneration = deferred();
      }
    }
    this.#emitStatus(true);
    job.settle();
    if (this.#runOnceMore && !this.#closed) {
      this.#runOnceMore = false;
      this.#trigger(result.ok ? 'rerun' : 'watcher');
    }
    this.#notifyIdle();
  }

  /** Reads the live generation's numbers; emits library-changed when it is a new one. */
  #loadGeneration(): void {
    const previous = this.#info.generation;
    this.#info = this.#reader.generationInfo();
    if (this.#info.generation !== previous) {
      if (this.#info.generation > 0) this.#firstGeneration.resolve();
      this.#emit({ type: 'library-changed', generation: this.#info.generation });
      if (this.#options.prefetchCovers ?? true) this.#prefetchFirstCovers();
    }
  }

  /** Picks up what other processes did: a new generation, their lock appearing or going away. */
  #poll(): void {
    if (this.#closed) return;
    try {
      const generation = this.#reader.generationInfo().generation;
      if (generation !== this.#info.generation) this.#loadGeneration();
      if (this.#job) return;
      const lock = readLock(this.#lockPath);
      const other = existsSync(this.#lockPath) && !isStale(lock, Date.now());
      if (other !== this.#otherOwner) {
        this.#otherOwner = other;
        this.#emitStatus(true);
        if (!other) {
          if (this.#runOnceMore) {
            this.#runOnceMore = false;
            this.#trigger('rerun');
          }
          this.#notifyIdle();
        }
      }
      if (!other && this.#info.builtAt !== null && Date.now() - this.#info.builtAt > MAX_AGE_MS) this.#trigger('max-age');
    } catch (err) {
      this.#logger.warn(`poll failed: ${toLogFormat(err)}`);
    }
  }

  #notifyIdle(): void {
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
      this.#emit({ type: 'status', status: this.getStatus() });
      return;
    }
    if (!this.#statusTimer) {
      this.#statusTimer = setTimeout(() => {
        this.#statusTimer = null;
        this.#lastStatusAt = Date.now();
        this.#emit({ type: 'status', status: this.getStatus() });
      }, STATUS_INTERVAL_MS - (now - this.#lastStatusAt));
    }
  }

  // ---- shutdown ------------------------------------------------------------------------------

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
    await this.#covers.close();
    this.#readDb.close();
    this.#writeDb.close();
    this.#notifyIdle();
  }
}

export async function openLibraryService(options: LibraryServiceOptions): Promise<LibraryService> {
  const service = new LibraryService(options);
  await service.start();
  return service;
}
