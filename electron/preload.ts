// The preload: exposes exactly one object, window.longbox, a LongboxBridge (shared/ipc.ts): the
// LibraryApi over ipcRenderer.invoke whose calls resolve with main's IpcResult. Bundled to CommonJS
// (scripts/build-preload.mjs) because sandboxed preloads cannot load ES modules or any module but a
// few built-ins.
//
// Errors: a call never rejects here. Electron's contextBridge re-creates a rejected Error in the page
// from its message alone (the code would be lost); the `{ ok: false, error: { code, message } }`
// object crosses whole, and the renderer (renderer/lib/bridge-api.ts) rejects with a LongboxError
// carrying the code. A missing handler or a malformed answer becomes an INTERNAL failure.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isErrorCode, messageOf } from '../shared/errors.js';
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
  type LongboxBridge,
} from '../shared/ipc.js';
import type { LibraryEvent } from '../shared/types.js';

function failure(code: unknown, message: unknown): IpcResult<never> {
  return { ok: false, error: { code: isErrorCode(code) ? code : 'INTERNAL', message: String(message) } };
}

async function invoke<C extends InvokeChannel>(channel: C, arg: InvokeArg<C>): Promise<IpcResult<InvokeResult<C>>> {
  let result: IpcResult<InvokeResult<C>>;
  try {
    result = (await ipcRenderer.invoke(channel, arg)) as IpcResult<InvokeResult<C>>;
  } catch (error) {
    // Only when main has no handler (or crashed mid-call); the router itself never throws.
    return failure('INTERNAL', messageOf(error));
  }
  if (typeof result !== 'object' || result === null || typeof result.ok !== 'boolean') {
    return failure('INTERNAL', `malformed answer on ${channel}`);
  }
  if (result.ok) return { ok: true, value: result.value };
  return failure(result.error?.code, result.error?.message ?? 'unknown error');
}

let readySent = false;

/** The calls of LibraryApi, one per IPC_OPERATIONS entry: pack the arguments, invoke, answer the IpcResult. */
function ipcMethods(): Pick<LongboxBridge, IpcOperation> {
  const methods = Object.entries(IPC_OPERATIONS).map(([name, op]) => {
    const pack = op.arg as (...args: unknown[]) => object;
    return [name, (...args: unknown[]) => invoke(op.channel, pack(...args) as InvokeArg<typeof op.channel>)];
  });
  return Object.fromEntries(methods) as Pick<LongboxBridge, IpcOperation>;
}

const api: LongboxBridge = {
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
