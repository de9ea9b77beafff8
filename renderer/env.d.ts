/// <reference types="vite/client" />
import type { LibraryApi } from '../shared/api.js';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge). Absent in a plain browser. */
    longbox?: LibraryApi;
  }
}
