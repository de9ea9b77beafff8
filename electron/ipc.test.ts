import { describe, expect, it, vi } from 'vitest';
import { LongboxError } from '../shared/errors.js';
import { EVENT_CHANNEL, INVOKE_CHANNELS, READY_CHANNEL, type InvokeChannel } from '../shared/ipc.js';
import type { BulkStateRequest, CacheStatus, ComicDetail, ComicPage, LibraryEvent, LibraryInfo } from '../shared/types.js';
import {
  allowOrigins,
  createIpcRouter,
  emptyStatus,
  isTrustedSender,
  originOf,
  type IpcBackend,
  type IpcEventLike,
  type IpcMainLike,
  type WebContentsLike,
} from './ipc.js';
import type { LibraryServiceApi } from './library/service-types.js';

type Listener = (event: IpcEventLike, ...args: unknown[]) => unknown;

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  readonly listeners = new Map<string, Set<Listener>>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  on(channel: string, listener: Listener): this {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
    this.listeners.get(channel)!.add(listener);
    return this;
  }
  removeListener(channel: string, listener: Listener): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }
  /** Like ipcRenderer.invoke: the args after the event are exactly what the renderer passed. */
  async invoke(channel: string, event: IpcEventLike, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    // Whatever crosses IPC is structured-cloned: a result that cannot be cloned would fail here.
    return structuredClone(await handler(event, ...args));
  }
  emit(channel: string, event: IpcEventLike, ...args: unknown[]): void {
    for (const listener of this.listeners.get(channel) ?? []) listener(event, ...args);
  }
}

class FakeContents implements WebContentsLike {
  readonly sent: Array<{ channel: string; payload: unknown }> = [];
  destroyed = false;
  constructor(readonly id: number) {}
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload: structuredClone(payload) });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

const APP_URL = 'longbox://app/index.html';

function eventFrom(id: number, url = APP_URL, parent: unknown = null): IpcEventLike {
  return { sender: { id }, senderFrame: { url, parent } };
}

function status(generation = 3): CacheStatus {
  return { ...emptyStatus(), generation, file_count: 10, is_populated: true, library_root: '/comics' };
}

const page: ComicPage = { items: [], total: 0, offset: 0, generation: 3, stale: false };

function fakeService(): LibraryServiceApi & { emit(event: LibraryEvent): void; listenerCount(): number } {
  const listeners = new Set<(event: LibraryEvent) => void>();
  return {
    root: '/comics',
    getStatus: vi.fn(() => status()),
    listComics: vi.fn(async () => page),
    getComic: vi.fn(async (id: number) => {
      if (id === 404) throw new LongboxError('NOT_FOUND', `no comic ${id}`);
      if (id === 500) throw new Error('database is locked');
      if (id === 501) throw 'a string, not an Error';
      return { id } as unknown as ComicDetail;
    }),
    getCover: vi.fn(async () => ({ data: Buffer.from('x'), contentType: 'image/jpeg' })),
    getComicPath: vi.fn(async (id: number) => `/comics/${id}.cbz`),
    listPages: vi.fn(async (id: number) => {
      if (id === 404) throw new LongboxError('NOT_FOUND', `no comic ${id}`);
      return { pages: [{ index: 0, name: '01.jpg', size: 3, width: 10, height: 20, spread: false }], direction: 'ltr' as const };
    }),
    getPage: vi.fn(async () => ({ data: Buffer.from('x'), contentType: 'image/jpeg', fingerprint: 'fp' })),
    getFingerprint: vi.fn(async () => 'fp'),
    refresh: vi.fn(),
    retryComic: vi.fn(async () => {}),
    setUserState: vi.fn(async () => ({ read: true, lastPage: null, favourite: false, lastReadAt: null })),
    getReaderSettings: vi.fn(async () => null),
    setReaderSettings: vi.fn(async () => {}),
    listSeries: vi.fn(async () => ({ items: [], total: 0, offset: 0, generation: 3, stale: false })),
    listFolder: vi.fn(async (path: string) => ({ path, folders: [], comic_count: 0, direct_count: 0, generation: 3, stale: false })),
    getHome: vi.fn(async () => ({ continue: [], on_deck: [], recent: [], generation: 3, stale: false })),
    setReadState: vi.fn(async (request: BulkStateRequest) => ({ count: 1, ...('read' in request ? { read: request.read } : { favourite: request.favourite }) })),
    exportUserState: vi.fn(async () => {
      throw new Error('not in this double');
    }),
    importUserState: vi.fn(async () => {
      throw new Error('not in this double');
    }),
    listOrphans: vi.fn(async () => []),
    pruneOrphans: vi.fn(async () => 0),
    subscribe: vi.fn((listener: (event: LibraryEvent) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
    whenIdle: vi.fn(async () => {}),
    close: vi.fn(async () => {}),
    emit(event: LibraryEvent) {
      for (const listener of listeners) listener(event);
    },
    listenerCount: () => listeners.size,
  };
}

const library: LibraryInfo = { root: '/comics', isSample: false };

function setup(options: { withService?: boolean } = {}) {
  const ipcMain = new FakeIpcMain();
  const backend: IpcBackend = {
    getLibrary: vi.fn(async () => library),
    chooseLibrary: vi.fn(async () => library),
    openSampleLibrary: vi.fn(async () => ({ root: '/sample', isSample: true })),
    openPath: vi.fn(async (file: string) => {
      if (file.endsWith('/13.cbz')) throw new LongboxError('UNSUPPORTED', 'no app for .cbz');
    }),
    revealPath: vi.fn(),
  };
  const onSelectionChange = vi.fn();
  const router = createIpcRouter(backend, { ipcMain, isAllowedUrl: allowOrigins(['longbox://app']), onSelectionChange });
  const service = fakeService();
  if (options.withService !== false) router.setService(service);
  const contents = new FakeContents(7);
  router.attachWindow(contents);
  const call = (channel: string, ...args: unknown[]) => ipcMain.invoke(channel, eventFrom(7), ...args);
  return { ipcMain, backend, router, service, contents, call, onSelectionChange };
}

describe('sender checks', () => {
  it('originOf gives scheme://host, also for custom schemes (URL.origin is "null" for those)', () => {
    expect(originOf('longbox://app/index.html')).toBe('longbox://app');
    expect(originOf('http://localhost:5173/x')).toBe('http://localhost:5173');
    expect(originOf('file:///etc/passwd')).toBe('file://');
    expect(originOf('not a url')).toBeNull();
  });

  it('isTrustedSender needs a trusted id, the main frame and an allowed origin', () => {
    const allowed = allowOrigins(['longbox://app']);
    const ids = new Set([1]);
    expect(isTrustedSender(eventFrom(1), ids, allowed)).toBe(true);
    expect(isTrustedSender(eventFrom(2), ids, allowed)).toBe(false);
    expect(isTrustedSender(eventFrom(1, APP_URL, { url: APP_URL }), ids, allowed)).toBe(false);
    expect(isTrustedSender(eventFrom(1, 'https://evil.example/'), ids, allowed)).toBe(false);
    expect(isTrustedSender({ sender: { id: 1 }, senderFrame: null }, ids, allowed)).toBe(false);
    expect(isTrustedSender({ sender: { id: 1 }, senderFrame: undefined }, ids, allowed)).toBe(false);
  });
});

describe('IPC router: binding', () => {
  it('binds every InvokeMap channel once and READY, and dispose unbinds them', () => {
    const { ipcMain, router } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(ipcMain.listeners.get(READY_CHANNEL)?.size).toBe(1);
    router.dispose();
    expect(ipcMain.handlers.size).toBe(0);
    expect(ipcMain.listeners.get(READY_CHANNEL)?.size).toBe(0);
  });
});

describe('IPC router: valid calls reach the library and come back as IpcResult', () => {
  it('library:refresh answers the status the Refresh was accepted with', async () => {
    const { call, service } = setup();
    const accepted = { ...status(), rebuild_in_progress: true, phase: 'scanning' as const };
    vi.mocked(service.refresh).mockReturnValueOnce(accepted);
    expect(await call('library:refresh', {})).toEqual({ ok: true, value: accepted });
    expect(service.refresh).toHaveBeenCalledWith('user');
  });

  it('answers every channel', async () => {
    const { call, service, backend } = setup();
    expect(await call('library:get-status', {})).toEqual({ ok: true, value: status() });
    expect(await call('library:list-comics', { offset: 0, limit: 50, sort: 'title', order: 'desc', q: 'saga' })).toEqual({ ok: true, value: page });
    expect(service.listComics).toHaveBeenCalledWith({ offset: 0, limit: 50, sort: 'title', order: 'desc', q: 'saga' });
    expect(await call('library:get-comic', { id: 5 })).toEqual({ ok: true, value: { id: 5 } });
    expect(await call('library:list-pages', { id: 5 })).toMatchObject({ ok: true, value: { direction: 'ltr', pages: [{ index: 0, width: 10 }] } });
    expect(await call('library:list-pages', { id: 404 })).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'no comic 404' } });
    expect(await call('library:refresh', {})).toEqual({ ok: true, value: undefined });
    expect(service.refresh).toHaveBeenCalledTimes(1);
    expect(await call('library:set-user-state', { id: 5, patch: { read: true } })).toMatchObject({ ok: true });
    expect(service.setUserState).toHaveBeenCalledWith(5, { read: true });
    expect(await call('library:get-library', {})).toEqual({ ok: true, value: library });
    expect(await call('library:choose-library', {})).toEqual({ ok: true, value: library });
    expect(await call('library:open-sample', {})).toEqual({ ok: true, value: { root: '/sample', isSample: true } });
    expect(await call('comic:open', { id: 9 })).toEqual({ ok: true, value: undefined });
    expect(backend.openPath).toHaveBeenCalledWith('/comics/9.cbz');
    expect(await call('comic:reveal', { id: 10 })).toEqual({ ok: true, value: undefined });
    expect(backend.revealPath).toHaveBeenCalledWith('/comics/10.cbz');
    expect(await call('comic:retry', { id: 11 })).toEqual({ ok: true, value: undefined });
    expect(service.retryComic).toHaveBeenCalledWith(11);
    expect(await call('reader:get-settings', { seriesKey: 'saga' })).toEqual({ ok: true, value: null });
    expect(service.getReaderSettings).toHaveBeenCalledWith('saga');
    const settings = { mode: 'webtoon', direction: 'ltr', fit: 'width', zoom: 1 } as const;
    expect(await call('reader:set-settings', { seriesKey: 'saga', settings })).toEqual({ ok: true, value: undefined });
    expect(service.setReaderSettings).toHaveBeenCalledWith('saga', settings);
    expect(await call('library:list-series', { q: 'saga' })).toMatchObject({ ok: true });
    expect(service.listSeries).toHaveBeenCalledWith({ offset: 0, limit: 100, sort: 'name', order: 'asc', q: 'saga' });
    expect(await call('library:list-folder', { path: 'Marvel/X' })).toMatchObject({ ok: true, value: { path: 'Marvel/X' } });
    expect(await call('library:get-home', {})).toMatchObject({ ok: true });
    expect(await call('library:set-read-state', { ids: [1, 2], read: true })).toEqual({ ok: true, value: { count: 1, read: true } });
    expect(service.setReadState).toHaveBeenCalledWith({ ids: [1, 2], read: true });
  });

  it('fills in the query defaults from the schema', async () => {
    const { call, service } = setup();
    await call('library:list-comics', {});
    expect(service.listComics).toHaveBeenCalledWith({ offset: 0, limit: 100, sort: 'series', order: 'asc' });
  });

  it('without a library: status is the empty status, everything that needs one is NO_LIBRARY', async () => {
    const { call } = setup({ withService: false });
    expect(await call('library:get-status', {})).toEqual({ ok: true, value: emptyStatus() });
    expect(await call('library:list-comics', {})).toMatchObject({ ok: false, error: { code: 'NO_LIBRARY' } });
    expect(await call('library:refresh', {})).toMatchObject({ ok: false, error: { code: 'NO_LIBRARY' } });
    expect(await call('comic:reveal', { id: 1 })).toMatchObject({ ok: false, error: { code: 'NO_LIBRARY' } });
    expect(await call('library:get-library', {})).toEqual({ ok: true, value: library });
  });
});

describe('IPC router: argument validation', () => {
  const huge = 'x'.repeat(1_000_000);
  const table: Array<[InvokeChannel, unknown[]]> = [
    ['library:get-status', [{ extra: 1 }]],
    ['library:get-status', [null]],
    ['library:get-status', ['']],
    ['library:get-status', []],
    ['library:get-status', [{}, {}]],
    ['library:list-comics', [{ offset: -1 }]],
    ['library:list-comics', [{ offset: 1.5 }]],
    ['library:list-comics', [{ limit: 0 }]],
    ['library:list-comics', [{ limit: 501 }]],
    ['library:list-comics', [{ limit: '10' }]],
    ['library:list-comics', [{ q: huge }]],
    ['library:list-comics', [{ q: 'x'.repeat(201) }]],
    ['library:list-comics', [{ sort: 'path; DROP TABLE comics' }]],
    ['library:list-comics', [{ order: 'sideways' }]],
    ['library:list-comics', [{ filter: { formats: ['exe'] } }]],
    ['library:list-comics', [{ filter: { sneaky: true } }]],
    ['library:list-comics', [{ extra: 1 }]],
    ['library:list-comics', [[]]],
    ['library:get-comic', [{ id: -1 }]],
    ['library:get-comic', [{ id: 0 }]],
    ['library:get-comic', [{ id: 1.5 }]],
    ['library:get-comic', [{ id: Number.NaN }]],
    ['library:get-comic', [{ id: Number.POSITIVE_INFINITY }]],
    ['library:get-comic', [{ id: Number.MAX_SAFE_INTEGER + 2 }]],
    ['library:get-comic', [{ id: '1' }]],
    ['library:get-comic', [{ id: huge }]],
    ['library:get-comic', [{ id: 1, path: '/etc/passwd' }]],
    ['library:list-pages', [{ id: 0 }]],
    ['library:list-pages', [{ id: 1, file: '/etc/passwd' }]],
    ['library:get-comic', [{}]],
    ['library:get-comic', [1]],
    ['library:refresh', [{ force: true }]],
    ['library:set-user-state', [{ id: 1, patch: { read: 'yes' } }]],
    ['library:set-user-state', [{ id: 1, patch: { lastPage: -1 } }]],
    ['library:set-user-state', [{ id: 1, patch: { admin: true } }]],
    ['library:set-user-state', [{ id: -3, patch: {} }]],
    ['library:set-user-state', [{ id: 1 }]],
    ['library:get-library', [{ root: '/' }]],
    ['library:choose-library', [{ path: '/etc' }]],
    ['library:open-sample', [{ out: '/tmp' }]],
    ['comic:open', [{ id: -7 }]],
    ['comic:open', [{ path: '/bin/sh' }]],
    ['comic:reveal', [{ id: '../../etc/passwd' }]],
    ['comic:reveal', [{ id: 2, extra: true }]],
    ['comic:retry', [{ id: 0 }]],
    ['comic:retry', [{ id: 2, path: '/etc/passwd' }]],
    ['reader:get-settings', [{ seriesKey: '' }]],
    ['reader:get-settings', [{ seriesKey: huge }]],
    ['reader:set-settings', [{ seriesKey: 's', settings: { mode: 'double', direction: 'ltr', fit: 'width' } }]],
    ['reader:set-settings', [{ seriesKey: 's', settings: { mode: 'triple', direction: 'ltr', fit: 'width', zoom: 1 } }]],
    ['reader:set-settings', [{ seriesKey: 's', settings: { mode: 'single', direction: 'ltr', fit: 'width', zoom: 1, extra: 1 } }]],
    ['reader:set-settings', [{ seriesKey: 's', settings: { mode: 'single', direction: 'ltr', fit: 'width', zoom: Number.POSITIVE_INFINITY } }]],
    ['library:list-series', [{ sort: 'popularity' }]],
    ['library:list-series', [{ limit: 100_000 }]],
    ['library:list-folder', [{ path: '../../etc' }]],
    ['library:list-folder', [{ path: '/etc' }]],
    ['library:list-folder', [{}]],
    ['library:get-home', [{ all: true }]],
    ['library:set-read-state', [{ read: true }]],
    ['library:set-read-state', [{ ids: [], read: true }]],
    ['library:set-read-state', [{ series: 'Not A Key!', read: true }]],
    ['library:set-read-state', [{ folder: 'a/../b', read: false }]],
    ['library:set-read-state', [{ ids: [1], series: 'saga', read: true }]],
  ];
  // Short labels: the huge strings stay out of the test names.
  const bad = table.map(([channel, args]) => [channel, JSON.stringify(args).slice(0, 60), args] as const);

  it.each(bad)('%s %s → BAD_REQUEST, the library is not called', async (channel, _label, args) => {
    const { ipcMain, service, backend } = setup();
    const result = (await ipcMain.invoke(channel, eventFrom(7), ...args)) as { ok: boolean; error?: { code: string; message: string } };
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe('BAD_REQUEST');
    expect(result.error?.message.length).toBeLessThanOrEqual(500);
    expect(result.error?.message).not.toContain('xxxxxxxxxx');
    for (const fn of [service.listComics, service.getComic, service.refresh, service.setUserState, service.getComicPath, service.setReaderSettings, service.getReaderSettings]) expect(fn).not.toHaveBeenCalled();
    for (const fn of [backend.chooseLibrary, backend.openSampleLibrary, backend.openPath, backend.revealPath]) expect(fn).not.toHaveBeenCalled();
  });

  it('every channel has at least one refused argument in the table above', () => {
    expect(new Set(bad.map(([channel]) => channel))).toEqual(new Set(INVOKE_CHANNELS));
  });
});

describe('IPC router: untrusted senders', () => {
  const cases: Array<[string, IpcEventLike]> = [
    ['an unknown webContents', eventFrom(99)],
    ['a sub-frame of our window', eventFrom(7, APP_URL, { url: APP_URL })],
    ['a foreign https origin', eventFrom(7, 'https://evil.example/index.html')],
    ['a file:// page', eventFrom(7, 'file:///tmp/evil.html')],
    ['the cover host (not the app)', eventFrom(7, 'longbox://cover/1')],
    ['a data: URL', eventFrom(7, 'data:text/html,hi')],
    ['an about:blank frame', eventFrom(7, 'about:blank')],
    ['a frame that is gone', { sender: { id: 7 }, senderFrame: null }],
  ];

  it.each(cases)('%s → FORBIDDEN for every channel, nothing called', async (_label, event) => {
    const { ipcMain, service, backend } = setup();
    vi.mocked(service.getStatus).mockClear(); // setService read it once to announce the library
    for (const channel of INVOKE_CHANNELS) {
      const result = await ipcMain.invoke(channel, event, channel.includes('comic:') || channel === 'library:get-comic' ? { id: 1 } : {});
      expect(result).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } });
    }
    expect(service.getStatus).not.toHaveBeenCalled();
    expect(service.getComicPath).not.toHaveBeenCalled();
    expect(backend.chooseLibrary).not.toHaveBeenCalled();
  });

  it('a detached window is no longer trusted', async () => {
    const { router, call } = setup();
    router.detachWindow(7);
    expect(await call('library:get-status', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('IPC router: errors cross as { code, message } only', () => {
  it('LongboxError keeps its code; anything else is INTERNAL; never a stack', async () => {
    const { call } = setup();
    const notFound = await call('library:get-comic', { id: 404 });
    expect(notFound).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'no comic 404' } });
    const internal = await call('library:get-comic', { id: 500 });
    expect(internal).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'database is locked' } });
    const thrownString = await call('library:get-comic', { id: 501 });
    expect(thrownString).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'a string, not an Error' } });
    for (const result of [notFound, internal, thrownString]) {
      expect(JSON.stringify(result)).not.toMatch(/stack|at .*\.ts:\d+/);
      expect(Object.keys((result as { error: object }).error).sort()).toEqual(['code', 'message']);
    }
  });

  it('a failing shell action becomes its error code', async () => {
    const { call } = setup();
    expect(await call('comic:open', { id: 13 })).toEqual({ ok: false, error: { code: 'UNSUPPORTED', message: 'no app for .cbz' } });
  });
});

describe('IPC router: events', () => {
  const statusEvent = (generation: number): LibraryEvent => ({ type: 'status', status: status(generation) });

  it('queues events until the window says READY, then flushes them in order', () => {
    const { ipcMain, service, contents } = setup();
    service.emit(statusEvent(4));
    service.emit({ type: 'library-changed', generation: 4 });
    service.emit(statusEvent(5));
    expect(contents.sent).toEqual([]);
    ipcMain.emit(READY_CHANNEL, eventFrom(7));
    expect(contents.sent.map((m) => m.channel)).toEqual([EVENT_CHANNEL, EVENT_CHANNEL]);
    // The queued statuses were coalesced into the newest one.
    expect(contents.sent.map((m) => m.payload)).toEqual([{ type: 'library-changed', generation: 4 }, statusEvent(5)]);
    service.emit(statusEvent(6));
    expect(contents.sent.at(-1)).toEqual({ channel: EVENT_CHANNEL, payload: statusEvent(6) });
  });

  it('ignores READY from an untrusted sender (the queue stays)', () => {
    const { ipcMain, service, contents } = setup();
    service.emit(statusEvent(4));
    ipcMain.emit(READY_CHANNEL, eventFrom(7, 'https://evil.example/'));
    ipcMain.emit(READY_CHANNEL, eventFrom(7, APP_URL, { url: APP_URL }));
    ipcMain.emit(READY_CHANNEL, eventFrom(8));
    expect(contents.sent).toEqual([]);
  });

  it('queues again after a reload (markNotReady) and skips destroyed webContents', () => {
    const { ipcMain, service, contents, router } = setup();
    ipcMain.emit(READY_CHANNEL, eventFrom(7));
    const before = contents.sent.length;
    router.markNotReady(7);
    service.emit(statusEvent(6));
    expect(contents.sent.length).toBe(before);
    ipcMain.emit(READY_CHANNEL, eventFrom(7));
    expect(contents.sent.at(-1)?.payload).toEqual(statusEvent(6));
    contents.destroyed = true;
    service.emit(statusEvent(7));
    expect(contents.sent.at(-1)?.payload).toEqual(statusEvent(6));
  });

  it('keeps a bounded queue for a renderer that never says READY', () => {
    const { service, router } = setup();
    const contents = new FakeContents(8);
    router.attachWindow(contents);
    for (let i = 0; i < 1000; i++) service.emit({ type: 'library-changed', generation: i });
    (router as unknown as { dispose(): void }).dispose();
    // Nothing was sent and nothing blew up; the bound itself is checked through the flush below.
    const again = setup();
    for (let i = 0; i < 1000; i++) again.service.emit({ type: 'library-changed', generation: i });
    again.ipcMain.emit(READY_CHANNEL, eventFrom(7));
    expect(again.contents.sent.length).toBeLessThanOrEqual(100);
    expect(again.contents.sent.at(-1)?.payload).toEqual({ type: 'library-changed', generation: 999 });
  });

  it('switching libraries unsubscribes the old service and announces the new one', () => {
    const { ipcMain, service, contents, router } = setup();
    ipcMain.emit(READY_CHANNEL, eventFrom(7));
    const next = fakeService();
    router.setService(next);
    expect(service.listenerCount()).toBe(0);
    expect(next.listenerCount()).toBe(1);
    expect(contents.sent.slice(-2).map((m) => m.payload)).toEqual([statusEvent(3), { type: 'library-changed', generation: 3 }]);
    const count = contents.sent.length;
    service.emit(statusEvent(42));
    expect(contents.sent.length).toBe(count);
    router.setService(null);
    expect(next.listenerCount()).toBe(0);
    expect(contents.sent.at(-1)?.payload).toEqual({ type: 'status', status: emptyStatus() });
  });
});

describe('IPC router: the selected comic (menu Reveal / Open)', () => {
  it('follows get-comic, open and reveal, and resets on a library switch', async () => {
    const { call, router, onSelectionChange, backend } = setup();
    expect(router.selectedComicId).toBeNull();
    await call('library:get-comic', { id: 5 });
    expect(router.selectedComicId).toBe(5);
    expect(onSelectionChange).toHaveBeenLastCalledWith(5);
    await call('library:get-comic', { id: 404 });
    expect(router.selectedComicId).toBe(5);
    await router.revealComic(5);
    expect(backend.revealPath).toHaveBeenCalledWith('/comics/5.cbz');
    router.setService(fakeService());
    expect(router.selectedComicId).toBeNull();
    expect(onSelectionChange).toHaveBeenLastCalledWith(null);
  });
});
