/// <reference types="vite/client" />
import type { LongboxBridge } from '../shared/ipc.js';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge); unwrapped by lib/bridge-api.ts. Absent in a plain browser. */
    longbox?: LongboxBridge;
  }
}
