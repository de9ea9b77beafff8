// The pure half of the longbox:// protocol (protocol.ts registers it with Electron):
//   longbox://app/<path>        the renderer bundle (out/renderer), so the app never runs from file://
//   longbox://cover/<id>?v=<fp> a cover thumbnail, by comic id
//   longbox://page/<id>/<n>?v=<fp>[&w=<px>]  a page image (0-based), optionally resized
// Only ids travel in URLs: no path from a URL is ever opened. App paths are a strict allow-list of
// plain segments resolved under the renderer folder. Everything malformed is 400, unknown is 404.
// Uses only Node's fs and the web Response (a global in Node 20 and in Electron), so it is unit-tested.
import { readFile } from 'node:fs/promises';
import { messageOf, toSerializedError } from '../shared/errors.js';
import { statusForCode } from './server/http-util.js';
import { COVER_PROTOCOL, PAGE_WIDTH_MAX, PAGE_WIDTH_MIN } from '../shared/ipc.js';
import type { LibraryServiceApi } from './library/service-types.js';
import { buildCsp, bundleContentType, resolveInBundle } from './server/ui-bundle.js';

export const APP_HOST = 'app';
export const APP_ORIGIN = `${COVER_PROTOCOL}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * Content-Security-Policy sent with every app document (in addition to any <meta> CSP the renderer
 * declares; the browser enforces both). Covers come from longbox:, nothing from the network.
 */
export const APP_CSP = buildCsp({
  'img-src': [`${COVER_PROTOCOL}:`],
  'font-src': ["'self'", 'data:'],
  'connect-src': [`${COVER_PROTOCOL}:`],
  'form-action': ["'none'"],
});

export type LongboxRequest =
  | Readonly<{ kind: 'app'; path: string }>
  | Readonly<{ kind: 'cover'; id: number }>
  | Readonly<{ kind: 'page'; id: number; page: number; width?: number; v?: string }>;

const MAX_URL_LENGTH = 2048;
const MAX_PAGE_INDEX = 100_000;
const ID = '([1-9][0-9]{0,15})';
const URL_SHAPE = /^longbox:\/\/(app|cover|page)(\/[^?#]*)?(\?[^#]*)?$/;
const COVER_PATH = new RegExp(`^/${ID}$`);
const PAGE_PATH = new RegExp(`^/${ID}/(0|[1-9][0-9]{0,5})$`);
/** Cache-buster only: `?v=<encoded fingerprint>`. */
const COVER_QUERY = /^(\?v=[A-Za-z0-9%._~!*'()-]{0,256})?$/;
/** `?v=<encoded fingerprint>[&w=<px>]`, or nothing. */
const PAGE_QUERY = /^(?:\?v=([A-Za-z0-9%._~!*'()-]{0,256})(?:&w=([1-9][0-9]{0,4}))?)?$/;
/** A plain file or folder name: no `.`/`..`, no hidden files, no separators, no percent-escapes. */
const APP_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;
const MAX_APP_SEGMENTS = 8;

function toId(text: string): number | null {
  const id = Number(text);
  return Number.isSafeInteger(id) && id >= 1 ? id : null;
}

/**
 * Parses the exact text of a request URL, before any normalisation, so `longbox://cover/1/../2` or
 * `longbox://cover/%2e%2e/x` are refused rather than resolved. null = refuse (400).
 */
export function parseLongboxUrl(url: string): LongboxRequest | null {
  if (typeof url !== 'string' || url.length > MAX_URL_LENGTH) return null;
  const match = URL_SHAPE.exec(url);
  if (!match) return null;
  const [, host, rawPath = '', query = ''] = match;
  switch (host) {
    case 'app': {
      if (rawPath === '' || rawPath === '/') return { kind: 'app', path: 'index.html' };
      const segments = rawPath.slice(1).split('/');
      if (segments.length > MAX_APP_SEGMENTS) return null;
      if (!segments.every((segment) => APP_SEGMENT.test(segment))) return null;
      return { kind: 'app', path: segments.join('/') };
    }
    case 'cover': {
      const m = COVER_PATH.exec(rawPath);
      if (!m || !COVER_QUERY.test(query)) return null;
      const id = toId(m[1]);
      return id === null ? null : { kind: 'cover', id };
    }
    case 'page': {
      const m = PAGE_PATH.exec(rawPath);
      const q = PAGE_QUERY.exec(query);
      if (!m || !q) return null;
      const id = toId(m[1]);
      const page = Number(m[2]);
      if (id === null || page > MAX_PAGE_INDEX) return null;
      const width = q[2] === undefined ? undefined : Number(q[2]);
      if (width !== undefined && (width < PAGE_WIDTH_MIN || width > PAGE_WIDTH_MAX)) return null;
      let v: string | undefined;
      try {
        v = q[1] === undefined ? undefined : decodeURIComponent(q[1]);
      } catch {
        return null;
      }
      return { kind: 'page', id, page, ...(width === undefined ? {} : { width }), ...(v === undefined ? {} : { v }) };
    }
    default:
      return null;
  }
}


/** Source maps are not shipped in the packaged app (electron-builder excludes them): never serve one. */
export function contentTypeFor(file: string): string | null {
  return bundleContentType(file, { sourceMaps: false });
}

/** Absolute path of an app file under `rendererDir`, or null if it would leave it or is not servable. */
export function resolveAppFile(rendererDir: string, relative: string): string | null {
  if (contentTypeFor(relative) === null) return null;
  return resolveInBundle(rendererDir, relative.split('/'));
}

export interface ProtocolDeps {
  /** out/renderer (inside app.asar when packaged; Electron's fs reads it transparently). */
  rendererDir: string;
  /** The open library's service, or null. */
  getService(): LibraryServiceApi | null;
  readFile?: (file: string) => Promise<Buffer>;
  onError?: (message: string) => void;
}

const COMMON_HEADERS = { 'x-content-type-options': 'nosniff' } as const;

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...COMMON_HEADERS, 'content-type': 'text/plain; charset=utf-8' } });
}

function statusForError(error: unknown): number {
  const { code } = toSerializedError(error);
  if (code === 'NOT_FOUND' || code === 'UNSUPPORTED' || code === 'NO_LIBRARY') return 404;
  if (code === 'BAD_REQUEST') return 400;
  return 500;
}

/** Answers one longbox:// request. Never throws. */
export async function handleLongboxRequest(request: { url: string; method: string }, deps: ProtocolDeps): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'method not allowed');
  const parsed = parseLongboxUrl(request.url);
  if (!parsed) return textResponse(400, 'bad request');
  const head = request.method === 'HEAD';
  try {
    switch (parsed.kind) {
      case 'app': {
        const file = resolveAppFile(deps.rendererDir, parsed.path);
        if (!file) return textResponse(404, 'not found');
        let data: Buffer;
        try {
          data = await (deps.readFile ?? readFile)(file);
        } catch {
          return textResponse(404, 'not found');
        }
        const headers: Record<string, string> = { ...COMMON_HEADERS, 'content-type': contentTypeFor(file) ?? 'application/octet-stream' };
        if (parsed.path.endsWith('.html')) headers['content-security-policy'] = APP_CSP;
        return new Response(head ? null : new Uint8Array(data), { status: 200, headers });
      }
      case 'cover': {
        const service = deps.getService();
        if (!service) return textResponse(404, 'no library open');
        const cover = await service.getCover(parsed.id);
        return new Response(head ? null : new Uint8Array(cover.data), {
          status: 200,
          headers: { ...COMMON_HEADERS, 'content-type': cover.contentType, 'cache-control': 'private, max-age=86400' },
        });
      }
      case 'page': {
        const service = deps.getService();
        if (!service) return textResponse(404, 'no library open');
        const page = await service.getPage(parsed.id, parsed.page, parsed.width === undefined ? undefined : { width: parsed.width });
        return new Response(head ? null : new Uint8Array(page.data), {
          status: 200,
          headers: {
            ...COMMON_HEADERS,
            'content-type': page.contentType,
            etag: parsed.width === undefined ? `"${page.fingerprint}"` : `"${page.fingerprint}-w${parsed.width}"`,
            'cache-control': parsed.v === page.fingerprint ? 'private, max-age=31536000, immutable' : 'no-cache',
          },
        });
      }
    }
  } catch (error) {
    if (parsed.kind === 'page') {
      // The reader shows why a page is missing: the same JSON error body as the HTTP host.
      const serialized = toSerializedError(error);
      const status = statusForCode(serialized.code);
      if (status >= 500 && serialized.code === 'INTERNAL') deps.onError?.(`longbox:// page failed: ${serialized.message}`);
      const body = JSON.stringify({ error: status >= 500 && serialized.code === 'INTERNAL' ? { code: 'INTERNAL', message: 'internal error' } : serialized });
      return new Response(body, { status, headers: { ...COMMON_HEADERS, 'content-type': 'application/json; charset=utf-8' } });
    }
    const status = statusForError(error);
    if (status === 500) deps.onError?.(`longbox:// ${parsed.kind} failed: ${messageOf(error)}`);
    return textResponse(status, status === 404 ? 'not found' : status === 400 ? 'bad request' : 'internal error');
  }
}
