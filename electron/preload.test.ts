// The real preload.ts with `electron` replaced by a recording fake (the binary is not needed: the
// module is never loaded). Checks what the page can reach and how results and errors come back. The
// page sees window.longbox through the renderer's unwrapping (renderer/lib/bridge-api.ts), as the
// app does: the tests call that LibraryApi; the raw bridge's IpcResults are checked on their own.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LibraryApi } from '../shared/api.js';
import { EVENT_CHANNEL, INVOKE_CHANNELS, READY_CHANNEL, coverProtocolUrl, type LongboxBridge } from '../shared/ipc.js';
import { unwrapBridge } from '../renderer/lib/bridge-api.js';

type Listener = (event: unknown, payload: unknown) => void;

const fake = vi.hoisted(() => {
  const state = {
    exposed: new Map<string, unknown>(),
    invoked: [] as Array<{ channel: string; args: unknown[] }>,
    sent: [] as Array<{ channel: string; args: unknown[] }>,
    listeners: new Map<string, Set<(event: unknown, payload: unknown) => void>>(),
    answer: (_channel: string, _arg: unknown): unknown => ({ ok: true, value: null }),
  };
  return state;
});

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => fake.exposed.set(key, api),
  },
  ipcRenderer: {
    invoke: async (channel: string, ...args: unknown[]) => {
      fake.invoked.push({ channel, args });
      return fake.answer(channel, args[0]);
    },
    send: (channel: string, ...args: unknown[]) => fake.sent.push({ channel, args }),
    on: (channel: string, listener: Listener) => {
      if (!fake.listeners.has(channel)) fake.listeners.set(channel, new Set());
      fake.listeners.get(channel)!.add(listener);
    },
    removeListener: (channel: string, listener: Listener) => fake.listeners.get(channel)?.delete(listener),
  },
}));

async function loadPreload(): Promise<LibraryApi> {
  vi.resetModules();
  fake.exposed.clear();
  fake.invoked.length = 0;
  fake.sent.length = 0;
  fake.listeners.clear();
  await import('./preload.js');
  return unwrapBridge(bridge());
}

/** window.longbox itself, as the preload exposed it. */
function bridge(): LongboxBridge {
  return fake.exposed.get('longbox') as LongboxBridge;
}

describe('preload', () => {
  let api: LibraryApi;
  beforeEach(async () => {
    fake.answer = () => ({ ok: true, value: null });
    api = await loadPreload();
  });

  it('exposes exactly one global, window.longbox, with the LibraryApi methods and nothing else', () => {
    expect([...fake.exposed.keys()]).toEqual(['longbox']);
    expect(Object.keys(api).sort()).toEqual(
      [
        'capabilities',
        'chooseLibrary',
        'coverUrl',
        'getComic',
        'getHome',
        'getLibrary',
        'getReaderSettings',
        'getStatus',
        'listComics',
        'listPages',
        'listFolder',
        'listSeries',
        'openComic',
        'openSampleLibrary',
        'pageUrl',
        'refresh',
        'revealComic',
        'retryComic',
        'setReaderSettings',
        'setReadState',
        'setUserState',
        'subscribe',
      ].sort(),
    );
    expect(api.capabilities).toEqual({ chooseFolder: true, openFile: true, revealFile: true, appMenu: true });
    expect(JSON.stringify(api)).not.toMatch(/ipcRenderer|invoke/);
  });

  it('calls one channel per method with one object argument, covering every channel', async () => {
    await api.getStatus();
    await api.listComics({ offset: 0, limit: 10, sort: 'series', order: 'asc' });
    await api.getComic(3);
    await api.refresh();
    await api.setUserState(3, { read: true });
    await api.getLibrary();
    await api.chooseLibrary();
    await api.openSampleLibrary();
    await api.openComic(4);
    await api.revealComic(5);
    await api.retryComic(6);
    await api.listPages(7);
    await api.getReaderSettings('saga|1');
    await api.setReaderSettings('saga|1', { mode: 'double', direction: 'rtl', fit: 'height', zoom: 1.5 });
    await api.listSeries({ offset: 0, limit: 20, sort: 'name', order: 'asc' });
    await api.listFolder('Marvel/X');
    await api.getHome();
    await api.setReadState({ series: 'saga', read: true });
    expect(fake.invoked).toEqual([
      { channel: 'library:get-status', args: [{}] },
      { channel: 'library:list-comics', args: [{ offset: 0, limit: 10, sort: 'series', order: 'asc' }] },
      { channel: 'library:get-comic', args: [{ id: 3 }] },
      { channel: 'library:refresh', args: [{}] },
      { channel: 'library:set-user-state', args: [{ id: 3, patch: { read: true } }] },
      { channel: 'library:get-library', args: [{}] },
      { channel: 'library:choose-library', args: [{}] },
      { channel: 'library:open-sample', args: [{}] },
      { channel: 'comic:open', args: [{ id: 4 }] },
      { channel: 'comic:reveal', args: [{ id: 5 }] },
      { channel: 'comic:retry', args: [{ id: 6 }] },
      { channel: 'library:list-pages', args: [{ id: 7 }] },
      { channel: 'reader:get-settings', args: [{ seriesKey: 'saga|1' }] },
      { channel: 'reader:set-settings', args: [{ seriesKey: 'saga|1', settings: { mode: 'double', direction: 'rtl', fit: 'height', zoom: 1.5 } }] },
      { channel: 'library:list-series', args: [{ offset: 0, limit: 20, sort: 'name', order: 'asc' }] },
      { channel: 'library:list-folder', args: [{ path: 'Marvel/X' }] },
      { channel: 'library:get-home', args: [{}] },
      { channel: 'library:set-read-state', args: [{ series: 'saga', read: true }] },
    ]);
    expect(new Set(fake.invoked.map((call) => call.channel))).toEqual(new Set(INVOKE_CHANNELS));
  });

  it('unwraps IpcResult values', async () => {
    fake.answer = () => ({ ok: true, value: { root: '/comics', isSample: false } });
    expect(await api.getLibrary()).toEqual({ root: '/comics', isSample: false });
  });

  it('rejects with a LongboxError { name, code, message } (an Error, so the page can read .message)', async () => {
    fake.answer = () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'no comic 9' } });
    const error = await api.getComic(9).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'LongboxError', code: 'NOT_FOUND', message: 'no comic 9' });

    fake.answer = () => ({ ok: false, error: { code: 'MADE_UP', message: 'x' } });
    expect(await api.refresh().catch((e: unknown) => e)).toMatchObject({ code: 'INTERNAL' });
    fake.answer = () => 'garbage';
    expect(await api.refresh().catch((e: unknown) => e)).toMatchObject({ code: 'INTERNAL', message: 'malformed answer on library:refresh' });
    fake.answer = () => {
      throw new Error("No handler registered for 'library:refresh'");
    };
    expect(await api.refresh().catch((e: unknown) => e)).toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('No handler') });
  });

  it('the bridge itself has the same members, and its calls answer the IpcResult (never reject), so the code crosses contextBridge', async () => {
    expect(Object.keys(bridge()).sort()).toEqual(Object.keys(api).sort());
    fake.answer = () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'no comic 9' } });
    expect(await bridge().getComic(9)).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'no comic 9' } });
    fake.answer = () => ({ ok: true, value: { root: '/comics', isSample: false } });
    expect(await bridge().getLibrary()).toEqual({ ok: true, value: { root: '/comics', isSample: false } });
    fake.answer = () => {
      throw new Error("No handler registered for 'library:get-home'");
    };
    expect(await bridge().getHome()).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    // What crosses is plain data: a structured clone (what contextBridge does) keeps every field.
    fake.answer = () => ({ ok: false, error: { code: 'ENCRYPTED', message: 'password' } });
    expect(structuredClone(await bridge().listPages(3))).toEqual({ ok: false, error: { code: 'ENCRYPTED', message: 'password' } });
  });

  it('coverUrl is the shared longbox:// cover URL', () => {
    expect(api.coverUrl(12, 'zip:99:abc')).toBe(coverProtocolUrl(12, 'zip:99:abc'));
  });

  it('subscribe: payload only (never the IpcRendererEvent), READY once, unsubscribe idempotent', () => {
    const seen: unknown[][] = [];
    const unsubscribe = api.subscribe((...args: unknown[]) => seen.push(args));
    const second = api.subscribe(() => {});
    expect(fake.sent).toEqual([{ channel: READY_CHANNEL, args: [] }]);
    const listeners = fake.listeners.get(EVENT_CHANNEL)!;
    expect(listeners.size).toBe(2);
    const payload = { type: 'library-changed', generation: 2 };
    const ipcEvent = { sender: { invoke: () => 'leaked' }, senderId: 0 };
    for (const listener of listeners) listener(ipcEvent, payload);
    expect(seen).toEqual([[payload]]);
    unsubscribe();
    unsubscribe();
    expect(listeners.size).toBe(1);
    second();
    expect(listeners.size).toBe(0);
  });
});
