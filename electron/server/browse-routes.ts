// The browse endpoints: series shelf, folder tree, Home shelves and bulk read state.
import { bulkStateSchema, parseSeriesQueryParams } from '../../shared/browse-query.js';
import { folderPathSchema, parseWith } from '../../shared/query.js';
import type { Handler, Route } from './route-types.js';
import { HttpError, readJsonBody, sendJson } from './http-util.js';

/** Room for MAX_BULK_IDS ids; a series or a folder is one short string. */
export const BULK_STATE_BODY_LIMIT = 256 * 1024;

function onlyParams(params: URLSearchParams, known: readonly string[]): void {
  for (const key of params.keys()) {
    if (!known.includes(key)) throw new HttpError(400, 'BAD_REQUEST', `${key}: unknown parameter`);
  }
}

const listSeries: Handler = async ({ service }, { res, params }) => {
  const query = parseSeriesQueryParams(params);
  if (!query.ok) throw new HttpError(400, 'BAD_REQUEST', query.message);
  sendJson(res, 200, await service.listSeries(query.value));
};

const listFolder: Handler = async ({ service }, { res, params }) => {
  onlyParams(params, ['path']);
  const path = parseWith(folderPathSchema, params.get('path') ?? '');
  if (!path.ok) throw new HttpError(400, 'BAD_REQUEST', `path: ${path.message.replace(/^input: /, '')}`);
  sendJson(res, 200, await service.listFolder(path.value));
};

const home: Handler = async ({ service }, { res, params }) => {
  onlyParams(params, []);
  sendJson(res, 200, await service.getHome());
};

const setReadState: Handler = async ({ service }, { req, res }) => {
  const body = await readJsonBody(req, BULK_STATE_BODY_LIMIT);
  const request = parseWith(bulkStateSchema, body);
  if (!request.ok) throw new HttpError(400, 'BAD_REQUEST', `${request.message} (expected { ids: [...] } or { series } or { folder }, and { read: boolean })`);
  sendJson(res, 200, await service.setReadState(request.value));
};

export const BROWSE_ROUTES: readonly Route[] = [
  { pattern: /^\/api\/series$/, methods: { GET: listSeries } },
  { pattern: /^\/api\/folders$/, methods: { GET: listFolder } },
  { pattern: /^\/api\/home$/, methods: { GET: home } },
  { pattern: /^\/api\/state$/, methods: { POST: setReadState } },
];
