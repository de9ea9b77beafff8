// The browse half of the LibraryService: series, folders, Home and bulk read state over the live
// generation. The LibraryService owns the connections and the rebuilds; this only answers and writes.
import { LongboxError } from '../../shared/errors.js';
import type {
  BulkStateRequest,
  BulkStateResult,
  ComicQuery,
  FolderListing,
  HomeShelves,
  SeriesPage,
  SeriesQuery,
} from '../../shared/types.js';
import type { Logger } from './logger.js';
import { BrowseReader } from './store/browse-reader.js';
import type { Db } from './store/open-database.js';
import type { UserStore } from './user/user-store.js';

export interface BrowseServiceDeps {
  readDb: Db;
  /** user.db: where bulk read state is written. */
  user: UserStore;
  /** The library root, recorded with each state row (orphans are per library). */
  root: string;
  logger: Logger;
  /** Resolves once there is a generation to answer from (waits only on a cold start). */
  whenPopulated(): Promise<void>;
  /** true while a rebuild runs: answers come from the last complete generation. */
  isStale(): boolean;
}

const SLOW_MS = 40;

export class BrowseService {
  readonly #deps: BrowseServiceDeps;
  readonly #reader: BrowseReader;

  constructor(deps: BrowseServiceDeps) {
    this.#deps = deps;
    this.#reader = new BrowseReader(deps.readDb);
  }

  #timed<T>(what: string, run: () => T): T {
    const started = performance.now();
    const result = run();
    const ms = performance.now() - started;
    if (ms > SLOW_MS) this.#deps.logger.warn(`slow ${what} (${ms.toFixed(1)} ms)`);
    return result;
  }

  async listSeries(query: SeriesQuery): Promise<SeriesPage> {
    await this.#deps.whenPopulated();
    const rows = this.#timed(`series query ${JSON.stringify(query)}`, () => this.#reader.listSeries(query));
    return { items: rows.items, total: rows.total, offset: query.offset, generation: rows.generation, stale: this.#deps.isStale() };
  }

  async listFolder(path: string): Promise<FolderListing> {
    await this.#deps.whenPopulated();
    const rows = this.#timed(`folder listing`, () => this.#reader.listFolder(path));
    if (!rows) throw new LongboxError('NOT_FOUND', 'No such folder in this library (or no comics in it).');
    return { ...rows, stale: this.#deps.isStale() };
  }

  async getHome(): Promise<HomeShelves> {
    await this.#deps.whenPopulated();
    const rows = this.#timed('home shelves', () => this.#reader.home());
    return { ...rows, stale: this.#deps.isStale() };
  }

  /** A series or folder filter must name one that exists: a stale link says so instead of listing nothing. */
  checkComicQuery(query: ComicQuery): void {
    if (query.series !== undefined && !this.#reader.getSeries(query.series)) {
      throw new LongboxError('NOT_FOUND', 'No such series in this library.');
    }
    if (query.folder !== undefined && query.folder !== '' && !this.#reader.folderCounts(query.folder)) {
      throw new LongboxError('NOT_FOUND', 'No such folder in this library (or no comics in it).');
    }
  }

  async setReadState(request: BulkStateRequest): Promise<BulkStateResult> {
    await this.#deps.whenPopulated();
    const { count, comics } = this.#reader.targetOf(request);
    // One IMMEDIATE transaction in user.db for the whole selection. Marking unread also forgets the page
    // (the comic is "not started" again and leaves Continue Reading); favourites are kept either way.
    this.#deps.user.updateStates(
      comics.map((c) => ({ ...c, root: this.#deps.root })),
      request.read ? { read: true } : { read: false, lastPage: null },
    );
    return { count, read: request.read };
  }
}
