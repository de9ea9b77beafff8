import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ERROR_CODES, LongboxError } from '../../shared/errors.js';
import { pageOf } from '../../shared/testing/list-page.js';
import type {
  CacheStatus,
  ComicDetail,
  ComicPage,
  ComicQuery,
  ComicSummary,
  LibraryEvent,
  PageList,
  ReaderSettings,
  UserState,
} from '../../shared/types.js';
import type { Logger } from '../library/logger.js';
import type { CoverImage, LibraryServiceApi, PageImage, PageRequestOptions } from '../library/service-types.js';
import { statusForCode } from './http-util.js';
import { createHttpHost, type HttpHost } from './http-server.js';
import { isLoopbackHost, hostnameOf } from './security.js';
import { safeSegments } from './static-files.js';
import { EmptyBrowse } from './testing/empty-browse.js';
import { rawRequest, SseClient, type RawResponse } from './testing/raw-http.js';

// ---- Test double: an in-memory LibraryServiceApi -------------------------------------------------

function makeStatus(over: Partial<CacheStatus> = {}): CacheStatus {
  return {
    file_count: 3,
    age_seconds: 12,
    is_populated: true,
    rebuild_in_progress: false,
    generation: 7,
    phase: 'idle',
    progress: null,
    last_error: null,
    last_duration_ms: 420,
    library_root: '/fake/library',
    error_count: 0,
    rebuild_owner: null,
    user_data_notice: null,
    ...over,
  };
}

function makeComic(id: number): ComicSummary {
  return {
    id,
    path: `Series/Issue ${id}.cbz`,
    folder: 'Series',
    fileName: `Issue ${id}.cbz`,
    ext: 'cbz',
    format: 'zip',
    size: 1000 + id,
    mtimeMs: 1_700_000_000_000,
    pageCount: 20,
    series: 'Series',
    seriesKey: 'series',
    number: String(id),
    volume: null,
    title: null,
    year: 2020,
    writer: null,
    publisher: null,
    errorKind: null,
    errorMessage: null,
    fingerprint: `fp${id}`,
    duplicateCount: 1,
    read: false,
    favourite: false,
    lastPage: null,
    addedAt: 1_700_000_000_000,
  };
}

/** Fake LibraryServiceApi: fixed comics, scriptable failures, a gate to simulate a cold start. */
class FakeLibraryService extends EmptyBrowse implements LibraryServiceApi {
  readonly root = '/fake/library';
  status = makeStatus();
  readonly comics = new Map<number, ComicSummary>([1, 2, 3].map((id) => [id, makeComic(id)]));
  readonly states = new Map<number, UserState>();
  readonly listeners = new Set<(event: LibraryEvent) => void>();
  readonly queries: ComicQuery[] = [];
  refreshes = 0;
  /** While set, listComics waits for it (a cold start waiting for the first generation). */
  coldStart: Promise<void> | null = null;

  getStatus(): CacheStatus {
    return this.status;
  }
  async listComics(query: ComicQuery): Promise<ComicPage> {
    this.queries.push(query);
    if (this.coldStart) await this.coldStart;
    if (query.q === 'explode') throw new Error('secret /home/user/path exploded');
    if (query.q === 'nolib') throw new LongboxError('NO_LIBRARY', 'no library chosen');
    return pageOf([...this.comics.values()], query, this.status);
  }
  async getComic(id: number): Promise<ComicDetail> {
    if (id === 13) throw new LongboxError('ROOT_UNREADABLE', 'library folder is offline');
    if (id === 666) throw new Error('bug with a stack');
    const c = this.comics.get(id);
    if (!c) throw new LongboxError('NOT_FOUND', `no comic ${id}`);
    return {
      ...c,
      metadata: {
        series: c.series,
        number: c.number,
        volume: null,
        title: null,
        year: c.year,
        month: null,
        writer: null,
        penciller: null,
        publisher: null,
        genre: null,
        summary: null,
        declaredPageCount: null,
        languageIso: null,
        manga: null,
      },
      sources: { series: 'filename' },
      pages: ['01.jpg'],
      duplicates: [],
      lastChangedAt: c.mtimeMs,
      userState: this.states.get(id) ?? { read: false, lastPage: null, favourite: false, lastReadAt: null },
    };
  }
  async getCover(id: number): Promise<CoverImage> {
    if (id === 2) throw new LongboxError('UNSUPPORTED', 'no pages');
    if (id === 3) throw new Error('sharp blew up');
    if (!this.comics.has(id)) throw new LongboxError('NOT_FOUND', `no comic ${id}`);
    return { data: Buffer.from([0xff, 0xd8, 0xff, 0xe0, id]), contentType: 'image/jpeg' };
  }
  async getComicPath(id: number): Promise<string> {
    return path.join(this.root, this.comics.get(id)?.path ?? 'x');
  }
  /** Comic 1: three pages; 2: encrypted; 3: damaged; 13: library offline. */
  readonly pageBytes = [0, 1, 2].map((i) => Buffer.from([0xff, 0xd8, 0xff, 0xe0, i, i, i]));
  pageCalls: Array<{ id: number; index: number; width?: number }> = [];
  #pageFailure(id: number): LongboxError | null {
    if (id === 2) return new LongboxError('ENCRYPTED', 'The comic is password protected.');
    if (id === 3) return new LongboxError('PAGE_DAMAGED', 'The comic is damaged: bad CRC.');
    if (id === 13) return new LongboxError('ROOT_UNREADABLE', 'library folder is offline');
    if (!this.comics.has(id)) return new LongboxError('NOT_FOUND', `no comic ${id}`);
    return null;
  }
  async listPages(id: number): Promise<PageList> {
    const failure = this.#pageFailure(id);
    if (failure) throw failure;
    return {
      pages: this.pageBytes.map((data, index) => ({ index, name: `${index}.jpg`, size: data.length, width: index === 1 ? 2000 : 1000, height: 1500, spread: index === 1 })),
      direction: 'rtl',
    };
  }
  async getFingerprint(id: number): Promise<string> {
    if (!this.comics.has(id)) throw new LongboxError('NOT_FOUND', `no comic ${id}`);
    return `fp${id}`;
  }
  async getPage(id: number, index: number, options?: PageRequestOptions): Promise<PageImage> {
    this.pageCalls.push({ id, index, ...(options?.width === undefined ? {} : { width: options.width }) });
    const failure = this.#pageFailure(id);
    if (failure) throw failure;
    const data = this.pageBytes[index];
    if (!data) throw new LongboxError('NOT_FOUND', `no page ${index}`);
    return { data: options?.width ? Buffer.concat([data, Buffer.from([options.width & 0xff])]) : data, contentType: 'image/jpeg', fingerprint: `fp${id}` };
  }
  refresh(): CacheStatus {
    this.refreshes++;
    return this.getStatus();
  }
  readonly retried: number[] = [];
  async retryComic(id: number): Promise<void> {
    if (!this.comics.has(id)) throw new LongboxError('NOT_FOUND', `no comic ${id}`);
    this.retried.push(id);
  }
  async setUserState(id: number, patch: Partial<UserState>): Promise<UserState> {
    if (!this.comics.has(id)) throw new LongboxError('NOT_FOUND', `no comic ${id}`);
    const next = { ...(this.states.get(id) ?? { read: false, lastPage: null, favourite: false, lastReadAt: null }), ...patch };
    this.states.set(id, next);
    return next;
  }
  readonly readerSettings = new Map<string, ReaderSettings>();
  async getReaderSettings(seriesKey: string): Promise<ReaderSettings | null> {
    return this.readerSettings.get(seriesKey) ?? null;
  }
  async setReaderSettings(seriesKey: string, settings: ReaderSettings): Promise<void> {
    this.readerSettings.set(seriesKey, settings);
  }
  exportUserState(): never {
    throw new LongboxError('UNSUPPORTED', 'not over HTTP');
  }
  importUserState(): never {
    throw new LongboxError('UNSUPPORTED', 'not over HTTP');
  }
  async listOrphans(): Promise<never[]> {
    return [];
  }
  async pruneOrphans(): Promise<number> {
    return 0;
  }
  subscribe(listener: (event: LibraryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(event: LibraryEvent): void {
    for (const l of this.listeners) l(event);
  }
  async whenIdle(): Promise<void> {}
  async close(): Promise<void> {}
}

class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  debug(): void {}
  info(): void {}
  warn(m: string): void {
    this.lines.push(`warn ${m}`);
  }
  error(m: string): void {
    this.lines.push(`error ${m}`);
  }
}

// ---- Fixtures ------------------------------------------------------------------------------------

let tmp: string;
let staticDir: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'longbox-http-'));
  staticDir = path.join(tmp, 'renderer');
  fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Longbox</title>');
  fs.writeFileSync(path.join(staticDir, 'assets', 'index-abc123.js'), 'console.log(1)');
  fs.writeFileSync(path.join(staticDir, 'assets', 'index-abc123.css'), 'body{}');
  fs.writeFileSync(path.join(staticDir, 'favicon.svg'), '<svg/>');
  fs.writeFileSync(path.join(staticDir, '.env'), 'HIDDEN');
  // The traversal target: one level above staticDir.
  fs.writeFileSync(path.join(tmp, 'package.json'), '{"secret":"TOP-SECRET"}');
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Running {
  host: HttpHost;
  port: number;
  service: FakeLibraryService;
  logger: RecordingLogger;
}

const running: Running[] = [];

async function start(opts: { token?: string; pingMs?: number; noStatic?: boolean } = {}): Promise<Running> {
  const service = new FakeLibraryService();
  const logger = new RecordingLogger();
  const host = createHttpHost({
    service,
    library: { root: service.root, isSample: false },
    staticDir: opts.noStatic ? undefined : staticDir,
    token: opts.token,
    logger,
    pingMs: opts.pingMs,
  });
  const { port } = await host.listen(0, '127.0.0.1');
  const r = { host, port, service, logger };
  running.push(r);
  return r;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.host.close()));
});

function json(res: RawResponse): unknown {
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return JSON.parse(res.text);
}

function errorCode(res: RawResponse): string {
  return (json(res) as { error: { code: string } }).error.code;
}

// ---- API -----------------------------------------------------------------------------------------

describe('GET /api/comics', () => {
  it('returns a page in the documented shape', async () => {
    const { port, service } = await start();
    const res = await rawRequest(port, { path: '/api/comics?offset=1&limit=2&sort=title&order=desc' });
    expect(res.status).toBe(200);
    const body = json(res) as ComicPage;
    expect(Object.keys(body).sort()).toEqual(['generation', 'items', 'offset', 'stale', 'total']);
    expect(body.items.map((c) => c.id)).toEqual([2, 3]);
    expect(body).toMatchObject({ total: 3, offset: 1, generation: 7, stale: false });
    expect(service.queries[0]).toMatchObject({ offset: 1, limit: 2, sort: 'title', order: 'desc' });
  });

  it('passes search, filters and formats through parseComicQueryParams', async () => {
    const { port, service } = await start();
    const res = await rawRequest(port, { path: '/api/comics?q=saga&filter=errors,unread&format=zip,rar' });
    expect(res.status).toBe(200);
    expect(service.queries[0]).toMatchObject({
      q: 'saga',
      offset: 0,
      limit: 100,
      filter: { hasError: true, unread: true, formats: ['zip', 'rar'] },
    });
  });

  it.each([
    ['negative offset', '/api/comics?offset=-1'],
    ['huge offset', '/api/comics?offset=99999999999'],
    ['offset not a number', '/api/comics?offset=abc'],
    ['unknown sort', '/api/comics?sort=bogus'],
    ['unknown order', '/api/comics?order=sideways'],
    ['unknown parameter', '/api/comics?limt=10'],
    ['limit 0', '/api/comics?limit=0'],
    ['limit 501', '/api/comics?limit=501'],
    ['q of 10,000 characters', `/api/comics?q=${'x'.repeat(10_000)}`],
    ['unknown filter flag', '/api/comics?filter=shiny'],
    ['unknown format', '/api/comics?format=docx'],
  ])('refuses %s with 400 BAD_REQUEST', async (_name, url) => {
    const { port, service } = await start();
    const res = await rawRequest(port, { path: url });
    expect(res.status).toBe(400);
    const body = json(res) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.error.message.length).toBeLessThan(300);
    expect(service.queries).toHaveLength(0);
  });

  it('lets concurrent requests wait for the first generation on a cold start', async () => {
    const { port, service } = await start();
    let release!: () => void;
    service.coldStart = new Promise((resolve) => (release = resolve));
    const pending = Promise.all([1, 2, 3].map(() => rawRequest(port, { path: '/api/comics' })));
    // All three reach the service and wait there (polled: a fixed sleep was too short on a busy machine).
    await vi.waitFor(() => expect(service.queries).toHaveLength(3), { timeout: 5_000 });
    service.coldStart = null;
    release();
    const results = await pending;
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('maps service errors: NO_LIBRARY → 409, a bug → 500 without details, logged', async () => {
    const { port, logger } = await start();
    const noLib = await rawRequest(port, { path: '/api/comics?q=nolib' });
    expect(noLib.status).toBe(409);
    expect(errorCode(noLib)).toBe('NO_LIBRARY');
    const bug = await rawRequest(port, { path: '/api/comics?q=explode' });
    expect(bug.status).toBe(500);
    expect(json(bug)).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
    expect(bug.text).not.toContain('/home/user');
    expect(logger.lines.some((l) => l.startsWith('error') && l.includes('exploded'))).toBe(true);
  });
});

describe('GET /api/comics/:id', () => {
  it('returns the detail', async () => {
    const { port } = await start();
    const res = await rawRequest(port, { path: '/api/comics/2' });
    expect(res.status).toBe(200);
    expect(json(res)).toMatchObject({ id: 2, userState: { read: false }, pages: ['01.jpg'] });
  });

  it('answers 404 for an unknown id', async () => {
    const { port } = await start();
    const res = await rawRequest(port, { path: '/api/comics/42' });
    expect(res.status).toBe(404);
    expect(errorCode(res)).toBe('NOT_FOUND');
  });

  it.each(['abc', '-1', '0', '99999999999999999999', '1.5', '%31', '01'])('answers 400 for id %s', async (id) => {
    const { port } = await start();
    const res = await rawRequest(port, { path: `/api/comics/${id}` });
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('BAD_REQUEST');
  });

  it('maps ROOT_UNREADABLE to 503 and an unexpected error to a bare 500', async () => {
    const { port, logger } = await start();
    const offline = await rawRequest(port, { path: '/api/comics/13' });
    expect(offline.status).toBe(503);
    expect(errorCode(offline)).toBe('ROOT_UNREADABLE');
    const bug = await rawRequest(port, { path: '/api/comics/666' });
    expect(bug.status).toBe(500);
    expect(bug.text).not.toMatch(/at .*\.ts/);
    expect(logger.lines.filter((l) => l.startsWith('error')).length).toBe(2);
  });
});

describe('GET /api/comics/:id/pages', () => {
  it('returns { pages, direction } exactly', async () => {
    const { port } = await start();
    const res = await rawRequest(port, { path: '/api/comics/1/pages' });
    expect(res.status).toBe(200);
    const body = json(res) as PageList;
    expect(Object.keys(body).sort()).toEqual(['direction', 'pages']);
    expect(body.direction).toBe('rtl');
    expect(body.pages[1]).toEqual({ index: 1, name: '1.jpg', size: 7, width: 2000, height: 1500, spread: true });
  });

  it.each([
    ['an unknown id', 42, 404, 'NOT_FOUND'],
    ['an encrypted archive', 2, 422, 'ENCRYPTED'],
    ['a damaged archive', 3, 422, 'PAGE_DAMAGED'],
    ['an offline library folder', 13, 503, 'ROOT_UNREADABLE'],
  ])('answers %s with %i %s', async (_name, id, status, code) => {
    const { port } = await start();
    const res = await rawRequest(port, { path: `/api/comics/${id}/pages` });
    expect(res.status).toBe(status);
    expect(errorCode(res)).toBe(code);
  });
});

describe('GET /api/comics/:id/pages/:index', () => {
  it('serves the bytes with the content type, an ETag from the fingerprint and an immutable cache', async () => {
    const { port, service } = await start();
    const res = await rawRequest(port, { path: '/api/comics/1/pages/2?v=fp1' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['content-length']).toBe(String(service.pageBytes[2].length));
    expect(res.headers.etag).toBe('"fp1"');
    expect(res.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect(res.body.equals(service.pageBytes[2])).toBe(true);
  });

  it('is not immutable when ?v= is missing or names another version', async () => {
    const { port } = await start();
    expect((await rawRequest(port, { path: '/api/comics/1/pages/0' })).headers['cache-control']).toBe('no-cache');
    expect((await rawRequest(port, { path: '/api/comics/1/pages/0?v=old' })).headers['cache-control']).toBe('no-cache');
  });

  it('answers 304 without a body for a matching If-None-Match (plain, weak or in a list)', async () => {
    const { port, service } = await start();
    for (const tag of ['"fp1"', 'W/"fp1"', '"other", "fp1"', '*']) {
      const res = await rawRequest(port, { path: '/api/comics/1/pages/0?v=fp1', headers: { 'If-None-Match': tag } });
      expect(res.status).toBe(304);
      expect(service.pageCalls).toHaveLength(0); // a revalidation never reads the page
      expect(res.body.length).toBe(0);
      expect(res.headers.etag).toBe('"fp1"');
    }
    const changed = await rawRequest(port, { path: '/api/comics/1/pages/0?v=fp1', headers: { 'If-None-Match': '"fp-old"' } });
    expect(changed.status).toBe(200);
  });

  it('passes ?w= to the service and tags the resized copy with its own ETag', async () => {
    const { port, service } = await start();
    const res = await rawRequest(port, { path: '/api/comics/1/pages/0?v=fp1&w=800' });
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"fp1-w800"');
    expect(service.pageCalls.at(-1)).toEqual({ id: 1, index: 0, width: 800 });
    const full = await rawRequest(port, { path: '/api/comics/1/pages/0?v=fp1', headers: { 'If-None-Match': '"fp1-w800"' } });
    expect(full.status).toBe(200);
  });

  it.each([
    ['a negative index', '/api/comics/1/pages/-1'],
    ['a fractional index', '/api/comics/1/pages/1.5'],
    ['a leading zero', '/api/comics/1/pages/01'],
    ['a word', '/api/comics/1/pages/first'],
    ['a huge index', '/api/comics/1/pages/99999999'],
    ['w too small', '/api/comics/1/pages/0?w=10'],
    ['w too large', '/api/comics/1/pages/0?w=100000'],
    ['w not a number', '/api/comics/1/pages/0?w=wide'],
    ['a bad id', '/api/comics/x/pages/0'],
  ])('answers 400 for %s without asking the service', async (_name, url) => {
    const { port, service } = await start();
    const res = await rawRequest(port, { path: url });
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('BAD_REQUEST');
    expect(service.pageCalls).toHaveLength(0);
  });

  it.each([
    ['an index past the end', '/api/comics/1/pages/3', 404, 'NOT_FOUND'],
    ['an unknown id', '/api/comics/42/pages/0', 404, 'NOT_FOUND'],
    ['an encrypted archive', '/api/comics/2/pages/0', 422, 'ENCRYPTED'],
    ['a damaged entry', '/api/comics/3/pages/0', 422, 'PAGE_DAMAGED'],
    ['an offline library', '/api/comics/13/pages/0', 503, 'ROOT_UNREADABLE'],
  ])('answers %s with a JSON error, never image bytes', async (_name, url, status, code) => {
    const { port } = await start();
    const res = await rawRequest(port, { path: url });
    expect(res.status).toBe(status);
    expect(errorCode(res)).toBe(code);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('refuses POST with 405', async () => {
    const { port } = await start();
    expect((await rawRequest(port, { method: 'POST', path: '/api/comics/1/pages/0', headers: { 'Content-Type': 'application/json' } })).status).toBe(405);
  });
});

describe('GET /api/comics/:id/cover', () => {
  it('serves the bytes, immutable when versioned', async () => {
    const { port } = await start();
    const res = await rawRequest(port, { path: '/api/comics/1/cover?v=fp1' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect([...res.body]).toEqual([0xff, 0xd8, 0xff, 0xe0, 1]);
  });

  it('is not cached without ?v=', async () => {
    const { port } = await start();
    const res = await rawRequest(port, { path: '/api/comics/1/cover' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it.each([
    ['unknown id', 42],
    ['UNSUPPORTED', 2],
    ['an unexpected failure', 3],
  ])('answers 404 for %s (the renderer shows a placeholder)', async (_name, id) => {
    const { port } = await start();
    const res = await rawRequest(port, { path: `/api/comics/${id}/cover?v=x` });
    expect(res.status).toBe(404);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers 400 for a bad id', async () => {
    const { port } = await start();
    expect((await rawRequest(port, { path: '/api/comics/abc/cover' })).status).toBe(400);
  });
});

describe('POST /api/comics/:id/state', () => {
  const post = (port: number, id: string, body: string, headers: Record<string, string> = {}) =>
    rawRequest(port, {
      method: 'POST',
      path: `/api/comics/${id}/state`,
      headers: { 'Content-Type': 'application/json', ...headers },
      body,
    });

  it('applies a valid patch and returns the new state', async () => {
    const { port, service } = await start();
    const res = await post(port, '1', JSON.stringify({ read: true, lastPage: 4 }));
    expect(res.status).toBe(200);
    expect(json(res)).toEqual({ read: true, lastPage: 4, favourite: false, lastReadAt: null });
    expect(service.states.get(1)).toEqual({ read: true, lastPage: 4, favourite: false, lastReadAt: null });
  });

  it.each([
    ['a wrong type', '{"read":"yes"}'],
    ['an unknown key', '{"rating":5}'],
    ['a negative page', '{"lastPage":-1}'],
    ['invalid JSON', '{"read":'],
    ['an array', '[]'],
  ])('refuses %s with 400', async (_name, body) => {
    const { port, service } = await start();
    const res = await post(port, '1', body);
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('BAD_REQUEST');
    expect(service.states.size).toBe(0);
  });

  it('refuses a body over 4 KiB with 413', async () => {
    const { port } = await start();
    const res = await post(port, '1', JSON.stringify({ read: true, pad: 'x'.repeat(5000) }));
    expect(res.status).toBe(413);
    expect(errorCode(res)).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a non-JSON content type with 415', async () => {
    const { port } = await start();
    const res = await post(port, '1', '{"read":true}', { 'Content-Type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(errorCode(res)).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 404 for an unknown id and 400 for a bad one', async () => {
    const { port } = await start();
    expect((await post(port, '42', '{"read":true}')).status).toBe(404);
    expect((await post(port, 'abc', '{"read":true}')).status).toBe(400);
  });

  it('refuses a cross-origin browser request', async () => {
    const { port, service } = await start();
    const res = await post(port, '1', '{"read":true}', { Origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect(service.states.size).toBe(0);
    const same = await post(port, '1', '{"read":true}', { Origin: `http://127.0.0.1:${port}` });
    expect(same.status).toBe(200);
  });
});

describe('GET/PUT /api/reader-settings/:key', () => {
  const settings = { mode: 'double', direction: 'rtl', fit: 'height', zoom: 1.25 };
  const put = (port: number, key: string, body: string, headers: Record<string, string> = {}) =>
    rawRequest(port, { method: 'PUT', path: `/api/reader-settings/${key}`, headers: { 'Content-Type': 'application/json', ...headers }, body });

  it('answers null for a series never saved, then what was PUT (the key URL-decoded, slashes and all)', async () => {
    const { port, service } = await start();
    const key = 'Saga / Vol. 1 — 100%';
    const encoded = encodeURIComponent(key);
    expect(json(await rawRequest(port, { path: `/api/reader-settings/${encoded}` }))).toEqual({ settings: null });
    const res = await put(port, encoded, JSON.stringify(settings));
    expect(res.status).toBe(204);
    expect(service.readerSettings.get(key)).toEqual(settings);
    expect(json(await rawRequest(port, { path: `/api/reader-settings/${encoded}` }))).toEqual({ settings });
  });

  it.each([
    ['a missing field', JSON.stringify({ mode: 'single', direction: 'ltr', fit: 'width' })],
    ['an unknown mode', JSON.stringify({ ...settings, mode: 'triple' })],
    ['an extra key', JSON.stringify({ ...settings, theme: 'dark' })],
    ['a zero zoom', JSON.stringify({ ...settings, zoom: 0 })],
    ['invalid JSON', '{"mode":'],
  ])('refuses %s with 400 and saves nothing', async (_name, body) => {
    const { port, service } = await start();
    const res = await put(port, 'saga', body);
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('BAD_REQUEST');
    expect(service.readerSettings.size).toBe(0);
  });

  it('refuses a badly encoded or too long key with 400, a cross-origin PUT with 403', async () => {
    const { port, service } = await start();
    expect((await rawRequest(port, { path: '/api/reader-settings/%E0%A4%A' })).status).toBe(400);
    expect((await rawRequest(port, { path: `/api/reader-settings/${'k'.repeat(501)}` })).status).toBe(400);
    expect((await put(port, 'saga', JSON.stringify(settings), { Origin: 'http://evil.example' })).status).toBe(403);
    expect(service.readerSettings.size).toBe(0);
  });
});

describe('cache and library routes', () => {
  it('POST /api/cache/refresh → 202 accepted, with the status it was accepted with', async () => {
    const { port, service } = await start();
    const res = await rawRequest(port, { method: 'POST', path: '/api/cache/refresh' });
    expect(res.status).toBe(202);
    expect(json(res)).toEqual({ accepted: true, enriched_file_cache: service.getStatus() });
    expect(service.refreshes).toBe(1);
  });

  it('POST /api/comics/:id/retry → 202, the service re-reads that comic; unknown id 404', async () => {
    const { port, service } = await start();
    const res = await rawRequest(port, { method: 'POST', path: '/api/comics/2/retry' });
    expect(res.status).toBe(202);
    expect(service.retried).toEqual([2]);
    const unknown = await rawRequest(port, { method: 'POST', path: '/api/comics/99/retry' });
    expect(unknown.status).toBe(404);
    expect((await rawRequest(port, { method: 'GET', path: '/api/comics/2/retry' })).status).toBe(405);
  });

  it('refuses a cross-origin refresh (a form post from another site)', async () => {
    const { port, service } = await start();
    const res = await rawRequest(port, {
      method: 'POST',
      path: '/api/cache/refresh',
      headers: { Origin: 'http://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(service.refreshes).toBe(0);
  });

  it('GET /api/cache/stats → { enriched_file_cache: CacheStatus }', async () => {
    const { port, service } = await start();
    service.status = makeStatus({ rebuild_in_progress: true, phase: 'enriching' });
    const res = await rawRequest(port, { path: '/api/cache/stats' });
    expect(res.status).toBe(200);
    const body = json(res) as { enriched_file_cache: CacheStatus };
    expect(Object.keys(body)).toEqual(['enriched_file_cache']);
    expect(body.enriched_file_cache).toMatchObject({
      file_count: 3,
      age_seconds: 12,
      is_populated: true,
      rebuild_in_progress: true,
      phase: 'enriching',
    });
  });

  it('GET /api/library → library and capabilities', async () => {
    const { port } = await start();
    const res = await rawRequest(port, { path: '/api/library' });
    expect(json(res)).toEqual({
      library: { root: '/fake/library', isSample: false },
      capabilities: { chooseFolder: false, openFile: false, revealFile: false },
    });
  });
});

describe('routing errors', () => {
  it.each(['/api', '/api/', '/api/nope', '/api/comics/1/pages/0/x', '/api/cache', '/api/comics/'])(
    '%s → 404 JSON',
    async (url) => {
      const { port } = await start();
      const res = await rawRequest(port, { path: url });
      expect(res.status).toBe(404);
      expect(errorCode(res)).toBe('NOT_FOUND');
    },
  );

  it.each([
    ['DELETE', '/api/comics', 'GET'],
    ['POST', '/api/comics/1', 'GET'],
    ['GET', '/api/cache/refresh', 'POST'],
    ['GET', '/api/comics/1/state', 'POST'],
    ['PUT', '/api/cache/stats', 'GET'],
    ['POST', '/index.html', 'GET, HEAD'],
  ])('%s %s → 405 with Allow: %s', async (method, url, allow) => {
    const { port } = await start();
    const res = await rawRequest(port, { method, path: url });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expect(errorCode(res)).toBe('METHOD_NOT_ALLOWED');
  });

  it('refuses an absolute-form request target', async () => {
    const { port } = await start();
    const res = await rawRequest(port, { path: 'http://example.com/api/comics' });
    expect(res.status).toBe(400);
  });

  it('maps every ErrorCode to a status', () => {
    for (const code of ERROR_CODES) expect(statusForCode(code)).toBeGreaterThanOrEqual(400);
    expect(statusForCode('FORBIDDEN')).toBe(403);
    expect(statusForCode('UNSUPPORTED')).toBe(404);
    expect(statusForCode('DB_CORRUPT')).toBe(500);
  });
});

// ---- SSE -----------------------------------------------------------------------------------------

describe('GET /api/events', () => {
  it('sends retry and the current status on connect, then service events; unsubscribes on close', async () => {
    const { port, service } = await start();
    const sse = new SseClient(port, '/api/events');
    await sse.opened;
    expect(sse.status).toBe(200);
    expect(sse.headers['content-type']).toMatch(/^text\/event-stream/);
    await sse.waitFor(() => sse.events.length >= 1);
    expect(sse.retry).toBe(2000);
    expect(sse.events[0].event).toBe('status');
    expect(JSON.parse(sse.events[0].data)).toMatchObject({ generation: 7, file_count: 3 });
    expect(service.listeners.size).toBe(1);

    service.emit({ type: 'status', status: makeStatus({ rebuild_in_progress: true, phase: 'scanning' }) });
    service.emit({ type: 'library-changed', generation: 8 });
    await sse.waitFor(() => sse.events.length >= 3);
    expect(JSON.parse(sse.events[1].data)).toMatchObject({ rebuild_in_progress: true, phase: 'scanning' });
    expect(sse.events[2]).toEqual({ event: 'library-changed', data: '{"generation":8}' });

    sse.close();
    await waitUntil(() => service.listeners.size === 0);
  });

  it('sends a ping comment periodically', async () => {
    const { port } = await start({ pingMs: 30 });
    const sse = new SseClient(port, '/api/events');
    await sse.waitFor(() => sse.comments.includes('ping'));
    sse.close();
  });

  it('is ended by host.close()', async () => {
    const { port, host, service } = await start();
    const sse = new SseClient(port, '/api/events');
    await sse.waitFor(() => sse.events.length >= 1);
    await host.close();
    await waitUntil(() => service.listeners.size === 0);
  });
});

async function waitUntil(predicate: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

// ---- Access control ------------------------------------------------------------------------------

describe('token', () => {
  const TOKEN = 's3cret-token-0123456789';

  it('requires the token on every API route', async () => {
    const { port } = await start({ token: TOKEN });
    for (const url of ['/api/comics', '/api/cache/stats', '/api/comics/1', '/api/events', '/api/nope']) {
      const res = await rawRequest(port, { path: url });
      expect(res.status, url).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
  });

  it('refuses a wrong token, accepts the right one as a header or ?token=', async () => {
    const { port } = await start({ token: TOKEN });
    const wrong = await rawRequest(port, { path: '/api/cache/stats', headers: { Authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const wrongQuery = await rawRequest(port, { path: `/api/cache/stats?token=${TOKEN}x` });
    expect(wrongQuery.status).toBe(401);
    const header = await rawRequest(port, { path: '/api/cache/stats', headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(header.status).toBe(200);
    const query = await rawRequest(port, { path: `/api/comics?limit=1&token=${TOKEN}` });
    expect(query.status).toBe(200);
    expect((json(query) as ComicPage).items).toHaveLength(1);
  });

  it('works for SSE with ?token=', async () => {
    const { port } = await start({ token: TOKEN });
    const sse = new SseClient(port, `/api/events?token=${TOKEN}`);
    await sse.waitFor(() => sse.events.length >= 1);
    expect(sse.status).toBe(200);
    sse.close();
  });

  it('serves static files without a token', async () => {
    const { port } = await start({ token: TOKEN });
    const res = await rawRequest(port, { path: `/?token=${TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<title>Longbox</title>');
  });

  it('skips the Host check when a token is set', async () => {
    const { port } = await start({ token: TOKEN });
    const res = await rawRequest(port, {
      path: '/api/cache/stats',
      headers: { Host: 'nas.lan:7421', Authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
  });
});

describe('Host check (DNS rebinding)', () => {
  it.each(['evil.example', 'evil.example:7421', '127.0.0.1.evil.example', 'localhost.evil.example:80'])(
    'refuses Host: %s without a token',
    async (hostHeader) => {
      const { port } = await start();
      const api = await rawRequest(port, { path: '/api/cache/stats', headers: { Host: hostHeader } });
      expect(api.status).toBe(403);
      const page = await rawRequest(port, { path: '/', headers: { Host: hostHeader } });
      expect(page.status).toBe(403);
    },
  );

  it.each(['localhost', 'localhost:7421', '127.0.0.1:1234', '[::1]:7421'])('accepts Host: %s', async (hostHeader) => {
    const { port } = await start();
    const res = await rawRequest(port, { path: '/api/cache/stats', headers: { Host: hostHeader } });
    expect(res.status).toBe(200);
  });

  it('classifies hosts', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('127.1.2.3')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('::')).toBe(false);
    expect(isLoopbackHost('192.168.1.2')).toBe(false);
    expect(hostnameOf('[::1]:80')).toBe('[::1]');
    expect(hostnameOf('Example.COM:80')).toBe('example.com');
    expect(hostnameOf('a:b:c')).toBeNull();
  });
});

// ---- Static files --------------------------------------------------------------------------------

describe('static files', () => {
  it('serves index.html for / with the security headers', async () => {
    const { port } = await start();
    const res = await rawRequest(port, { path: '/' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('falls back to index.html for unknown app routes (SPA)', async () => {
    const { port } = await start();
    for (const url of ['/library', '/comics/12?x=1', '/deep/route/here']) {
      const res = await rawRequest(port, { path: url });
      expect(res.status, url).toBe(200);
      expect(res.text).toContain('<title>Longbox</title>');
      expect(res.headers['content-security-policy']).toBeDefined();
    }
  });

  it('serves hashed assets as immutable with their content types', async () => {
    const { port } = await start();
    const js = await rawRequest(port, { path: '/assets/index-abc123.js' });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['content-security-policy']).toBeUndefined();
    const css = await rawRequest(port, { path: '/assets/index-abc123.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const svg = await rawRequest(port, { path: '/favicon.svg' });
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['cache-control']).toBe('no-cache');
  });

  it('resolves ./assets from a deep SPA URL (base: ./)', async () => {
    const { port } = await start();
    const res = await rawRequest(port, { path: '/comics/12/assets/index-abc123.js' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('console.log(1)');
  });

  it('answers 404 (not index.html) for a missing asset or file with an extension', async () => {
    const { port } = await start();
    expect((await rawRequest(port, { path: '/assets/missing.js' })).status).toBe(404);
    expect((await rawRequest(port, { path: '/missing.png' })).status).toBe(404);
  });

  it('answers HEAD without a body', async () => {
    const { port } = await start();
    const res = await rawRequest(port, { method: 'HEAD', path: '/assets/index-abc123.js' });
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('14');
    expect(res.body.length).toBe(0);
  });

  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E/package.json',
    '/assets/..%2f..%2fpackage.json',
    '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
    '/assets/..\\..\\package.json',
    '/assets/..%5c..%5cpackage.json',
    '/index.html%00.js',
    '/%',
    '/.env',
    '/assets/./index-abc123.js',
  ])('refuses %s', async (url) => {
    const { port } = await start();
    const res = await rawRequest(port, { path: url });
    expect(res.status).toBe(400);
    expect(res.text).not.toContain('TOP-SECRET');
    expect(res.text).not.toContain('HIDDEN');
  });

  it('splits safe paths into segments', () => {
    expect(safeSegments('/')).toEqual([]);
    expect(safeSegments('/assets/a%20b.js')).toEqual(['assets', 'a b.js']);
    expect(() => safeSegments('/a/../b')).toThrow();
    expect(() => safeSegments('/C:/windows')).toThrow();
  });

  it('answers 404 JSON for non-API paths when no renderer is configured', async () => {
    const { port } = await start({ noStatic: true });
    const res = await rawRequest(port, { path: '/' });
    expect(res.status).toBe(404);
  });
});

describe('list latency', () => {
  it('serves a 100-row page quickly', async () => {
    const { port, service } = await start();
    for (let id = 4; id <= 150; id++) service.comics.set(id, makeComic(id));
    await rawRequest(port, { path: '/api/comics?limit=100' });
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      const res = await rawRequest(port, { path: '/api/comics?limit=100' });
      times.push(performance.now() - t);
      expect(res.status).toBe(200);
    }
    times.sort((a, b) => a - b);
    // Generous bound for a shared CI machine; the point is "no accidental O(n) work per request".
    expect(times[Math.floor(times.length / 2)]).toBeLessThan(25);
  });
});
