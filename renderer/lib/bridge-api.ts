// The desktop app's LibraryApi: the preload's `window.longbox` (a LongboxBridge, whose calls resolve
// with an IpcResult so the error's code survives Electron's contextBridge) unwrapped into calls that
// resolve with the value or reject with a LongboxError { code, message }, as the HTTP client does.
import type { LibraryApi } from '../../shared/api.js';
import { fromSerializedError, LongboxError } from '../../shared/errors.js';
import { IPC_OPERATIONS, type IpcOperation, type IpcResult, type LongboxBridge } from '../../shared/ipc.js';

export function unwrapResult<T>(result: IpcResult<T>, operation: string): T {
  if (typeof result === 'object' && result !== null) {
    if (result.ok === true) return result.value;
    if (result.ok === false && typeof result.error === 'object' && result.error !== null) {
      throw fromSerializedError({ code: result.error.code, message: String(result.error.message) });
    }
  }
  throw new LongboxError('INTERNAL', `malformed answer to ${operation}`);
}

export function unwrapBridge(bridge: LongboxBridge): LibraryApi {
  const calls = Object.fromEntries(
    (Object.keys(IPC_OPERATIONS) as IpcOperation[]).map((name) => {
      const call = bridge[name] as (...args: unknown[]) => Promise<IpcResult<unknown>>;
      return [name, async (...args: unknown[]) => unwrapResult(await call(...args), name)];
    }),
  ) as Pick<LibraryApi, IpcOperation>;
  return {
    capabilities: bridge.capabilities,
    ...calls,
    coverUrl: (id, fingerprint) => bridge.coverUrl(id, fingerprint),
    pageUrl: (id, index, fingerprint, width) => bridge.pageUrl(id, index, fingerprint, width),
    subscribe: (listener) => bridge.subscribe(listener),
  };
}
