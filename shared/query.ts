// Validation of everything a client may send. Used by the IPC handlers and the HTTP routes, so both
// refuse the same bad input with the same messages.
import { z } from 'zod';
import { COMIC_FORMATS, SORT_KEYS, type ComicQuery, type ComicFilter, type ReaderSettings } from './types.js';

export const MAX_PAGE_SIZE = 500;
export const MAX_QUERY_LENGTH = 200;
/** Far beyond any real library; keeps offsets inside SQLite's integer range and out of silly work. */
export const MAX_OFFSET = 10_000_000;

export const comicFilterSchema = z
  .object({
    formats: z.array(z.enum(COMIC_FORMATS)).max(COMIC_FORMATS.length).optional(),
    hasError: z.boolean().optional(),
    duplicates: z.boolean().optional(),
    unread: z.boolean().optional(),
    favourite: z.boolean().optional(),
  })
  .strict();

/** A series key (ComicSummary.seriesKey): name words joined by '-', then `~volume` when there is one. */
export const SERIES_KEY_PATTERN = /^(?:[\p{L}\p{M}\p{N}]+(?:-[\p{L}\p{M}\p{N}]+)*|_)(?:~-?\d{1,12})?$/u;
export const seriesIdentitySchema = z.string().min(1).max(400).regex(SERIES_KEY_PATTERN, 'expected a series key');

export const MAX_FOLDER_PATH = 2048;
/**
 * A folder relative to the library root, forward slashes, '' for the root. Only ever looked up in
 * the folder table, never opened; still, anything that is not a plain relative path is refused.
 */
export function isFolderPath(path: string): boolean {
  if (path === '') return true;
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\u0000-\u001f]/.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
export const folderPathSchema = z.string().max(MAX_FOLDER_PATH).refine(isFolderPath, 'expected a folder path relative to the library root');

/** The paging part of a list query's schema: offset, limit (1…maxLimit, default 100), search text. */
export function pagingFields(maxLimit: number) {
  return {
    offset: z.number().int().min(0).max(MAX_OFFSET).default(0),
    limit: z.number().int().min(1).max(maxLimit).default(100),
    q: z.string().max(MAX_QUERY_LENGTH).optional(),
  };
}

export const comicQuerySchema = z
  .object({
    ...pagingFields(MAX_PAGE_SIZE),
    sort: z.enum(SORT_KEYS).default('series'),
    order: z.enum(['asc', 'desc']).default('asc'),
    filter: comicFilterSchema.optional(),
    series: seriesIdentitySchema.optional(),
    folder: folderPathSchema.optional(),
    recursive: z.boolean().optional(),
  })
  .strict();

export const comicIdSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const userStatePatchSchema = z
  .object({
    read: z.boolean().optional(),
    lastPage: z.number().int().min(0).max(100_000).nullable().optional(),
    favourite: z.boolean().optional(),
  })
  .strict();

export const MAX_SERIES_KEY_LENGTH = 500;
export const seriesKeySchema = z.string().min(1).max(MAX_SERIES_KEY_LENGTH);

export const readerSettingsSchema = z
  .object({
    mode: z.enum(['single', 'double', 'webtoon']),
    direction: z.enum(['ltr', 'rtl']),
    fit: z.enum(['width', 'height', 'screen', 'original']),
    zoom: z.number().finite().min(0.1).max(10),
  })
  .strict() satisfies z.ZodType<ReaderSettings>;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  const where = issue.path.length > 0 ? issue.path.join('.') : 'input';
  return `${where}: ${issue.message}`;
}

export function parseComicQuery(input: unknown): ParseResult<ComicQuery> {
  const parsed = comicQuerySchema.safeParse(input ?? {});
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: describe(parsed.error) };
}

export function parseWith<T>(schema: z.ZodType<T>, input: unknown): ParseResult<T> {
  const parsed = schema.safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: describe(parsed.error) };
}


/**
 * The part every list query shares: unknown parameters refused, `offset`/`limit` as non-negative
 * integers and a non-empty `q`, into a raw object for the query's own schema.
 */
export function pagingParams(params: URLSearchParams, known: ReadonlySet<string>): ParseResult<Record<string, unknown>> {
  for (const key of params.keys()) {
    if (!known.has(key)) return { ok: false, message: `${key}: unknown parameter` };
  }
  const raw: Record<string, unknown> = {};
  for (const key of ['offset', 'limit'] as const) {
    const value = params.get(key);
    if (value === null) continue;
    if (!/^\d{1,12}$/.test(value)) return { ok: false, message: `${key}: expected a non-negative integer` };
    raw[key] = Number(value);
  }
  const q = params.get('q');
  if (q !== null && q !== '') raw.q = q;
  return { ok: true, value: raw };
}

/**
 * Turns URL search params (`?offset=0&limit=100&q=saga&sort=title&order=desc&filter=errors,duplicates,unread,favourites&format=zip,rar`)
 * into a ComicQuery. Unknown parameters are refused so typos do not silently return everything.
 */
export function parseComicQueryParams(params: URLSearchParams): ParseResult<ComicQuery> {
  const known = new Set(['offset', 'limit', 'q', 'sort', 'order', 'filter', 'format', 'series', 'folder', 'recursive']);
  const paging = pagingParams(params, known);
  if (!paging.ok) return paging;
  const raw = paging.value;
  const sort = params.get('sort');
  if (sort !== null) raw.sort = sort;
  const order = params.get('order');
  if (order !== null) raw.order = order;
  const filter: ComicFilter = {};
  const flags = params.get('filter');
  if (flags) {
    for (const flag of flags.split(',')) {
      if (flag === 'errors') filter.hasError = true;
      else if (flag === 'ok') filter.hasError = false;
      else if (flag === 'duplicates') filter.duplicates = true;
      else if (flag === 'unread') filter.unread = true;
      else if (flag === 'favourites') filter.favourite = true;
      else return { ok: false, message: `filter: unknown flag '${flag.slice(0, 40)}'` };
    }
  }
  const formats = params.get('format');
  if (formats) filter.formats = formats.split(',') as ComicFilter['formats'];
  if (Object.keys(filter).length > 0) raw.filter = filter;
  const series = params.get('series');
  if (series !== null) raw.series = series;
  const folder = params.get('folder');
  if (folder !== null) raw.folder = folder;
  const recursive = params.get('recursive');
  if (recursive !== null) {
    if (recursive !== '0' && recursive !== '1') return { ok: false, message: 'recursive: expected 0 or 1' };
    if (folder === null) return { ok: false, message: 'recursive: only with folder' };
    raw.recursive = recursive === '1';
  }
  return parseComicQuery(raw);
}

/** What every list query sends (the inverse of pagingParams, with the query's sort and order), for the HTTP client. */
export function pagingToParams(query: { offset: number; limit: number; q?: string; sort: string; order: string }): URLSearchParams {
  const params = new URLSearchParams();
  params.set('offset', String(query.offset));
  params.set('limit', String(query.limit));
  if (query.q) params.set('q', query.q);
  params.set('sort', query.sort);
  params.set('order', query.order);
  return params;
}

/** The inverse of parseComicQueryParams, used by the HTTP client. */
export function comicQueryToParams(query: ComicQuery): URLSearchParams {
  const params = pagingToParams(query);
  const flags: string[] = [];
  if (query.filter?.hasError === true) flags.push('errors');
  if (query.filter?.hasError === false) flags.push('ok');
  if (query.filter?.duplicates) flags.push('duplicates');
  if (query.filter?.unread) flags.push('unread');
  if (query.filter?.favourite) flags.push('favourites');
  if (flags.length > 0) params.set('filter', flags.join(','));
  if (query.filter?.formats && query.filter.formats.length > 0) params.set('format', query.filter.formats.join(','));
  if (query.series !== undefined) params.set('series', query.series);
  if (query.folder !== undefined) params.set('folder', query.folder);
  if (query.folder !== undefined && query.recursive) params.set('recursive', '1');
  return params;
}
