// What the reader needs from the LibraryApi: a few library calls plus the page contract.
import type { LibraryApi } from '../../shared/api.js';
import type { ComicSummary, PageInfo, PageList } from '../../shared/types.js';

export type ReaderPage = PageInfo;
export type ReaderPageList = PageList;

export type ReaderApi = Pick<LibraryApi, 'getComic' | 'listComics' | 'setUserState' | 'listPages' | 'pageUrl'>;

/** The comic fields the reader uses (a ComicSummary from the grid, or a ComicDetail after a reload). */
export type ReaderComic = Pick<
  ComicSummary,
  'id' | 'fingerprint' | 'pageCount' | 'series' | 'seriesKey' | 'number' | 'title' | 'fileName' | 'read' | 'lastPage' | 'errorKind' | 'errorMessage'
>;
