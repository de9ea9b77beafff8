// The one contract between the UI and whatever hosts the library. Three bindings implement it:
// the Electron preload (ipcRenderer.invoke + events), the HTTP client (fetch + EventSource), and
// in-process adapters in tests.
import type {
  CacheStatus,
  ComicDetail,
  ComicPage,
  ComicQuery,
  HostCapabilities,
  LibraryEvent,
  LibraryInfo,
  UserState,
} from './types.js';

export interface LibraryApi {
  readonly capabilities: HostCapabilities;
  getStatus(): Promise<CacheStatus>;
  /** Answers at once from the current generation; waits only on a true cold start. */
  listComics(query: ComicQuery): Promise<ComicPage>;
  /** Rejects with LongboxError NOT_FOUND for an unknown id. */
  getComic(id: number): Promise<ComicDetail>;
  /** Starts a rebuild (or schedules one more after the running one). Resolves once accepted. */
  refresh(): Promise<void>;
  setUserState(id: number, patch: Partial<UserState>): Promise<UserState>;
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
  /** Returns the unsubscribe function. */
  subscribe(listener: (event: LibraryEvent) => void): () => void;
}
