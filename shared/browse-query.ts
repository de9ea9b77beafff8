// Validation of the browse requests (series list, folder listing, bulk read state), shared by the IPC
// handlers and the HTTP routes like query.ts.
import { z } from 'zod';
import { SERIES_SORT_KEYS, type BulkStateRequest, type SeriesQuery } from './types.js';
import { comicIdSchema, folderPathSchema, pagingFields, pagingParams, pagingToParams, parseWith, seriesIdentitySchema, type ParseResult } from './query.js';

export const MAX_SERIES_PAGE = 500;
/** A selection larger than this is a series or a folder: send that instead. */
export const MAX_BULK_IDS = 10_000;

export const seriesQuerySchema = z
  .object({
    ...pagingFields(MAX_SERIES_PAGE),
    sort: z.enum(SERIES_SORT_KEYS).default('name'),
    order: z.enum(['asc', 'desc']).default('asc'),
  })
  .strict();

export const folderRequestSchema = z.object({ path: folderPathSchema }).strict();

const targets = {
  ids: z.array(comicIdSchema).min(1).max(MAX_BULK_IDS),
  series: seriesIdentitySchema,
  folder: folderPathSchema,
};
/** One target and one change (`read` or `favourite`): six exact shapes, anything else is refused. */
export const bulkStateSchema = z.union([
  z.object({ ids: targets.ids, read: z.boolean() }).strict(),
  z.object({ series: targets.series, read: z.boolean() }).strict(),
  z.object({ folder: targets.folder, read: z.boolean() }).strict(),
  z.object({ ids: targets.ids, favourite: z.boolean() }).strict(),
  z.object({ series: targets.series, favourite: z.boolean() }).strict(),
  z.object({ folder: targets.folder, favourite: z.boolean() }).strict(),
]) satisfies z.ZodType<BulkStateRequest, unknown>;

/** `?offset=&limit=&q=&sort=name|year|added|issues&order=asc|desc`; unknown parameters are refused. */
export function parseSeriesQueryParams(params: URLSearchParams): ParseResult<SeriesQuery> {
  const known = new Set(['offset', 'limit', 'q', 'sort', 'order']);
  const paging = pagingParams(params, known);
  if (!paging.ok) return paging;
  const raw = paging.value;
  for (const key of ['sort', 'order'] as const) {
    const value = params.get(key);
    if (value !== null) raw[key] = value;
  }
  return parseWith(seriesQuerySchema, raw);
}

/** The inverse of parseSeriesQueryParams, used by the HTTP client. */
export function seriesQueryToParams(query: SeriesQuery): URLSearchParams {
  return pagingToParams(query);
}
