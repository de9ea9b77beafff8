// The IPC contract between the renderer (preload) and the Electron main process: channel names, the
// argument each takes (one object), and what it returns. main validates every argument with the schema
// before it reaches the service; `satisfies` makes a channel without a schema a compile error.
import { z } from 'zod';
import { comicIdSchema, comicQuerySchema, readerSettingsSchema, seriesKeySchema, userStatePatchSchema } from './query.js';
import type { SerializedError } from './errors.js';
import type { CacheStatus, ComicDetail, ComicPage, ComicQuery, LibraryEvent, LibraryInfo, PageList, ReaderSettings, UserState } from './types.js';

export type InvokeMap = {
  'library:get-status': (arg: Record<string, never>) => CacheStatus;
  'library:list-comics': (arg: ComicQuery) => ComicPage;
  'library:get-comic': (arg: { id: number }) => ComicDetail;
  'library:list-pages': (arg: { id: number }) => PageList;
  'library:refresh': (arg: Record<string, never>) => void;
  'library:set-user-state': (arg: { id: number; patch: Partial<UserState> }) => UserState;
  'reader:get-settings': (arg: { seriesKey: string }) => ReaderSettings | null;
  'reader:set-settings': (arg: { seriesKey: string; settings: ReaderSettings }) => void;
  'library:get-library': (arg: Record<string, never>) => LibraryInfo | null;
  'library:choose-library': (arg: Record<string, never>) => LibraryInfo | null;
  'library:open-sample': (arg: Record<string, never>) => LibraryInfo;
  'comic:open': (arg: { id: number }) => void;
  'comic:reveal': (arg: { id: number }) => void;
  'comic:retry': (arg: { id: number }) => void;
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
} satisfies { [C in InvokeChannel]: z.ZodType<InvokeArg<C>, unknown> };

export const INVOKE_CHANNELS = Object.keys(invokeSchemas) as InvokeChannel[];

/** Events main pushes to the renderer. */
export const EVENT_CHANNEL = 'library:event';
export type EventPayload = LibraryEvent;
/** The renderer sends this once it has subscribed, so main can flush events queued before that. */
export const READY_CHANNEL = 'app:renderer-ready';

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: SerializedError };

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
