// The LibraryService as the hosts (HTTP server, Electron main/IPC) see it: the operations it shares
// with the UI's contract are LibraryApi's own (picked, not written again); the rest is the hosts' only.
import type { LibraryApi } from '../../shared/api.js';
import type { CacheStatus, ComicPage, ComicQuery } from '../../shared/types.js';
import type { ImportReport, UserStateExport } from './user/state-transfer.js';

/** The operations the service answers exactly as LibraryApi describes them. */
export type SharedLibraryOperations = Pick<
  LibraryApi,
  | 'listComics'
  | 'getComic'
  | 'listPages'
  | 'retryComic'
  | 'setUserState'
  | 'getReaderSettings'
  | 'setReaderSettings'
  | 'listSeries'
  | 'listFolder'
  | 'getHome'
  | 'setReadState'
  | 'subscribe'
>;

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

export interface LibraryServiceApi extends SharedLibraryOperations {
  /** Absolute path of the library folder. */
  readonly root: string;
  getStatus(): CacheStatus;
  /**
   * listComics with the items already as JSON text (`itemsJson` is `JSON.stringify(page.items)`): the
   * HTTP host sends it as it is, so the stringify (and the rows' garbage) stays off its main thread.
   * Optional: a service without it is asked listComics.
   */
  listComicsJson?(query: ComicQuery): Promise<Omit<ComicPage, 'items'> & { itemsJson: string }>;
  /** Cover thumbnail (made lazily, cached on disk by fingerprint). Rejects NOT_FOUND / UNSUPPORTED. */
  getCover(id: number): Promise<CoverImage>;
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
  /** This library's read state (and its orphans') as a JSON export (user/state-transfer.ts). */
  exportUserState(): Promise<UserStateExport>;
  /** Merges an export (newer wins) after a backup; rejects BAD_REQUEST for a document that is not one. */
  importUserState(doc: unknown): Promise<ImportReport>;
  /** State kept for comics whose files are gone from this library. */
  listOrphans(): Promise<Array<{ fingerprint: string; path: string | null; updatedAt: number }>>;
  /** Deletes that state (after a backup); returns how many comics' state was removed. */
  pruneOrphans(): Promise<number>;
  /** Resolves when no rebuild is running or queued (tests, `longbox scan`). */
  whenIdle(): Promise<void>;
  /** Stops the watcher, stops a running rebuild cleanly, releases the lock, closes the database. */
  close(): Promise<void>;
}
