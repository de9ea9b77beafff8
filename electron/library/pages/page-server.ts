// Pages for the reader: the page list of a comic (names, sizes, pixel sizes, direction) and one
// page's bytes, by comic id and 0-based index. The LibraryService resolves an id to a PageSource
// (its row) and hands it here; this module never sees SQL and never switches on the container
// format: everything goes through the archive layer.
import { LongboxError, messageOf } from '../../../shared/errors.js';
import type { ComicFormat, ErrorKind, PageInfo, PageList } from '../../../shared/types.js';
import { readArchiveEntry, readArchiveIndex, listPages as orderPages } from '../archive/index.js';
import { silentLogger, type Logger } from '../logger.js';
import type { PageImage, PageRequestOptions } from '../service-types.js';
import { errorForKind, toPageError } from './page-errors.js';
import { contentTypeOfImage } from './image-type.js';
import { createPageResizer } from './page-resize.js';

/** What the service knows about a comic from its row. */
export interface PageSource {
  id: number;
  /** Absolute path of the comic's file. */
  file: string;
  /** Absolute path of the library folder (to tell an offline disk from a vanished file). */
  root: string;
  format: ComicFormat;
  fingerprint: string;
  /** ComicInfo's Manga value as stored (e.g. 'YesAndRightToLeft'). */
  manga: string | null;
  errorKind: ErrorKind | null;
  errorMessage: string | null;
}

export interface PageServerOptions {
  /** Where resized copies (`width`) are cached, e.g. `<data dir>/pages`. */
  resizedDir: string;
  logger?: Logger;
  /** Page lists kept in memory, by fingerprint (default 64). */
  listCacheSize?: number;
  /** Refuse pages larger than this (default 64 MiB, the archive layer's entry limit). */
  maxPageBytes?: number;
}

export interface PageServer {
  listPages(source: PageSource): Promise<PageList>;
  getPage(source: PageSource, index: number, options?: PageRequestOptions): Promise<PageImage>;
  close(): Promise<void>;
}

interface CachedList {
  list: PageList;
  names: string[];
}

export function directionOf(manga: string | null): PageList['direction'] {
  return manga !== null && manga.toLowerCase() === 'yesandrighttoleft' ? 'rtl' : 'ltr';
}

export function createPageServer(options: PageServerOptions): PageServer {
  const logger = options.logger ?? silentLogger;
  const listCacheSize = Math.max(1, options.listCacheSize ?? 64);
  const maxPageBytes = options.maxPageBytes ?? 64 * 1024 * 1024;
  /** Insertion order = recency (a hit is re-inserted). */
  const lists = new Map<string, CachedList>();
  const resizer = createPageResizer({ dir: options.resizedDir, logger });

  function remember(key: string, value: CachedList): void {
    lists.delete(key);
    lists.set(key, value);
    while (lists.size > listCacheSize) lists.delete(lists.keys().next().value as string);
  }

  async function loadList(source: PageSource): Promise<CachedList> {
    if (source.errorKind !== null) throw errorForKind(source.errorKind, source.errorMessage ?? source.errorKind);
    const key = `${source.fingerprint}\0${source.file}`;
    const cached = lists.get(key);
    if (cached) {
      remember(key, cached);
      return cached;
    }
    try {
      const index = await readArchiveIndex(source.file);
      const sizes = new Map(index.entries.filter((entry) => !entry.isDirectory).map((entry) => [entry.name, entry.size]));
      const names = orderPages(index.entries);
      const pages: PageInfo[] = names.map((name, i) => ({ index: i, name, size: sizes.get(name) ?? 0, width: null, height: null, spread: false }));
      const value: CachedList = { list: { pages, direction: directionOf(source.manga) }, names };
      remember(key, value);
      return value;
    } catch (error) {
      throw await toPageError(error, source.file, source.root);
    }
  }

  return {
    async listPages(source) {
      return (await loadList(source)).list;
    },
    async getPage(source, index, request = {}) {
      const { names } = await loadList(source);
      if (!Number.isInteger(index) || index < 0 || index >= names.length) {
        throw new LongboxError('NOT_FOUND', `Page ${index} does not exist: the comic has ${names.length} page(s).`);
      }
      const name = names[index];
      const read = async (): Promise<Buffer> => {
        try {
          return await readArchiveEntry(source.file, source.format, name, { maxBytes: maxPageBytes });
        } catch (error) {
          const mapped = await toPageError(error, source.file, source.root);
          logger.debug(`page ${index} of ${source.file}: ${messageOf(mapped)}`);
          throw mapped;
        }
      };
      if (request.width !== undefined) {
        try {
          const resized = await resizer.resize(source.fingerprint, index, request.width, read);
          return { ...resized, fingerprint: source.fingerprint };
        } catch (error) {
          if (error instanceof LongboxError) throw error;
          throw new LongboxError('PAGE_DAMAGED', `Page ${index + 1} could not be decoded: ${messageOf(error)}`);
        }
      }
      const data = await read();
      return { data, contentType: contentTypeOfImage(data, name), fingerprint: source.fingerprint };
    },
    async close() {
      lists.clear();
    },
  };
}
