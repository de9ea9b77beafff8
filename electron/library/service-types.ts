// The LibraryService as the hosts (HTTP server, Electron main/IPC) see it.
import type {
  BulkStateRequest,
  BulkStateResult,
  CacheStatus,
  ComicDetail,
  ComicPage,
  ComicQuery,
  FolderListing,
  HomeShelves,
  LibraryEvent,
  PageList,
  ReaderSettings,
  SeriesPage,
  SeriesQuery,
  UserState,
} from '../../shared/types.js';
import type { ImportReport, UserStateExport } from './user/state-transfer.js';

export interface CoverImage {
  data: Buffer;
  contentType: string;
}

/** One page image: the archive entry's bytes (or a resized copy when a width was asked for). */
export interface PageImage {
  data: Buffer;
  contentType: string;
  /** The comic's content fingerprint: the page's ETag (the bytes change only with it). */
  fingerprint: string;
}

export interface PageRequestOptions {
  /** Resize to at most this many pixels wide (PAGE_WIDTH_MIN…PAGE_WIDTH_MAX); never enlarged. */
  width?: number;
}

export interface LibraryServiceApi {
  /** Absolute path of the library folder. */
  readonly root: string;
  getStatus(): CacheStatus;
  /** From the current generation at once; on a cold start, waits for the first generation. */
  listComics(query: ComicQuery): Promise<ComicPage>;
  /**
   * listComics with the items already as JSON text (`itemsJson` is `JSON.stringify(page.items)`): the
   * HTTP host sends it as it is, so the stringify (and the rows' garbage) stays off its main thread.
   * Optional: a service without it is asked listComics.
   */
  listComicsJson?(query: ComicQuery): Promise<Omit<ComicPage, 'items'> & { itemsJson: string }>;
  /** Rejects with LongboxError('NOT_FOUND') for an unknown id. */
  getComic(id: number): Promise<ComicDetail>;
  /** Cover thumbnail (made lazily, cached on disk by fingerprint). Rejects NOT_FOUND / UNSUPPORTED. */
  getCover(id: number): Promise<CoverImage>;
  /** Pages in reading order with sizes and direction. Rejects NOT_FOUND, ENCRYPTED, PAGE_DAMAGED, FILE_MISSING, ROOT_UNREADABLE. */
  listPages(id: number): Promise<PageList>;
  /**
   * One page's bytes, by 0-based index. Rejects NOT_FOUND for an unknown id or an index past the end,
   * and like listPages for an unreadable file; never resolves with a partial image.
   */
  getPage(id: number, index: number, options?: PageRequestOptions): Promise<PageImage>;
  /** The comic's fingerprint (a page's ETag) from its row, without opening the file: answers If-None-Match. Rejects NOT_FOUND. */
  getFingerprint(id: number): Promise<string>;
  /** Absolute path of a library file, for "open" and "reveal"; only ids map to paths. */
  getComicPath(id: number): Promise<string>;
  /** Starts a rebuild now, or sets "run once more" if one is running. Returns at once, with the status it was accepted with. */
  refresh(reason?: string): CacheStatus;
  /** Reads this comic's file again in a rebuild started now (or right after the running one). */
  retryComic(id: number): Promise<void>;
  setUserState(id: number, patch: Partial<UserState>): Promise<UserState>;
  /** Reader settings of one series from user.db; null when never saved. */
  getReaderSettings(seriesKey: string): Promise<ReaderSettings | null>;
  /** Resolves once the settings are durably in user.db. */
  setReaderSettings(seriesKey: string, settings: ReaderSettings): Promise<void>;
  /** Series of the current generation, paged (with unread counts from the user's state). */
  listSeries(query: SeriesQuery): Promise<SeriesPage>;
  /** A folder's sub-folders and counts. Rejects NOT_FOUND for a folder with no comics in or below it. */
  listFolder(path: string): Promise<FolderListing>;
  /** Continue reading, On deck, Recently added. */
  getHome(): Promise<HomeShelves>;
  /** Marks a selection, a series or a folder read/unread in one transaction. Rejects NOT_FOUND for unknown targets. */
  setReadState(request: BulkStateRequest): Promise<BulkStateResult>;
  /** This library's read state (and its orphans') as a JSON export (user/state-transfer.ts). */
  exportUserState(): Promise<UserStateExport>;
  /** Merges an export (newer wins) after a backup; rejects BAD_REQUEST for a document that is not one. */
  importUserState(doc: unknown): Promise<ImportReport>;
  /** State kept for comics whose files are gone from this library. */
  listOrphans(): Promise<Array<{ fingerprint: string; path: string | null; updatedAt: number }>>;
  /** Deletes that state (after a backup); returns how many comics' state was removed. */
  pruneOrphans(): Promise<number>;
  /** Returns the unsubscribe function. */
  subscribe(listener: (event: LibraryEvent) => void): () => void;
  /** Resolves when no rebuild is running or queued (tests, `longbox scan`). */
  whenIdle(): Promise<void>;
  /** Stops the watcher, stops a running rebuild cleanly, releases the lock, closes the database. */
  close(): Promise<void>;
}
