// What the reader needs from the LibraryApi: the library calls plus the page contract.
import type { LibraryApi } from '../../shared/api.js';
import type { ComicSummary } from '../../shared/types.js';

export interface ReaderPage {
  index: number;
  name: string;
  size: number;
  width: number | null;
  height: number | null;
  spread: boolean;
}

export interface ReaderPageList {
  pages: ReaderPage[];
  direction: 'ltr' | 'rtl';
}

export interface ReaderApi extends Pick<LibraryApi, 'getComic' | 'listComics' | 'setUserState'> {
  listPages(id: number): Promise<ReaderPageList>;
  pageUrl(id: number, index: number, fingerprint: string, width?: number): string;
}

/** The comic fields the reader uses (a ComicSummary from the grid, or a ComicDetail after a reload). */
export type ReaderComic = Pick<
  ComicSummary,
  'id' | 'fingerprint' | 'pageCount' | 'series' | 'seriesKey' | 'number' | 'title' | 'fileName' | 'read' | 'lastPage' | 'errorKind' | 'errorMessage'
>;
