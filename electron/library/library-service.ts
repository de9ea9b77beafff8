// LibraryService: the read façade over the cache of one library folder. Answers every read at once
// from the live generation (stale-while-revalidate): lists, details, covers, user state. Rebuilds
// (triggers, coalescing, backoff, lock, worker, polling, status events) belong to the RebuildScheduler
// it owns (rebuild-scheduler.ts). New reads (pages, series, folders) go in the reads section here.
// See docs/architecture.md §5.
//
// Over ~400 lines on purpose: it is the one class behind LibraryApi, and each method is a few lines
// that hand a read to store/read-methods.ts (in-thread or a reader thread), the covers or the pages;
// splitting it would spread one contract over several classes with no logic of their own.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { LongboxError, messageOf } from '../../shared/errors.js';
import type {
  BookKind,
  PageList,
  BulkStateRequest,
  BulkStateResult,
  CacheStatus,
  ComicDetail,
  ComicFormat,
  ComicPage,
  ComicQuery,
  LibraryEvent,
  ReaderSettings,
  FolderListing,
  HomeShelves,
  SeriesPage,
  SeriesQuery,
  UserState,
} from '../../shared/types.js';
import { readArchiveIndex } from './archive/index.js';
import { createBrowseService, type BrowseService } from './browse-service.js';
import { readArchiveEntry } from './archive/extract.js';
import { listPages } from './archive/pages.js';
import { CoverError, createCoverStore, type CoverStore } from './covers/cover-store.js';
import { silentLogger, toLogFormat, type Logger } from './logger.js';
import { RebuildScheduler } from './rebuild-scheduler.js';
import { createPageServer, type PageServer, type PageSource } from './pages/page-server.js';
import type { CoverImage, LibraryServiceApi, PageImage, PageRequestOptions } from './service-types.js';
import type { LibraryServiceOptions } from './service-options.js';
import { metadataOf, parseSources, toComicSummary } from './store/comic-row.js';
import { LibraryReader } from './store/library-reader.js';
import { InThreadReads, openReadSide, type CacheReads, type ReadAnswer, type ReadArgs, type ReadName } from './store/read-methods.js';
import { defaultReadThreads, ReadPool } from './read-pool.js';
import { isCorruptionError, openDatabase } from './store/open-database.js';
import type { Db } from './store/db.js';
import { moveLegacyUserState, salvageLegacyUserState } from './user/legacy-import.js';
import { exportState, importState, parseExport, type ImportReport, type LibraryComic, type UserStateExport } from './user/state-transfer.js';
import type { ComicIdentity } from './user/comic-state.js';
import { openUserStore, type UserStore } from './user/user-store.js';

const MAX_DETAIL_PAGES = 2000;
const MAX_COVER_SOURCE_BYTES = 64 * 1024 * 1024;
const PREFETCH_COVERS = 120;
/** A read slower than this is logged (with the time the dispatch took, thread hop included). */
const SLOW_READ_MS = 40;

/**
 * Opens library.db; a corrupt file is moved aside (kept for inspection) and a new cache is started.
 * library.db holds nothing of the user's (user.db does); only a library.db from before user.db may still
 * carry read state, which is salvaged into user.db first.
 */
function openOrRecover(dbPath: string, options: LibraryServiceOptions, logger: Logger, user: UserStore, root: string): Db {
  const binding = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
  try {
    return openDatabase(dbPath, { ...binding, busyTimeoutMs: 0 });
  } catch (err) {
    if (!isCorruptionError(err)) throw err;
    const salvaged = salvageLegacyUserState(dbPath, user, root, options.nativeBinding);
    if (salvaged > 0) logger.warn(`${dbPath}: ${salvaged} read state row(s) of an older Longbox salvaged into ${user.file}`);
    const aside = `${dbPath}.corrupt-${Date.now()}`;
    logger.error(`${dbPath} is corrupt (${messageOf(err)}); moved to ${aside}, rebuilding the cache`);
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(dbPath + suffix)) renameSync(dbPath + suffix, aside + suffix);
    }
    return openDatabase(dbPath, { ...binding, busyTimeoutMs: 0 });
  }
}

export class LibraryService implements LibraryServiceApi {
  readonly root: string;
  readonly #logger: Logger;
  readonly #writeDb: Db;
  readonly #readDb: Db;
  /** The main thread's own reader: the generation numbers (the scheduler's poll) and the in-thread reads. */
  readonly #reader: LibraryReader;
  /** Where list, search, series, folder, Home and detail reads run: reader threads, or this thread. */
  readonly #reads: CacheReads;
  readonly #covers: CoverStore;
  readonly #pages: PageServer;
  readonly #rebuilds: RebuildScheduler;
  readonly #user: UserStore;
  readonly #browse: BrowseService;
  #closed = false;

  /** Use openLibraryService (it opens the user store first). */
  constructor(options: LibraryServiceOptions, user: UserStore) {
    this.#user = user;
    this.root = resolve(options.root);
    this.#logger = options.logger ?? silentLogger;
    mkdirSync(options.dataDir, { recursive: true });
    const dbPath = join(options.dataDir, 'library.db');
    this.#writeDb = openOrRecover(dbPath, options, this.#logger, user, this.root);
    this.#moveLegacyState();
    this.#readDb = openDatabase(dbPath, {
      readonly: true,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
    const side = openReadSide(this.#readDb, user.file);
    this.#reader = side.library;
    const inThread = new InThreadReads(side);
    const threads = options.readThreads ?? defaultReadThreads();
    this.#reads =
      threads > 0
        ? new ReadPool({
            size: threads,
            dbFile: dbPath,
            userDbFile: user.file,
            logger: this.#logger,
            fallback: inThread,
            ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
            ...(options.readFaults ? { faults: options.readFaults } : {}),
          })
        : inThread;
    this.#covers = createCoverStore({ dir: join(options.dataDir, 'covers'), logger: this.#logger });
    this.#pages = createPageServer({ logger: this.#logger, resizedDir: join(options.dataDir, 'pages') });
    const prefetch = options.prefetchCovers ?? true;
    this.#rebuilds = new RebuildScheduler({
      root: this.root,
      dbPath,
      lockPath: join(options.dataDir, 'rebuild.lock'),
      logger: this.#logger,
      readGeneration: () => this.#reader.generationInfo(),
      onNewGeneration: prefetch ? () => this.#prefetchFirstCovers() : undefined,
      launcher: options.launcher,
      watch: options.watch,
      rebuildOnOpen: options.rebuildOnOpen,
      concurrency: options.concurrency,
      enrichThreads: options.enrichThreads,
      nativeBinding: options.nativeBinding,
      userDataNotice: () => this.#user.notice,
    });
    this.#browse = createBrowseService({
      read: (name, ...args) => this.#read(name, ...args),
      user: this.#user,
      root: this.root,
      logger: this.#logger,
      whenPopulated: () => this.#rebuilds.whenPopulated(),
      isStale: () => this.#rebuilds.isRebuilding,
    });
  }

  /** Read state an older Longbox kept in library.db moves to user.db, once. */
  #moveLegacyState(): void {
    try {
      const moved = moveLegacyUserState(this.#writeDb, this.#user, this.root);
      if (moved > 0) this.#logger.info(`moved ${moved} read state row(s) from library.db to ${this.#user.file}`);
    } catch (err) {
      // Busy (another process's rebuild holds library.db) or a failed write: the rows stay in
      // library.db's legacy table and the move is tried again at the next start.
      this.#logger.warn(`moving read state from library.db to user.db failed, will retry at the next start: ${toLogFormat(err)}`);
    }
  }

  /** Starts the watcher and the initial rebuild (separate from the constructor so errors surface). */
  async start(): Promise<void> {
    this.#rebuilds.start();
  }

  // ---- reads -------------------------------------------------------------------------------

  getStatus(): CacheStatus {
    return this.#rebuilds.status();
  }

  /** The reader threads (tests and the bench: their state; null when reads run in-thread). */
  get readPool(): ReadPool | null {
    return this.#reads instanceof ReadPool ? this.#reads : null;
  }

  /** One read of store/read-methods.ts where reads run (a reader thread, or this one); slow ones are logged. */
  async #read<K extends ReadName>(name: K, ...args: ReadArgs<K>): Promise<ReadAnswer<K>> {
    const started = performance.now();
    const answer = await this.#reads.call(name, ...args);
    const ms = performance.now() - started;
    if (ms > SLOW_READ_MS) this.#logger.warn(`slow read ${name} (${ms.toFixed(1)} ms): ${JSON.stringify(args).slice(0, 300)}`);
    return answer;
  }

  async listComics(query: ComicQuery): Promise<ComicPage> {
    await this.#rebuilds.whenPopulated();
    const result = await this.#read('listComics', query);
    return {
      items: result.items,
      total: result.total,
      offset: query.offset,
      generation: result.generation,
      stale: this.#rebuilds.isRebuilding,
    };
  }

  async listComicsJson(query: ComicQuery): Promise<Omit<ComicPage, 'items'> & { itemsJson: string }> {
    await this.#rebuilds.whenPopulated();
    const result = await this.#read('listComicsJson', query);
    return { itemsJson: result.itemsJson, total: result.total, offset: query.offset, generation: result.generation, stale: this.#rebuilds.isRebuilding };
  }

  async #row(id: number) {
    const row = await this.#read('getRow', id);
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
    const row = await this.#row(id);
    let pages: string[] = [];
    let kind: BookKind = 'comic';
    if (row.error_kind === null) {
      try {
        const index = await readArchiveIndex(this.#absolutePath(row.path));
        pages = listPages(index.entries).slice(0, MAX_DETAIL_PAGES);
        kind = index.kind ?? 'comic';
      } catch (err) {
        this.#logger.debug(`detail page list for ${row.path} failed: ${messageOf(err)}`);
      }
    }
    return {
      ...toComicSummary(row),
      metadata: metadataOf(row),
      sources: parseSources(row.sources),
      pages,
      kind,
      duplicates: row.dup_count > 1 ? await this.#read('duplicatesOf', row.fingerprint, row.id) : [],
      lastChangedAt: row.changed_at,
      userState: this.#user.getState(row.fingerprint),
    };
  }

  async getCover(id: number): Promise<CoverImage> {
    const row = await this.#row(id);
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
    void (async () => {
      const { items } = await this.#read('listComics', { offset: 0, limit: PREFETCH_COVERS, sort: 'series', order: 'asc' });
      const rows = await Promise.all(items.filter((c) => c.errorKind === null).map((c) => this.#read('getRow', c.id)));
      if (this.#closed) return;
      this.#covers.cancelPrefetch();
      this.#covers.prefetch(
        rows.flatMap((full) =>
          full?.cover_entry ? [{ fingerprint: full.fingerprint, loadImage: this.#coverLoader(full.path, full.format, full.cover_entry) }] : [],
        ),
      );
    })().catch((err: unknown) => {
      if (!this.#closed) this.#logger.warn(`cover prefetch failed: ${toLogFormat(err)}`);
    });
  }

  // Pages: the row says where the file is; pages/ does the rest (see pages/page-server.ts).
  async #pageSource(id: number): Promise<PageSource> {
    const row = await this.#row(id);
    return {
      id,
      file: this.#absolutePath(row.path),
      root: this.root,
      format: row.format,
      fingerprint: row.fingerprint,
      manga: row.manga,
      errorKind: row.error_kind,
      errorMessage: row.error_message,
    };
  }

  async listPages(id: number): Promise<PageList> {
    return this.#pages.listPages(await this.#pageSource(id));
  }

  async getPage(id: number, index: number, options?: PageRequestOptions): Promise<PageImage> {
    return this.#pages.getPage(await this.#pageSource(id), index, options);
  }

  async getFingerprint(id: number): Promise<string> {
    return (await this.#row(id)).fingerprint;
  }

  async getComicPath(id: number): Promise<string> {
    return this.#absolutePath((await this.#row(id)).path);
  }

  #identity(row: { fingerprint: string; path: string; series: string | null; number: string | null }): ComicIdentity {
    return { fingerprint: row.fingerprint, root: this.root, path: row.path, series: row.series, number: row.number };
  }

  /**
   * Resolves only once the change is committed to user.db (synchronous=FULL: on disk). user.db has no
   * long writers (rebuilds never touch it), so the write waits at most for another host's few-statement
   * transaction.
   */
  async setUserState(id: number, patch: Partial<UserState>): Promise<UserState> {
    const row = await this.#row(id);
    const { read, lastPage, favourite } = patch;
    return this.#user.updateState(this.#identity(row), {
      ...(read !== undefined ? { read } : {}),
      ...(lastPage !== undefined ? { lastPage } : {}),
      ...(favourite !== undefined ? { favourite } : {}),
    });
  }

  // ---- the user's data: export, import, orphans -----------------------------------------------

  #libraryComics(): Promise<LibraryComic[]> {
    return this.#read('identities');
  }

  /** This library's state (and its orphans') as a JSON document. */
  async exportUserState(): Promise<UserStateExport> {
    return exportState(this.#user, this.root, await this.#libraryComics());
  }

  /** Validates `doc` (BAD_REQUEST when it is not an export), backs user.db up, merges (newer wins). */
  async importUserState(doc: unknown): Promise<ImportReport> {
    let parsed: UserStateExport;
    try {
      parsed = parseExport(doc);
    } catch (err) {
      throw new LongboxError('BAD_REQUEST', messageOf(err));
    }
    await this.#user.backupNow('import');
    return importState(this.#user, this.root, await this.#libraryComics(), parsed);
  }

  /** State kept for comics whose files are gone from this library (they get it back if they return). */
  async listOrphans(): Promise<Array<{ fingerprint: string; path: string | null; updatedAt: number }>> {
    const live = new Set((await this.#libraryComics()).map((c) => c.fingerprint));
    return this.#user.orphans(this.root, live).map((o) => ({ fingerprint: o.fingerprint, path: o.lastPath, updatedAt: o.updatedAt }));
  }

  /** Deletes the orphans' state (after a backup). Refuses while the library has no generation yet. */
  async pruneOrphans(): Promise<number> {
    if (this.#reader.generationInfo().generation === 0) {
      throw new LongboxError('NO_LIBRARY', 'The library has not been scanned yet: every comic would look gone. Scan it first.');
    }
    const live = new Set((await this.#libraryComics()).map((c) => c.fingerprint));
    return this.#user.pruneOrphans(this.root, live);
  }

  async getReaderSettings(seriesKey: string): Promise<ReaderSettings | null> {
    return this.#user.getReaderSettings(seriesKey);
  }

  async setReaderSettings(seriesKey: string, settings: ReaderSettings): Promise<void> {
    this.#user.setReaderSettings(seriesKey, settings);
  }

  // ---- rebuilds (the scheduler's) -------------------------------------------------------------

  /** Starts a rebuild now, or one more after the running one; returns the status it was accepted with. */
  refresh(reason = 'user'): CacheStatus {
    return this.#rebuilds.refresh(reason);
  }

  async retryComic(id: number): Promise<void> {
    this.#rebuilds.retry((await this.#row(id)).path);
  }

  // Series, folders, Home and bulk read state: browse-service.ts.
  listSeries(query: SeriesQuery): Promise<SeriesPage> {
    return this.#browse.listSeries(query);
  }
  listFolder(path: string): Promise<FolderListing> {
    return this.#browse.listFolder(path);
  }
  getHome(): Promise<HomeShelves> {
    return this.#browse.getHome();
  }
  setReadState(request: BulkStateRequest): Promise<BulkStateResult> {
    return this.#browse.setReadState(request);
  }

  subscribe(listener: (event: LibraryEvent) => void): () => void {
    return this.#rebuilds.subscribe(listener);
  }

  whenIdle(): Promise<void> {
    return this.#rebuilds.whenIdle();
  }

  // ---- shutdown ------------------------------------------------------------------------------

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#rebuilds.close();
    await this.#covers.close();
    await this.#pages.close();
    await this.#reads.close();
    this.#readDb.close();
    this.#writeDb.close();
    await this.#user.close();
    this.#rebuilds.settleIdleWaiters();
  }
}

export async function openLibraryService(options: LibraryServiceOptions): Promise<LibraryService> {
  const user = await openUserStore({
    dir: options.userDataDir ?? options.dataDir,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    ...(options.userBackupKeep ? { keep: options.userBackupKeep } : {}),
    ...(options.userDbMaxPages !== undefined ? { maxPageCount: options.userDbMaxPages } : {}),
  });
  let service: LibraryService;
  try {
    service = new LibraryService(options, user);
  } catch (err) {
    await user.close();
    throw err;
  }
  await service.start();
  return service;
}
