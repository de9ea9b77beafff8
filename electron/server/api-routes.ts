// The JSON API under /api/: a fixed route table over LibraryServiceApi.
import type http from 'node:http';
import { PAGE_WIDTH_MAX, PAGE_WIDTH_MIN } from '../../shared/ipc.js';
import {
  comicIdSchema,
  parseComicQueryParams,
  parseWith,
  readerSettingsSchema,
  seriesKeySchema,
  userStatePatchSchema,
} from '../../shared/query.js';
import type { HostCapabilities } from '../../shared/types.js';
import type { CoverImage } from '../library/service-types.js';
import { HttpError, readJsonBody, sendErrorBody, sendJson } from './http-util.js';
import { messageOf } from '../../shared/errors.js';
import { BROWSE_ROUTES } from './browse-routes.js';
import type { ApiContext, Handler, Route } from './route-types.js';

export const STATE_BODY_LIMIT = 4 * 1024;

/** The browser build cannot open native dialogs or files. */
export const HTTP_CAPABILITIES: Readonly<HostCapabilities> = { chooseFolder: false, openFile: false, revealFile: false };

/** `:id` must be a positive decimal integer that fits comicIdSchema; anything else is 400. */
export function parseComicId(raw: string): number {
  if (!/^[1-9]\d{0,15}$/.test(raw)) throw new HttpError(400, 'BAD_REQUEST', 'id: expected a positive integer');
  const parsed = parseWith(comicIdSchema, Number(raw));
  if (!parsed.ok) throw new HttpError(400, 'BAD_REQUEST', `id: ${parsed.message}`);
  return parsed.value;
}

const listComics: Handler = async ({ service }, { res, params }) => {
  const query = parseComicQueryParams(params);
  if (!query.ok) throw new HttpError(400, 'BAD_REQUEST', query.message);
  if (service.listComicsJson) {
    // The items come as JSON text from the reader thread; the body is the same bytes JSON.stringify of
    // the object below would give.
    const page = await service.listComicsJson(query.value);
    sendJson(res, 200, `{"items":${page.itemsJson},"total":${page.total},"offset":${page.offset},"generation":${page.generation},"stale":${page.stale}}`);
    return;
  }
  const page = await service.listComics(query.value);
  sendJson(res, 200, {
    items: page.items,
    total: page.total,
    offset: page.offset,
    generation: page.generation,
    stale: page.stale,
  });
};

const getComic: Handler = async ({ service }, { res, id }) => {
  sendJson(res, 200, await service.getComic(parseComicId(id)));
};

const FINGERPRINT = /^[A-Za-z0-9_-]{1,128}$/;

const getCover: Handler = async ({ service, logger }, { res, params, id }) => {
  const comicId = parseComicId(id);
  let cover: CoverImage;
  try {
    cover = await service.getCover(comicId);
  } catch (err) {
    // Any failure is a missing cover to the renderer, which shows a placeholder.
    logger.debug(`cover ${comicId}: ${messageOf(err)}`);
    sendErrorBody(res, 404, 'NOT_FOUND', 'no cover');
    return;
  }
  if (res.destroyed) return;
  const v = params.get('v');
  res.writeHead(200, {
    'Content-Type': cover.contentType,
    'Content-Length': String(cover.data.length),
    // The URL carries the fingerprint, so a changed file gets a new URL.
    'Cache-Control': v !== null && FINGERPRINT.test(v) ? 'public, max-age=31536000, immutable' : 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(cover.data);
};

/** `:index` of a page: a non-negative decimal integer (range checked by the service: 404 past the end). */
export function parsePageIndex(raw: string): number {
  if (!/^(0|[1-9]\d{0,5})$/.test(raw)) throw new HttpError(400, 'BAD_REQUEST', 'index: expected a page number from 0');
  return Number(raw);
}

/** `?w=` of a page: absent, or an integer in PAGE_WIDTH_MIN…PAGE_WIDTH_MAX. */
export function parsePageWidth(raw: string | null): number | undefined {
  if (raw === null) return undefined;
  const width = /^[1-9]\d{0,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(width >= PAGE_WIDTH_MIN && width <= PAGE_WIDTH_MAX)) {
    throw new HttpError(400, 'BAD_REQUEST', `w: expected a width from ${PAGE_WIDTH_MIN} to ${PAGE_WIDTH_MAX} pixels`);
  }
  return width;
}

const listPages: Handler = async ({ service }, { res, id }) => {
  const list = await service.listPages(parseComicId(id));
  sendJson(res, 200, { pages: list.pages, direction: list.direction });
};

/** A page's ETag: the comic's fingerprint (the page bytes change only with it), plus the width of a resized copy. */
export function pageEtag(fingerprint: string, width: number | undefined): string {
  return width === undefined ? `"${fingerprint}"` : `"${fingerprint}-w${width}"`;
}

/** If-None-Match: a list of (possibly weak) tags, or `*`. */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((part) => {
    const tag = part.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

const IMMUTABLE = 'private, max-age=31536000, immutable';

const getPage: Handler = async ({ service }, { req, res, params, id, sub }) => {
  const comicId = parseComicId(id);
  const index = parsePageIndex(sub);
  const width = parsePageWidth(params.get('w'));
  // Immutable only when the URL names the bytes it gets: an old `v` must not pin today's page forever.
  const v = params.get('v');
  const headersFor = (fingerprint: string): Record<string, string> => ({
    ETag: pageEtag(fingerprint, width),
    'Cache-Control': v === fingerprint ? IMMUTABLE : 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  // A revalidation costs a row lookup, not a page read: the bytes change only with the fingerprint.
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    const fingerprint = await service.getFingerprint(comicId);
    if (matchesEtag(ifNoneMatch, pageEtag(fingerprint, width))) {
      res.writeHead(304, headersFor(fingerprint));
      res.end();
      return;
    }
  }
  const page = await service.getPage(comicId, index, width === undefined ? undefined : { width });
  if (res.destroyed) return;
  const headers = headersFor(page.fingerprint);
  res.writeHead(200, { ...headers, 'Content-Type': page.contentType, 'Content-Length': String(page.data.length) });
  res.end(req.method === 'HEAD' ? undefined : page.data);
};

const setState: Handler = async ({ service }, { req, res, id }) => {
  const comicId = parseComicId(id);
  const body = await readJsonBody(req, STATE_BODY_LIMIT);
  const patch = parseWith(userStatePatchSchema, body);
  if (!patch.ok) throw new HttpError(400, 'BAD_REQUEST', patch.message);
  sendJson(res, 200, await service.setUserState(comicId, patch.value));
};

const retry: Handler = async ({ service }, { res, id }) => {
  await service.retryComic(parseComicId(id));
  sendJson(res, 202, { accepted: true });
};

/** `:key` is the URL-encoded series key. */
export function parseSeriesKey(raw: string): string {
  let key: string;
  try {
    key = decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'key: not a valid URL-encoded string');
  }
  const parsed = parseWith(seriesKeySchema, key);
  if (!parsed.ok) throw new HttpError(400, 'BAD_REQUEST', `key: ${parsed.message}`);
  return parsed.value;
}

const getReaderSettings: Handler = async ({ service }, { res, id }) => {
  sendJson(res, 200, { settings: await service.getReaderSettings(parseSeriesKey(id)) });
};

const putReaderSettings: Handler = async ({ service }, { req, res, id }) => {
  const key = parseSeriesKey(id);
  const settings = parseWith(readerSettingsSchema, await readJsonBody(req, STATE_BODY_LIMIT));
  if (!settings.ok) throw new HttpError(400, 'BAD_REQUEST', settings.message);
  await service.setReaderSettings(key, settings.value);
  res.writeHead(204, { 'Cache-Control': 'no-store' });
  res.end();
};

const refresh: Handler = ({ service }, { res }) => {
  // The status the Refresh was accepted with, in the shape of GET /api/cache/stats.
  sendJson(res, 202, { accepted: true, enriched_file_cache: service.refresh('http') });
};

const stats: Handler = ({ service }, { res }) => {
  sendJson(res, 200, { enriched_file_cache: service.getStatus() });
};

const library: Handler = ({ library: info }, { res }) => {
  sendJson(res, 200, { library: info, capabilities: HTTP_CAPABILITIES });
};

const events: Handler = ({ events: streams }, { req, res }) => {
  streams.open(req, res);
};

const ROUTES: readonly Route[] = [
  { pattern: /^\/api\/comics$/, methods: { GET: listComics } },
  { pattern: /^\/api\/comics\/([^/]+)$/, methods: { GET: getComic } },
  { pattern: /^\/api\/comics\/([^/]+)\/cover$/, methods: { GET: getCover } },
  { pattern: /^\/api\/comics\/([^/]+)\/state$/, methods: { POST: setState } },
  { pattern: /^\/api\/comics\/([^/]+)\/retry$/, methods: { POST: retry } },
  { pattern: /^\/api\/comics\/([^/]+)\/pages$/, methods: { GET: listPages } },
  { pattern: /^\/api\/comics\/([^/]+)\/pages\/([^/]+)$/, methods: { GET: getPage, HEAD: getPage } },
  { pattern: /^\/api\/reader-settings\/([^/]+)$/, methods: { GET: getReaderSettings, PUT: putReaderSettings } },
  { pattern: /^\/api\/cache\/refresh$/, methods: { POST: refresh } },
  { pattern: /^\/api\/cache\/stats$/, methods: { GET: stats } },
  { pattern: /^\/api\/library$/, methods: { GET: library } },
  { pattern: /^\/api\/events$/, methods: { GET: events } },
  ...BROWSE_ROUTES,
];

/** Dispatches one /api/ request; throws HttpError/LongboxError for the caller to map. */
export async function handleApi(
  ctx: ApiContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  pathname: string,
  params: URLSearchParams,
): Promise<void> {
  for (const route of ROUTES) {
    const m = route.pattern.exec(pathname);
    if (!m) continue;
    const method = req.method ?? '';
    const handler = Object.hasOwn(route.methods, method) ? route.methods[method] : undefined;
    if (!handler) {
      const allow = Object.keys(route.methods).join(', ');
      throw new HttpError(405, 'METHOD_NOT_ALLOWED', `method ${req.method ?? ''} not allowed`, { Allow: allow });
    }
    await handler(ctx, { req, res, params, id: m[1] ?? '', sub: m[2] ?? '' });
    return;
  }
  throw new HttpError(404, 'NOT_FOUND', 'no such endpoint');
}
