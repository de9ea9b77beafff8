import { describe, expect, it } from 'vitest';
import { LongboxError } from '../../shared/errors.js';
import type { LibraryEvent } from '../../shared/types.js';
import { makeStatus } from '../testing/fake-api.js';
import { createHttpApi } from './http-api.js';
import { isRefreshShortcut, nextIndex } from './keyboard.js';

interface Call {
  url: string;
  init: RequestInit | undefined;
}

function fakeFetch(answer: (url: string) => { status: number; body: unknown }) {
  const calls: Call[] = [];
  const fn = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    calls.push({ url, init });
    const { status, body } = answer(url);
    return new Response(body === undefined ? '' : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  };
  return { calls, fn: fn as typeof fetch };
}

class FakeEventSource {
  static last: FakeEventSource | null = null;
  readonly listeners = new Map<string, Array<(e: Event) => void>>();
  isClosed = false;
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, fn: (e: Event) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close() {
    this.isClosed = true;
  }
  fire(type: string, data?: unknown) {
    const event = data === undefined ? new Event(type) : new MessageEvent(type, { data: JSON.stringify(data) });
    for (const fn of this.listeners.get(type) ?? []) fn(event);
  }
}

describe('createHttpApi', () => {
  it('lists comics with the shared query params and a Bearer token', async () => {
    const { calls, fn } = fakeFetch(() => ({ status: 200, body: { items: [], total: 0, offset: 200, generation: 3, stale: false } }));
    const api = createHttpApi('http://127.0.0.1:9/', { token: 's3cret', fetch: fn });
    const page = await api.listComics({ offset: 200, limit: 100, q: 'saga', sort: 'title', order: 'desc', filter: { hasError: true, formats: ['zip'] } });
    expect(page.generation).toBe(3);
    expect(calls[0].url).toBe('http://127.0.0.1:9/api/comics?offset=200&limit=100&q=saga&sort=title&order=desc&filter=errors&format=zip');
    expect((calls[0].init?.headers as Record<string, string>).Authorization).toBe('Bearer s3cret');
    expect(api.coverUrl(7, 'ab_c')).toBe('http://127.0.0.1:9/api/comics/7/cover?v=ab_c&token=s3cret');
  });

  it('maps the routes: stats, refresh, state, library (capabilities)', async () => {
    const status = makeStatus({ file_count: 9 });
    const { calls, fn } = fakeFetch((url) => {
      if (url.endsWith('/api/cache/stats')) return { status: 200, body: { enriched_file_cache: status } };
      if (url.endsWith('/api/cache/refresh')) return { status: 202, body: { accepted: true, enriched_file_cache: { ...status, rebuild_in_progress: true } } };
      if (url.endsWith('/state')) return { status: 200, body: { read: true, lastPage: null, favourite: false } };
      if (url.endsWith('/api/library')) return { status: 200, body: { library: { root: '/c', isSample: false }, capabilities: { chooseFolder: false, openFile: false, revealFile: false } } };
      return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no such endpoint' } } };
    });
    const api = createHttpApi('http://h', { fetch: fn });
    expect((await api.getStatus()).file_count).toBe(9);
    expect(await api.refresh()).toEqual({ ...status, rebuild_in_progress: true });
    expect(calls[1].init?.method).toBe('POST');
    expect(await api.setUserState(4, { read: true })).toEqual({ read: true, lastPage: null, favourite: false });
    expect(calls[2].url).toBe('http://h/api/comics/4/state');
    expect(calls[2].init?.body).toBe('{"read":true}');
    expect(await api.getLibrary()).toEqual({ root: '/c', isSample: false });
    expect(api.capabilities).toEqual({ chooseFolder: false, openFile: false, revealFile: false });
    await expect(api.openComic(1)).rejects.toBeInstanceOf(LongboxError);
  });

  it('turns { error: { code, message } } into a LongboxError', async () => {
    const { fn } = fakeFetch(() => ({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'no comic 5' } } }));
    const api = createHttpApi('http://h', { fetch: fn });
    const err = await api.getComic(5).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LongboxError);
    expect((err as LongboxError).code).toBe('NOT_FOUND');
    expect((err as LongboxError).message).toBe('no comic 5');
  });

  it('reads status and library-changed from one shared EventSource', () => {
    const api = createHttpApi('http://h', { token: 't', EventSource: FakeEventSource as unknown as typeof EventSource, fetch: fakeFetch(() => ({ status: 500, body: {} })).fn });
    const a: LibraryEvent[] = [];
    const b: LibraryEvent[] = [];
    const offA = api.subscribe((e) => a.push(e));
    const offB = api.subscribe((e) => b.push(e));
    const es = FakeEventSource.last!;
    expect(es.url).toBe('http://h/api/events?token=t');
    es.fire('status', makeStatus({ generation: 1, rebuild_in_progress: true }));
    es.fire('library-changed', { generation: 2 });
    es.fire('library-changed', { generation: 2 }); // duplicate: dropped
    expect(a.map((e) => e.type)).toEqual(['status', 'library-changed']);
    expect(b).toHaveLength(2);
    // A newer generation seen only in a status (a swap missed while reconnecting) becomes library-changed.
    es.fire('status', makeStatus({ generation: 4 }));
    expect(a.at(-1)).toEqual({ type: 'library-changed', generation: 4 });
    offA();
    expect(es.isClosed).toBe(false);
    offB();
    expect(es.isClosed).toBe(true);
  });
});

describe('keyboard', () => {
  const geo = { total: 100, columns: 5, pageRows: 3 };
  it('moves by cell, row, page and to the ends', () => {
    expect(nextIndex('ArrowRight', 0, geo)).toBe(1);
    expect(nextIndex('ArrowDown', 2, geo)).toBe(7);
    expect(nextIndex('ArrowUp', 2, geo)).toBe(0);
    expect(nextIndex('PageDown', 2, geo)).toBe(17);
    expect(nextIndex('End', 2, geo)).toBe(99);
    expect(nextIndex('Home', 50, geo)).toBe(0);
    expect(nextIndex('ArrowDown', 98, geo)).toBe(99);
    expect(nextIndex('ArrowRight', 3, { ...geo, columns: 1 })).toBeNull();
    expect(nextIndex('a', 3, geo)).toBeNull();
  });
  it('knows the refresh shortcuts', () => {
    expect(isRefreshShortcut({ key: 'F5', ctrlKey: false, metaKey: false, altKey: false })).toBe(true);
    expect(isRefreshShortcut({ key: 'r', ctrlKey: true, metaKey: false, altKey: false })).toBe(true);
    expect(isRefreshShortcut({ key: 'R', ctrlKey: false, metaKey: true, altKey: false })).toBe(true);
    expect(isRefreshShortcut({ key: 'r', ctrlKey: false, metaKey: false, altKey: false })).toBe(false);
  });
});
