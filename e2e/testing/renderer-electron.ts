// TEST DOUBLE of the two `electron` renderer modules the preload uses, for e2e/preload-bridge.spec.ts.
// The real electron/preload.ts is bundled with `electron` aliased to this file and injected into a
// Chromium page. Only the transport is fake:
//   contextBridge.exposeInMainWorld(key, api)  → defines window[key] (no second JS world, no copying)
//   ipcRenderer.invoke(channel, arg)           → window.__longboxInvoke(channel, json): a Playwright
//                                                binding into the Node test process, where the REAL
//                                                IPC router (electron/ipc.ts) answers with a real
//                                                LibraryService. Arguments and results cross as JSON
//                                                (Electron uses the structured clone algorithm; JSON
//                                                is the same for the plain data of this API).
//   ipcRenderer.send(channel)                  → window.__longboxSend(channel, json)
//   ipcRenderer.on/removeListener(channel, fn) → listeners the Node side calls through
//                                                window.__longboxEmit(channel, json)
type Listener = (event: unknown, ...args: unknown[]) => void;

interface TransportWindow {
  __longboxInvoke(channel: string, json: string): Promise<string>;
  __longboxSend(channel: string, json: string): Promise<void>;
  __longboxEmit?: (channel: string, json: string) => void;
  [key: string]: unknown;
}

const page = globalThis as unknown as TransportWindow;
const listeners = new Map<string, Set<Listener>>();

page.__longboxEmit = (channel, json) => {
  const payload: unknown = JSON.parse(json);
  // A stand-in for IpcRendererEvent, so a preload that leaked it to the page would be caught.
  const event = { sender: { leaked: true }, senderId: 0 };
  for (const listener of [...(listeners.get(channel) ?? [])]) listener(event, payload);
};

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    Object.defineProperty(page, key, { value: api, enumerable: true, configurable: false, writable: false });
  },
};

export const ipcRenderer = {
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    // One argument per channel in this API; `undefined` (no argument) is sent as such.
    const json = await page.__longboxInvoke(channel, JSON.stringify(args));
    return JSON.parse(json) as unknown;
  },
  send(channel: string, ...args: unknown[]): void {
    void page.__longboxSend(channel, JSON.stringify(args));
  },
  on(channel: string, listener: Listener): void {
    if (!listeners.has(channel)) listeners.set(channel, new Set());
    listeners.get(channel)!.add(listener);
  },
  removeListener(channel: string, listener: Listener): void {
    listeners.get(channel)?.delete(listener);
  },
};

export type IpcRendererEvent = unknown;
