// The one contract between the UI and whatever hosts the library. Three bindings implement it:
// the Electron preload (ipcRenderer.invoke + events), the HTTP client (fetch + EventSource), and
// in-process adapters in tests.
import type {
  BulkStateRequest,
  BulkStateResult,
  FolderListing,
  HomeShelves,
  SeriesPage,
  SeriesQuery,
  CacheStatus,
  ComicDetail,
  ComicPage,
  ComicQuery,
  HostCapabilities,
  LibraryEvent,
  LibraryInfo,
  PageList,
  ReaderSettings,
  UserState,
} from './types.js';

export interface LibraryApi {
  readonly capabilities: HostCapabilities;
  getStatus(): Promise<CacheStatus>;
  /** Answers at once from the current generation; waits only on a true cold start. */
  listComics(query: ComicQuery): Promise<ComicPage>;
  /** Rejects with LongboxError NOT_FOUND for an unknown id. */
  getComic(id: number): Promise<ComicDetail>;
  /**
   * Starts a rebuild (or schedules one more after the running one). Resolves once accepted, with the
   * status the host accepted it with (normally rebuild_in_progress: true; events tell the rest).
   */
  refresh(): Promise<CacheStatus>;
  setUserState(id: number, patch: Partial<UserState>): Promise<UserState>;
  /** The reader's settings for one series (key chosen by the reader), null when never saved. */
  getReaderSettings(seriesKey: string): Promise<ReaderSettings | null>;
  /** Saved durably in user.db before it resolves. Rejects BAD_REQUEST for invalid settings. */
  setReaderSettings(seriesKey: string, settings: ReaderSettings): Promise<void>;
  /** The series shelf (paged, searchable by name), with unread counts. */
  listSeries(query: SeriesQuery): Promise<SeriesPage>;
  /** A folder's sub-folders (path relative to the root, '' = root). Rejects NOT_FOUND for a folder with no comics in or below it. */
  listFolder(path: string): Promise<FolderListing>;
  /** Continue reading, On deck, Recently added. */
  getHome(): Promise<HomeShelves>;
  /** Marks a selection, a whole series or a whole folder read/unread in one transaction. Rejects NOT_FOUND for unknown targets. */
  setReadState(request: BulkStateRequest): Promise<BulkStateResult>;
  getLibrary(): Promise<LibraryInfo | null>;
  /** Asks the host for a folder (native dialog). Resolves null when cancelled or unsupported. */
  chooseLibrary(): Promise<LibraryInfo | null>;
  openSampleLibrary(): Promise<LibraryInfo>;
  openComic(id: number): Promise<void>;
  revealComic(id: number): Promise<void>;
  /** Reads this comic's file again (a rebuild starts; the row changes when it lands). */
  retryComic(id: number): Promise<void>;
  /** URL of the cover thumbnail; `fingerprint` busts the browser cache when the file changes. */
  coverUrl(id: number, fingerprint: string): string;
  /**
   * The comic's pages in reading order with their pixel sizes (from image headers, never by decoding
   * whole pages) and the reading direction. Rejects NOT_FOUND for an unknown id, ENCRYPTED for a
   * password-protected archive, PAGE_DAMAGED for an unreadable one, FILE_MISSING when the file is
   * gone, ROOT_UNREADABLE when the library folder is offline.
   */
  listPages(id: number): Promise<PageList>;
  /**
   * URL of one page image (`index` 0-based, as in listPages). `fingerprint` (ComicSummary.fingerprint)
   * makes the URL immutable; `width` asks for a copy resized to at most that many pixels wide
   * (PAGE_WIDTH_MIN…PAGE_WIDTH_MAX), for huge scans. An <img> with this URL fails (no image) on any error.
   */
  pageUrl(id: number, index: number, fingerprint: string, width?: number): string;
  /** Returns the unsubscribe function. */
  subscribe(listener: (event: LibraryEvent) => void): () => void;
}
