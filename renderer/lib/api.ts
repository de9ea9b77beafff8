// Picks the LibraryApi once at start: the Electron preload's `window.longbox` (unwrapped), else the HTTP client
// against the host that served this page. Stores receive the api by injection (tests pass a fake).
import type { LibraryApi } from '../../shared/api.js';
import { unwrapBridge } from './bridge-api.js';
import { createHttpApi } from './http-api.js';

export function resolveApi(win: Window = window): LibraryApi {
  if (win.longbox) return unwrapBridge(win.longbox);
  const url = new URL(win.location.href);
  const token = url.searchParams.get('token');
  // The UI is served at the host's root (or a sub-path); the API lives next to index.html.
  const base = new URL('./', url);
  base.search = '';
  base.hash = '';
  const baseUrl = url.protocol === 'file:' ? 'http://127.0.0.1:7421' : base.href;
  return createHttpApi(baseUrl, { token });
}
