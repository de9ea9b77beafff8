// Domain types shared by every layer (engine, hosts, renderer). Pure TypeScript: no Node, DOM or Electron.
import type { ErrorCode } from './errors.js';
import type { ComicFormat, ComicMetadata, ComicSummaryColumns, MetadataSources } from './comic-fields.js';

export { COMIC_FORMATS } from './comic-fields.js';
export type { ComicFormat, ComicMetadata, ErrorKind, FieldSource, MetadataField, MetadataSources } from './comic-fields.js';

/** A comic (pages to read) or a text book (an EPUB of flowing text: listed with its cover, read elsewhere). */
export type BookKind = 'comic' | 'text-book';

/** What a reader may mark per comic; keyed by fingerprint so it survives renames, moves and rebuilds. */
export interface UserState {
  read: boolean;
  /** Last page read, 0-based; null when never opened. */
  lastPage: number | null;
  favourite: boolean;
  /** When the comic was last read (last page moved, or marked read), epoch ms; null when never. */
  lastReadAt: number | null;
}

/** How the reader shows one series; stored per series key in user.db. */
export interface ReaderSettings {
  mode: 'single' | 'double' | 'webtoon';
  direction: 'ltr' | 'rtl';
  fit: 'width' | 'height' | 'screen' | 'original';
  zoom: number;
}

/** Something about the user's own data the UI must tell (e.g. user.db was restored from a backup). */
export interface UserDataNotice {
  message: string;
  /** Epoch ms. */
  at: number;
}

/**
 * One row of the library list: everything the grid, the list view and the filters need. The columns'
 * part (file facts, the listed metadata fields) follows the row table in comic-fields.ts.
 */
export interface ComicSummary extends ComicSummaryColumns {
  read: boolean;
  /** UserState.favourite: the star on the cover and in the details. */
  favourite: boolean;
  /** Last page read (0-based, UserState.lastPage); null when never opened. The grid's progress bar. */
  lastPage: number | null;
}

export interface ComicDetail extends ComicSummary {
  metadata: ComicMetadata;
  sources: MetadataSources;
  /** Image entries in reading order (capped for huge archives; pageCount is the full count). */
  pages: string[];
  /** 'text-book' for an EPUB of flowing text (listed with its cover, read in another app). Absent: a comic. */
  kind?: BookKind;
  duplicates: Array<{ id: number; path: string }>;
  lastChangedAt: number;
  userState: UserState;
}

/** One page of a comic, in reading order (GET /api/comics/:id/pages, LibraryApi.listPages). */
export interface PageInfo {
  /** 0-based position in reading order; the `:index` of the page URL. */
  index: number;
  /** Entry name inside the archive (display only: never a path on disk). */
  name: string;
  /** Uncompressed size in bytes as the archive declares it. */
  size: number;
  /** Pixel size from the image header (or ComicInfo <Pages>), already turned by EXIF orientation; null when unknown. */
  width: number | null;
  height: number | null;
  /** Wider than tall, or marked DoublePage in ComicInfo: a two-page spread, shown alone. */
  spread: boolean;
}

export type ReadingDirection = 'ltr' | 'rtl';

export interface PageList {
  pages: PageInfo[];
  /** 'rtl' when ComicInfo says Manga=YesAndRightToLeft. */
  direction: ReadingDirection;
  /** 'text-book' for an EPUB of flowing text: its one page is the cover; the reader says so. Absent: a comic. */
  kind?: BookKind;
}

export const SORT_KEYS = ['series', 'title', 'added', 'size', 'file'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortOrder = 'asc' | 'desc';

export interface ComicFilter {
  formats?: ComicFormat[];
  /** true: only files with an error; false: only readable files. */
  hasError?: boolean;
  /** Only files that have at least one duplicate. */
  duplicates?: boolean;
  /** Only files not marked read. */
  unread?: boolean;
  /** Only the user's favourites. */
  favourite?: boolean;
}

export interface ComicQuery {
  offset: number;
  limit: number;
  /** Free-text search over series, title, writer and file name (prefix match per word). */
  q?: string;
  sort: SortKey;
  order: SortOrder;
  filter?: ComicFilter;
  /** Only the issues of this series (a SeriesSummary key). */
  series?: string;
  /** Only the comics directly in this folder (relative to the root, '' = the root itself)... */
  folder?: string;
  /** ...or, with `recursive`, everything below it too. */
  recursive?: boolean;
}

export interface ComicPage {
  items: ComicSummary[];
  total: number;
  offset: number;
  generation: number;
  /** true while a rebuild is running: the rows are the last complete generation. */
  stale: boolean;
}

export type RebuildPhase = 'idle' | 'scanning' | 'enriching' | 'writing' | 'swapping';

export interface RebuildProgress {
  done: number;
  total: number;
  files_per_second: number;
  eta_seconds: number | null;
}

export interface CacheError {
  message: string;
  /** The failure's code, e.g. ROOT_UNREADABLE. */
  code: ErrorCode;
  /** Epoch ms. */
  at: number;
}

/** What the last rebuild changed that the user should be told about (folders gone, comics back). */
export interface LibraryChange {
  /** Epoch ms of the rebuild that found it. */
  at: number;
  /** Folders that left the library as a whole, with how many comics each held. */
  goneFolders: Array<{ folder: string; count: number }>;
  /** Comics that came back with the id, "Date added" and reading state they had before. */
  returned: number;
}

/** The cache's state. The first four fields keep the original web app's `enriched_file_cache` shape. */
export interface CacheStatus {
  file_count: number;
  age_seconds: number | null;
  is_populated: boolean;
  rebuild_in_progress: boolean;
  generation: number;
  phase: RebuildPhase;
  progress: RebuildProgress | null;
  last_error: CacheError | null;
  last_duration_ms: number | null;
  library_root: string | null;
  /** Files in the current generation that have an error row. */
  error_count: number;
  /** A rebuild is being run by another process on the same data dir. */
  rebuild_owner: 'self' | 'other' | null;
  /** Set when user.db had to be restored or could not be read; shown in the banner. */
  user_data_notice: UserDataNotice | null;
  /** Folders gone / comics back in the last rebuild that had any; absent or null otherwise. */
  last_change?: LibraryChange | null;
}

export type LibraryEvent =
  | Readonly<{ type: 'status'; status: CacheStatus }>
  | Readonly<{ type: 'library-changed'; generation: number }>;

export interface LibraryInfo {
  root: string;
  isSample: boolean;
}

/** What a host can do beyond the LibraryApi basics (the browser build cannot open native dialogs). */
export interface HostCapabilities {
  chooseFolder: boolean;
  openFile: boolean;
  revealFile: boolean;
  /** The host's application menu owns the refresh shortcut (F5, Ctrl/Cmd+R): the page must not also act on it. */
  appMenu?: boolean;
}

// ---- Browse: series, folders, home shelves, read state in bulk (snake_case as the HTTP API states it).

export const SERIES_SORT_KEYS = ['name', 'year', 'added', 'issues'] as const;
export type SeriesSortKey = (typeof SERIES_SORT_KEYS)[number];

export interface SeriesQuery {
  offset: number;
  limit: number;
  /** Searches series names (and publishers), prefix match per word. */
  q?: string;
  sort: SeriesSortKey;
  order: SortOrder;
}

/** One series of the current generation: a normalised (name, volume) of the merged metadata. */
export interface SeriesSummary {
  /** Stable identity (ComicSummary.seriesKey), e.g. `cyclone-rebirth~2`. */
  key: string;
  /** The spelling most of its issues carry. */
  name: string;
  volume: number | null;
  /** The first year any issue carries. */
  year: number | null;
  publisher: string | null;
  issue_count: number;
  /** Issues not marked read, from the user's state. */
  unread_count: number;
  /** The first readable issue, for the cover. */
  cover_id: number;
  /** That issue's fingerprint, for coverUrl's cache busting. */
  cover_fingerprint: string;
}

export interface SeriesPage {
  items: SeriesSummary[];
  total: number;
  offset: number;
  generation: number;
  stale: boolean;
}

export interface FolderEntry {
  name: string;
  /** Relative to the library root, forward slashes. */
  path: string;
  /** Comics in it and below it. */
  comic_count: number;
}

export interface FolderListing {
  /** '' is the library root. */
  path: string;
  /** Sub-folders that hold comics, in natural name order. */
  folders: FolderEntry[];
  /** Comics in this folder and below it. */
  comic_count: number;
  /** Comics directly in this folder (listed by `listComics({ folder })`). */
  direct_count: number;
  generation: number;
  stale: boolean;
}

/** A comic on a Home shelf (its summary carries where the reader left it: lastPage). */
export type HomeComic = ComicSummary;

export interface HomeShelves {
  /** Started, not finished, most recently read first. */
  continue: HomeComic[];
  /** The next unread issue of each series the user is reading. */
  on_deck: HomeComic[];
  /** Most recently added (first seen) first. */
  recent: HomeComic[];
  generation: number;
  stale: boolean;
}

/** What a bulk read-state change applies to: a selection, a whole series or a whole folder (with everything below it). */
export type ReadStateTarget = { ids: number[] } | { series: string } | { folder: string };
/** One change per request: mark read/unread, or add to/remove from the favourites. */
export type BulkStateChange = { read: boolean } | { favourite: boolean };
export type BulkStateRequest = ReadStateTarget & BulkStateChange;

export interface BulkStateResult {
  /** Comics the change applied to (duplicates share one state: they count once per file). */
  count: number;
  /** The change as asked for (`read` or `favourite`). */
  read?: boolean;
  favourite?: boolean;
}
