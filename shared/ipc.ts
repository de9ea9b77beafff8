// The IPC contract between the renderer (preload) and the Electron main process: channel names, the
// argument each takes (one object), and what it returns, all derived from LibraryApi through
// IPC_OPERATIONS. main validates every argument with the schema before it reaches the service;
// `satisfies` makes a channel without a schema a compile error.
import { z } from 'zod';
import { comicIdSchema, comicQuerySchema, readerSettingsSchema, seriesKeySchema, userStatePatchSchema } from './query.js';
import type { SerializedError } from './errors.js';
import type { LibraryApi } from './api.js';
import type { BulkStateRequest, ComicQuery, LibraryEvent, ReaderSettings, SeriesQuery, UserState } from './types.js';
import { bulkStateSchema, folderRequestSchema, seriesQuerySchema } from './browse-query.js';

/**
 * Every LibraryApi operation that crosses IPC: its channel and how its arguments become the one
 * object the channel takes. The channel map (InvokeMap) is derived from this table and LibraryApi, so
 * adding an operation is one entry here, its schema below and its handler in electron/ipc.ts (each a
 * compile error when missing); the preload builds its methods from this table. The members that
 * are not calls (capabilities, coverUrl, pageUrl, subscribe) stay in the preload.
 */
export const IPC_OPERATIONS = {
  getStatus: { channel: 'library:get-status', arg: (): Empty => ({}) },
  listComics: { channel: 'library:list-comics', arg: (query: ComicQuery) => query },
  getComic: { channel: 'library:get-comic', arg: (id: number) => ({ id }) },
  listPages: { channel: 'library:list-pages', arg: (id: number) => ({ id }) },
  refresh: { channel: 'library:refresh', arg: (): Empty => ({}) },
  setUserState: { channel: 'library:set-user-state', arg: (id: number, patch: Partial<UserState>) => ({ id, patch }) },
  getReaderSettings: { channel: 'reader:get-settings', arg: (seriesKey: string) => ({ seriesKey }) },
  setReaderSettings: { channel: 'reader:set-settings', arg: (seriesKey: string, settings: ReaderSettings) => ({ seriesKey, settings }) },
  getLibrary: { channel: 'library:get-library', arg: (): Empty => ({}) },
  chooseLibrary: { channel: 'library:choose-library', arg: (): Empty => ({}) },
  openSampleLibrary: { channel: 'library:open-sample', arg: (): Empty => ({}) },
  openComic: { channel: 'comic:open', arg: (id: number) => ({ id }) },
  revealComic: { channel: 'comic:reveal', arg: (id: number) => ({ id }) },
  retryComic: { channel: 'comic:retry', arg: (id: number) => ({ id }) },
  listSeries: { channel: 'library:list-series', arg: (query: SeriesQuery) => query },
  listFolder: { channel: 'library:list-folder', arg: (path: string) => ({ path }) },
  getHome: { channel: 'library:get-home', arg: (): Empty => ({}) },
  setReadState: { channel: 'library:set-read-state', arg: (request: BulkStateRequest) => request },
} as const satisfies { [M in IpcMethod]?: { channel: string; arg: (...args: Parameters<LibraryApi[M]>) => object } };

type Empty = Record<string, never>;
/** LibraryApi members that are calls answered by a promise (the candidates for IPC). */
type IpcMethod = { [M in keyof LibraryApi]: LibraryApi[M] extends (...args: never[]) => Promise<unknown> ? M : never }[keyof LibraryApi];
type Operations = typeof IPC_OPERATIONS;
export type IpcOperation = keyof Operations;

/** channel → (its one argument) => what the LibraryApi method resolves with. */
export type InvokeMap = {
  [M in IpcOperation as Operations[M]['channel']]: (arg: ReturnType<Operations[M]['arg']>) => Awaited<ReturnType<LibraryApi[M]>>;
};
export type InvokeChannel = keyof InvokeMap;
export type InvokeArg<C extends InvokeChannel> = Parameters<InvokeMap[C]>[0];
export type InvokeResult<C extends InvokeChannel> = ReturnType<InvokeMap[C]>;

const empty = z.object({}).strict();
const byId = z.object({ id: comicIdSchema }).strict();

export const invokeSchemas = {
  'library:get-status': empty,
  'library:list-comics': comicQuerySchema,
  'library:get-comic': byId,
  'library:list-pages': byId,
  'library:refresh': empty,
  'library:set-user-state': z.object({ id: comicIdSchema, patch: userStatePatchSchema }).strict(),
  'reader:get-settings': z.object({ seriesKey: seriesKeySchema }).strict(),
  'reader:set-settings': z.object({ seriesKey: seriesKeySchema, settings: readerSettingsSchema }).strict(),
  'library:get-library': empty,
  'library:choose-library': empty,
  'library:open-sample': empty,
  'comic:open': byId,
  'comic:reveal': byId,
  'comic:retry': byId,
  'library:list-series': seriesQuerySchema,
  'library:list-folder': folderRequestSchema,
  'library:get-home': empty,
  'library:set-read-state': bulkStateSchema,
} satisfies { [C in InvokeChannel]: z.ZodType<InvokeArg<C>, unknown> };

export const INVOKE_CHANNELS = Object.keys(invokeSchemas) as InvokeChannel[];

/** Events main pushes to the renderer. */
export const EVENT_CHANNEL = 'library:event';
export type EventPayload = LibraryEvent;
/** The renderer sends this once it has subscribed, so main can flush events queued before that. */
export const READY_CHANNEL = 'app:renderer-ready';

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: SerializedError };

/**
 * What the preload exposes as `window.longbox`: LibraryApi, except that every IPC call resolves with
 * its IpcResult and never rejects. Electron's contextBridge re-creates a rejected Error in the page
 * from its message alone, so a rejection would lose the error's code; a plain `{ ok: false, error }`
 * object is copied whole. The renderer unwraps it (renderer/lib/bridge-api.ts) into a LibraryApi that
 * rejects with a LongboxError carrying the code, as the HTTP client does.
 */
export type LongboxBridge = Omit<LibraryApi, IpcOperation> & {
  [M in IpcOperation]: (...args: Parameters<LibraryApi[M]>) => Promise<IpcResult<Awaited<ReturnType<LibraryApi[M]>>>>;
};

/** The custom protocol covers and pages are served through (never file://). */
export const COVER_PROTOCOL = 'longbox';
export function coverProtocolUrl(id: number, fingerprint: string): string {
  return `${COVER_PROTOCOL}://cover/${id}?v=${encodeURIComponent(fingerprint)}`;
}

/** Bounds of a page URL's `w` (resized copy); outside them the host answers 400. */
export const PAGE_WIDTH_MIN = 64;
export const PAGE_WIDTH_MAX = 4096;

/** `?v=<fingerprint>[&w=<px>]`, the query of a page URL in both builds. */
export function pageQuery(fingerprint: string, width?: number): string {
  const w = width === undefined ? '' : `&w=${Math.round(width)}`;
  return `?v=${encodeURIComponent(fingerprint)}${w}`;
}

/** longbox://page/<id>/<index>?v=<fingerprint>[&w=<px>] (desktop build). */
export function pageProtocolUrl(id: number, index: number, fingerprint: string, width?: number): string {
  return `${COVER_PROTOCOL}://page/${id}/${index}${pageQuery(fingerprint, width)}`;
}
