// Pages for the reader: the page list of a comic (names, sizes, pixel sizes, direction) and one
// page's bytes, by comic id and 0-based index. The LibraryService resolves an id to a PageSource
// (its row) and hands it here; this module never sees SQL and never switches on the container
// format: everything goes through the archive layer.
import { LongboxError, messageOf } from '../../../shared/errors.js';
import type { ComicFormat, ErrorKind, PageInfo, PageList } from '../../../shared/types.js';
import { silentLogger, type Logger } from '../logger.js';
import type { PageImage, PageRequestOptions } from '../service-types.js';
import { errorForKind, toPageError } from './page-errors.js';
import { contentTypeOfImage } from './image-type.js';
import { createPageBackend, type PageBackend } from './page-pool.js';
import type { PageEntry } from './page-reader.js';
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
  /** Page worker threads (default min(2, cores)); 0 reads in this thread. */
  workers?: number;
  /** Archives kept open per worker (default 4). */
  maxOpenArchives?: number;
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

/** A two-page spread: wider than tall, or marked DoublePage. */
export function toPageInfo(entry: PageEntry, index: number): PageInfo {
  const wide = entry.width !== null && entry.height !== null && entry.width > entry.height;
  return { index, name: entry.name, size: entry.size, width: entry.width, height: entry.height, spread: wide || entry.doublePage };
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
  const backend: PageBackend = createPageBackend({
    logger,
    ...(options.workers === undefined ? {} : { workers: options.workers }),
    ...(options.maxOpenArchives === undefined ? {} : { maxOpen: options.maxOpenArchives }),
  });
  /** Concurrent first requests for one comic share one list. */
  const loading = new Map<string, Promise<CachedList>>();

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
    const running = loading.get(key);
    if (running) return running;
    const load = (async () => {
      try {
        const { pages, kind } = await backend.list(source.file, source.fingerprint);
        const list: PageList = { pages: pages.map(toPageInfo), direction: directionOf(source.manga), ...(kind === 'comic' ? {} : { kind }) };
        const value: CachedList = { list, names: pages.map((entry) => entry.name) };
        remember(key, value);
        return value;
      } catch (error) {
        throw await toPageError(error, source.file, source.root);
      }
    })().finally(() => loading.delete(key));
    loading.set(key, load);
    return load;
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
          return await backend.read(source.file, source.fingerprint, name, maxPageBytes);
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
      await backend.close();
    },
  };
}
