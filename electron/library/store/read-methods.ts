// Every read the LibraryService asks of the cache, as one table of functions over a reader pair. The
// same table runs on the host's main thread (in-thread reads) and in the reader threads (read-pool.ts),
// so both answer with the same rows by construction; only the transport differs. Each function answers
// from one read transaction where it needs several statements (one complete generation).
import { LongboxError } from '../../../shared/errors.js';
import type { ComicQuery, ComicSummary, ReadStateTarget, SeriesQuery } from '../../../shared/types.js';
import { BrowseReader, type FolderRows, type HomeRows, type SeriesRows, type TargetComic } from './browse-reader.js';
import { toComicSummary, type StoredRow } from './comic-row.js';
import { LibraryReader } from './library-reader.js';
import type { Db } from './db.js';
import { AnswerCache, answerCacheEnabled } from './answer-cache.js';

/** The two readers over one read-only connection to library.db (with user.db attached). */
export interface ReadSide {
  library: LibraryReader;
  browse: BrowseReader;
  /** The repeatable reads' answers of the current snapshot (answer-cache.ts); null when turned off. */
  answers: AnswerCache | null;
}

export function openReadSide(db: Db, userDbFile: string | undefined, options: { answerCache?: boolean } = {}): ReadSide {
  const library = new LibraryReader(db, userDbFile !== undefined ? { userDbFile } : {});
  const browse = new BrowseReader(db);
  return { library, browse, answers: (options.answerCache ?? answerCacheEnabled()) ? new AnswerCache(browse) : null };
}

export interface ComicRows {
  items: ComicSummary[];
  total: number;
  generation: number;
}

/**
 * A page of comics with the items as JSON: building and stringifying the rows stays in the reader thread,
 * so the host's main thread neither rebuilds 100 objects from the structured clone nor stringifies them
 * (nor collects their garbage): one string crosses.
 */
export interface ComicRowsJson {
  itemsJson: string;
  total: number;
  generation: number;
}

export type DetailRow = StoredRow & { read: number; last_page: number | null; favourite: number };

export interface ComicIdentityRow {
  id: number;
  fingerprint: string;
  path: string;
  series: string | null;
  number: string | null;
}

/** A series or folder filter must name one that exists: a stale link says so instead of listing nothing. */
function checkComicQuery(browse: BrowseReader, query: ComicQuery): void {
  if (query.series !== undefined && !browse.getSeries(query.series)) {
    throw new LongboxError('NOT_FOUND', 'No such series in this library.');
  }
  if (query.folder !== undefined && query.folder !== '' && !browse.folderCounts(query.folder)) {
    throw new LongboxError('NOT_FOUND', 'No such folder in this library (or no comics in it).');
  }
}

export const READ_METHODS = {
  listComics(side: ReadSide, query: ComicQuery): ComicRows {
    checkComicQuery(side.browse, query);
    const result = side.library.list(query);
    return { items: result.rows.map(toComicSummary), total: result.total, generation: result.generation };
  },
  /** The same page with its items already as JSON text: the HTTP host sends it as it is. */
  listComicsJson(side: ReadSide, query: ComicQuery): ComicRowsJson {
    const { items, total, generation } = READ_METHODS.listComics(side, query);
    return { itemsJson: JSON.stringify(items), total, generation };
  },
  getRow(side: ReadSide, id: number): DetailRow | undefined {
    return side.library.getRow(id);
  },
  duplicatesOf(side: ReadSide, fingerprint: string, exceptId: number): Array<{ id: number; path: string }> {
    return side.library.duplicatesOf(fingerprint, exceptId);
  },
  identities(side: ReadSide): ComicIdentityRow[] {
    return side.library.identities();
  },
  listSeries(side: ReadSide, query: SeriesQuery): SeriesRows {
    return side.browse.listSeries(query);
  },
  listFolder(side: ReadSide, path: string): FolderRows | undefined {
    return side.browse.listFolder(path);
  },
  home(side: ReadSide): HomeRows {
    return side.browse.home();
  },
  targetOf(side: ReadSide, target: ReadStateTarget): { count: number; comics: TargetComic[] } {
    return side.browse.targetOf(target);
  },
} as const;

export type ReadMethods = typeof READ_METHODS;
export type ReadName = keyof ReadMethods;
export type ReadArgs<K extends ReadName> = ReadMethods[K] extends (side: ReadSide, ...args: infer A) => unknown ? A : never;
export type ReadAnswer<K extends ReadName> = ReturnType<ReadMethods[K]>;

export const READ_NAMES = Object.keys(READ_METHODS) as ReadName[];

export function isReadName(value: unknown): value is ReadName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(READ_METHODS, value);
}

/**
 * The reads a UI repeats with the same arguments (refetches on library-changed, scrolling back, the
 * view switch): their answers are kept per snapshot (answer-cache.ts). Not the detail reads (one per
 * comic opened) nor targetOf (it precedes a write).
 */
const REPEATABLE_READS: ReadonlySet<ReadName> = new Set<ReadName>(['listComics', 'listComicsJson', 'listSeries', 'listFolder', 'home']);

/** Runs one read of the table on `side` (synchronously, on the calling thread). */
export function runRead<K extends ReadName>(side: ReadSide, name: K, args: ReadArgs<K>): ReadAnswer<K> {
  const method = READ_METHODS[name] as unknown as (side: ReadSide, ...args: ReadArgs<K>) => ReadAnswer<K>;
  if (side.answers && REPEATABLE_READS.has(name)) return side.answers.answer(`${name}\u0000${JSON.stringify(args)}`, () => method(side, ...args));
  return method(side, ...args);
}

/** How the service asks for reads: on its own thread or in a reader thread, always as a promise. */
export interface CacheReads {
  call<K extends ReadName>(name: K, ...args: ReadArgs<K>): Promise<ReadAnswer<K>>;
  close(): Promise<void>;
}

/** Reads on the calling thread (the switch `readThreads: 0`, and the pool's fallback while it starts). */
export class InThreadReads implements CacheReads {
  readonly #side: ReadSide;
  constructor(side: ReadSide) {
    this.#side = side;
  }
  call<K extends ReadName>(name: K, ...args: ReadArgs<K>): Promise<ReadAnswer<K>> {
    try {
      return Promise.resolve(runRead(this.#side, name, args));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }
  async close(): Promise<void> {}
}
