// The preload: exposes exactly one object, window.longbox, implementing LibraryApi over
// ipcRenderer.invoke. Bundled to CommonJS (scripts/build-preload.mjs) because sandboxed preloads
// cannot load ES modules or any module but a few built-ins.
//
// Errors: main answers every call with an IpcResult; a failure is rejected here as a LongboxError
// (name 'LongboxError', code, message), like the HTTP client does. The renderer reads `err.message`
// of an `Error`; note that Electron's contextBridge re-creates thrown Errors in the page from their
// message, so the page should not rely on `code` surviving the bridge.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { LibraryApi } from '../shared/api.js';
import { isErrorCode, LongboxError, messageOf } from '../shared/errors.js';
import {
  EVENT_CHANNEL,
  IPC_OPERATIONS,
  READY_CHANNEL,
  coverProtocolUrl,
  pageProtocolUrl,
  type InvokeArg,
  type InvokeChannel,
  type InvokeResult,
  type IpcOperation,
  type IpcResult,
} from '../shared/ipc.js';
import type { LibraryEvent } from '../shared/types.js';

function rejection(code: string, message: string): LongboxError {
  return new LongboxError(isErrorCode(code) ? code : 'INTERNAL', String(message));
}

async function invoke<C extends InvokeChannel>(channel: C, arg: InvokeArg<C>): Promise<InvokeResult<C>> {
  let result: IpcResult<InvokeResult<C>>;
  try {
    result = (await ipcRenderer.invoke(channel, arg)) as IpcResult<InvokeResult<C>>;
  } catch (error) {
    // Only when main has no handler (or crashed mid-call); the router itself never throws.
    throw rejection('INTERNAL', messageOf(error));
  }
  if (typeof result !== 'object' || result === null || typeof result.ok !== 'boolean') {
    throw rejection('INTERNAL', `malformed answer on ${channel}`);
  }
  if (result.ok) return result.value;
  throw rejection(result.error?.code ?? 'INTERNAL', result.error?.message ?? 'unknown error');
}

let readySent = false;

/** The calls of LibraryApi, one per IPC_OPERATIONS entry: pack the arguments, invoke, unwrap. */
function ipcMethods(): Pick<LibraryApi, IpcOperation> {
  const methods = Object.entries(IPC_OPERATIONS).map(([name, op]) => {
    const pack = op.arg as (...args: unknown[]) => object;
    return [name, (...args: unknown[]) => invoke(op.channel, pack(...args) as InvokeArg<typeof op.channel>)];
  });
  return Object.fromEntries(methods) as Pick<LibraryApi, IpcOperation>;
}

const api: LibraryApi = {
  capabilities: { chooseFolder: true, openFile: true, revealFile: true, appMenu: true },
  ...ipcMethods(),
  coverUrl: (id, fingerprint) => coverProtocolUrl(id, fingerprint),
  pageUrl: (id, index, fingerprint, width) => pageProtocolUrl(id, index, fingerprint, width),
  subscribe(listener: (event: LibraryEvent) => void): () => void {
    // The IpcRendererEvent (it carries `sender`, i.e. ipcRenderer) never reaches the page.
    const forward = (_event: IpcRendererEvent, payload: LibraryEvent) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    if (!readySent) {
      // Main queues events until the page listens; the first subscription releases them.
      readySent = true;
      ipcRenderer.send(READY_CHANNEL);
    }
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('longbox', api);
