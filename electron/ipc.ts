// The IPC router: binds every channel of shared/ipc.ts's InvokeMap to the library, behind a sender
// check (trusted webContents, main frame, app origin) and the channel's zod schema. It never throws
// across IPC: every answer is an IpcResult. Events from the current LibraryService are pushed to the
// windows on EVENT_CHANNEL, queued per window until that window's renderer sends READY_CHANNEL.
//
// No electron import: main.ts hands in the real ipcMain; the tests hand in a fake one.
import { LongboxError, messageOf, type SerializedError, toSerializedError } from '../shared/errors.js';
import {
  EVENT_CHANNEL,
  INVOKE_CHANNELS,
  READY_CHANNEL,
  invokeSchemas,
  type InvokeArg,
  type InvokeChannel,
  type InvokeResult,
  type IpcResult,
} from '../shared/ipc.js';
import type { LibraryEvent, LibraryInfo } from '../shared/types.js';
import { silentLogger, toLogFormat, type Logger } from './library/logger.js';
import type { LibraryServiceApi } from './library/service-types.js';
import { emptyCacheStatus } from '../shared/status.js';

// ---------------------------------------------------------------------------------------------------
// The slices of Electron's types the router uses (structurally compatible with the real ones).

export interface SenderFrameLike {
  readonly url: string;
  readonly parent: unknown;
}
export interface IpcEventLike {
  readonly sender: { readonly id: number };
  /** null when the frame navigated away or was destroyed before the message was handled. */
  readonly senderFrame: SenderFrameLike | null | undefined;
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
}
export interface WebContentsLike {
  readonly id: number;
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
}

// ---------------------------------------------------------------------------------------------------
// Sender checks.

/** `scheme://host` of a URL; for file: URLs `file://`. Node's URL.origin is 'null' for custom schemes. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

/** Builds a check that accepts URLs whose origin is one of `origins` (e.g. `longbox://app`). */
export function allowOrigins(origins: readonly string[]): (url: string) => boolean {
  const allowed = new Set(origins.map((origin) => origin.replace(/\/+$/, '').toLowerCase()));
  return (url) => {
    const origin = originOf(url);
    return origin !== null && allowed.has(origin.toLowerCase());
  };
}

/**
 * Trusted = a webContents we created (its id is in `trustedIds`), the message came from its main
 * frame (not an iframe), and that frame shows our app (origin allow-list).
 */
export function isTrustedSender(event: IpcEventLike, trustedIds: ReadonlySet<number>, isAllowedUrl: (url: string) => boolean): boolean {
  if (!trustedIds.has(event.sender.id)) return false;
  const frame = event.senderFrame;
  if (!frame) return false;
  if (frame.parent !== null) return false;
  return typeof frame.url === 'string' && isAllowedUrl(frame.url);
}

// ---------------------------------------------------------------------------------------------------
// What the router needs from the app (main.ts wires a LibraryController and the shell).

export interface IpcBackend {
  getLibrary(): Promise<LibraryInfo | null>;
  /** Native folder dialog, then switches to the chosen library. null when cancelled. */
  chooseLibrary(): Promise<LibraryInfo | null>;
  openSampleLibrary(): Promise<LibraryInfo>;
  /** Opens a file with its default app; rejects when the OS says no. */
  openPath(path: string): Promise<void>;
  /** Shows a file in the system file manager. */
  revealPath(path: string): void;
}

export interface IpcRouterDeps {
  ipcMain: IpcMainLike;
  /** Which page URLs may call (see allowOrigins). */
  isAllowedUrl: (url: string) => boolean;
  /** Replaces the default sender check (tests of the plumbing; never needed in the app). */
  checkSender?: (event: IpcEventLike, trustedIds: ReadonlySet<number>) => boolean;
  logger?: Logger;
  /** Called when the comic the renderer works with changes (menu: Reveal / Open enablement). */
  onSelectionChange?: (id: number | null) => void;
}

export interface IpcRouter {
  /** Makes `service` the one IPC calls and events go to; null = no library open. */
  setService(service: LibraryServiceApi | null): void;
  /** Trusts this webContents and sends it events (queued until it says READY). */
  attachWindow(contents: WebContentsLike): void;
  detachWindow(id: number): void;
  /** The page reloads or crashed: queue its events until it says READY again. */
  markNotReady(id: number): void;
  /** The comic last opened in the details, opened or revealed (the menu acts on it). */
  readonly selectedComicId: number | null;
  /** Direct access for the menu (same code path as the IPC channels, without the sender check). */
  revealComic(id: number): Promise<void>;
  openComic(id: number): Promise<void>;
  refresh(): void;
  dispose(): void;
}

/** Status reported when no library is open (first run: the renderer shows its welcome screen). */
export const emptyStatus = emptyCacheStatus;

const MAX_QUEUED_EVENTS = 100;
const MAX_ERROR_MESSAGE = 500;

type Handler<C extends InvokeChannel> = (arg: InvokeArg<C>) => Promise<InvokeResult<C>> | InvokeResult<C>;
type Handlers = { [C in InvokeChannel]: Handler<C> };

function fail(code: SerializedError['code'], message: string): { ok: false; error: SerializedError } {
  return { ok: false, error: { code, message: message.slice(0, MAX_ERROR_MESSAGE) } };
}

function describeIssue(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid argument';
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'argument';
  return `${where}: ${issue.message}`;
}

export function createIpcRouter(backend: IpcBackend, deps: IpcRouterDeps): IpcRouter {
  const { ipcMain } = deps;
  const logger = deps.logger ?? silentLogger;
  const trustedIds = new Set<number>();
  const checkSender = deps.checkSender ?? ((event, ids) => isTrustedSender(event, ids, deps.isAllowedUrl));
  const windows = new Map<number, { contents: WebContentsLike; ready: boolean; queue: LibraryEvent[] }>();
  let service: LibraryServiceApi | null = null;
  let unsubscribe: (() => void) | null = null;
  let selected: number | null = null;

  const select = (id: number | null) => {
    if (selected === id) return;
    selected = id;
    deps.onSelectionChange?.(id);
  };

  const requireService = (): LibraryServiceApi => {
    if (!service) throw new LongboxError('NO_LIBRARY', 'No library is open: choose a folder or open the sample library.');
    return service;
  };

  const revealComic = async (id: number) => {
    const path = await requireService().getComicPath(id);
    backend.revealPath(path);
    select(id);
  };
  const openComic = async (id: number) => {
    const path = await requireService().getComicPath(id);
    await backend.openPath(path);
    select(id);
  };

  const handlers: Handlers = {
    'library:get-status': () => service?.getStatus() ?? emptyStatus(),
    'library:list-comics': (query) => requireService().listComics(query),
    'library:get-comic': async ({ id }) => {
      const detail = await requireService().getComic(id);
      select(id);
      return detail;
    },
    'library:list-pages': ({ id }) => requireService().listPages(id),
    'library:refresh': () => requireService().refresh('user'),
    'library:set-user-state': ({ id, patch }) => requireService().setUserState(id, patch),
    'reader:get-settings': ({ seriesKey }) => requireService().getReaderSettings(seriesKey),
    'reader:set-settings': ({ seriesKey, settings }) => requireService().setReaderSettings(seriesKey, settings),
    'library:get-library': () => backend.getLibrary(),
    'library:choose-library': () => backend.chooseLibrary(),
    'library:open-sample': () => backend.openSampleLibrary(),
    'comic:open': ({ id }) => openComic(id),
    'comic:reveal': ({ id }) => revealComic(id),
    'comic:retry': ({ id }) => requireService().retryComic(id),
    'library:list-series': (query) => requireService().listSeries(query),
    'library:list-folder': ({ path }) => requireService().listFolder(path),
    'library:get-home': () => requireService().getHome(),
    'library:set-read-state': (request) => requireService().setReadState(request),
  };

  async function dispatch<C extends InvokeChannel>(channel: C, event: IpcEventLike, args: unknown[]): Promise<IpcResult<InvokeResult<C>>> {
    try {
      if (!checkSender(event, trustedIds)) {
        logger.warn(`ipc: refused ${channel} from webContents ${event.sender.id} (${event.senderFrame?.url ?? 'no frame'})`);
        return fail('FORBIDDEN', 'This window may not call the library.');
      }
      if (args.length !== 1) return fail('BAD_REQUEST', `${channel} takes exactly one argument`);
      const parsed = invokeSchemas[channel].safeParse(args[0]);
      if (!parsed.success) return fail('BAD_REQUEST', describeIssue(parsed.error));
      const handler = handlers[channel] as Handler<C>;
      const value = await handler(parsed.data as InvokeArg<C>);
      return { ok: true, value };
    } catch (error) {
      const serialized = toSerializedError(error);
      if (serialized.code === 'INTERNAL') logger.error(`ipc: ${channel} failed: ${toLogFormat(error)}`);
      else logger.info(`ipc: ${channel}: ${serialized.code} ${serialized.message}`);
      return fail(serialized.code, serialized.message);
    }
  }

  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, ...args) => dispatch(channel, event, args));
  }

  const onReady = (event: IpcEventLike) => {
    if (!checkSender(event, trustedIds)) {
      logger.warn(`ipc: ignored ${READY_CHANNEL} from untrusted webContents ${event.sender.id}`);
      return;
    }
    const entry = windows.get(event.sender.id);
    if (!entry) return;
    entry.ready = true;
    const queued = entry.queue.splice(0);
    for (const payload of queued) deliver(entry.contents, payload);
  };
  ipcMain.on(READY_CHANNEL, onReady);

  function deliver(contents: WebContentsLike, payload: LibraryEvent) {
    if (contents.isDestroyed()) return;
    try {
      contents.send(EVENT_CHANNEL, payload);
    } catch (error) {
      logger.warn(`ipc: could not send an event to webContents ${contents.id}: ${messageOf(error)}`);
    }
  }

  function broadcast(payload: LibraryEvent) {
    for (const entry of windows.values()) {
      if (entry.ready) {
        deliver(entry.contents, payload);
        continue;
      }
      // Only the newest status matters to a renderer that has not started listening yet.
      if (payload.type === 'status') {
        const previous = entry.queue.findIndex((queued) => queued.type === 'status');
        if (previous !== -1) entry.queue.splice(previous, 1);
      }
      entry.queue.push(payload);
      if (entry.queue.length > MAX_QUEUED_EVENTS) entry.queue.splice(0, entry.queue.length - MAX_QUEUED_EVENTS);
    }
  }

  return {
    setService(next) {
      if (next === service) return;
      unsubscribe?.();
      unsubscribe = null;
      service = next;
      select(null);
      if (next) {
        unsubscribe = next.subscribe((event) => broadcast(event));
        const status = next.getStatus();
        broadcast({ type: 'status', status });
        broadcast({ type: 'library-changed', generation: status.generation });
      } else {
        broadcast({ type: 'status', status: emptyStatus() });
      }
    },
    attachWindow(contents) {
      trustedIds.add(contents.id);
      windows.set(contents.id, { contents, ready: false, queue: [] });
    },
    detachWindow(id) {
      trustedIds.delete(id);
      windows.delete(id);
    },
    markNotReady(id) {
      const entry = windows.get(id);
      if (entry) entry.ready = false;
    },
    get selectedComicId() {
      return selected;
    },
    revealComic,
    openComic,
    refresh() {
      service?.refresh('menu');
    },
    dispose() {
      for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
      ipcMain.removeListener(READY_CHANNEL, onReady);
      unsubscribe?.();
      unsubscribe = null;
      windows.clear();
      trustedIds.clear();
    },
  };
}
