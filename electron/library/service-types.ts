// The LibraryService as the hosts (HTTP server, Electron main/IPC) see it.
import type { CacheStatus, ComicDetail, ComicPage, ComicQuery, LibraryEvent, UserState } from '../../shared/types.js';

export interface CoverImage {
  data: Buffer;
  contentType: string;
}

export interface LibraryServiceApi {
  /** Absolute path of the library folder. */
  readonly root: string;
  getStatus(): CacheStatus;
  /** From the current generation at once; on a cold start, waits for the first generation. */
  listComics(query: ComicQuery): Promise<ComicPage>;
  /** Rejects with LongboxError('NOT_FOUND') for an unknown id. */
  getComic(id: number): Promise<ComicDetail>;
  /** Cover thumbnail (made lazily, cached on disk by fingerprint). Rejects NOT_FOUND / UNSUPPORTED. */
  getCover(id: number): Promise<CoverImage>;
  /** Absolute path of a library file, for "open" and "reveal"; only ids map to paths. */
  getComicPath(id: number): Promise<string>;
  /** Starts a rebuild now, or sets "run once more" if one is running. Returns at once, with the status it was accepted with. */
  refresh(reason?: string): CacheStatus;
  /** Reads this comic's file again in a rebuild started now (or right after the running one). */
  retryComic(id: number): Promise<void>;
  setUserState(id: number, patch: Partial<UserState>): Promise<UserState>;
  /** Returns the unsubscribe function. */
  subscribe(listener: (event: LibraryEvent) => void): () => void;
  /** Resolves when no rebuild is running or queued (tests, `longbox scan`). */
  whenIdle(): Promise<void>;
  /** Stops the watcher, stops a running rebuild cleanly, releases the lock, closes the database. */
  close(): Promise<void>;
}
