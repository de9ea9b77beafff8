// The browse view in the URL hash, so reload and Back work in the browser build: `#/home`, `#/series`,
// `#/series/<key>`, `#/folders`, `#/folders/<path>`, `#/all`, `#/favourites`, `#/problems`. The reader's
// `#/read/<id>/<page>` is not a browse hash (the reader owns it); an empty hash is Home, where the app
// starts (issue 13: a user with 100k comics starts on Home, not on a flat grid).

export type BrowseRoute =
  | { view: 'home' }
  | { view: 'series' }
  | { view: 'series-page'; key: string }
  | { view: 'folders'; path: string }
  | { view: 'all' }
  | { view: 'favourites' }
  | { view: 'problems' };

export type BrowseView = BrowseRoute['view'];

export const DEFAULT_ROUTE: BrowseRoute = { view: 'home' };

function decode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** The route a hash names; null when it is not a browse hash (the reader's, or unknown). */
export function parseBrowseHash(hash: string): BrowseRoute | null {
  const h = hash.replace(/^#/, '');
  if (h === '' || h === '/') return DEFAULT_ROUTE;
  if (h === '/home') return { view: 'home' };
  if (h === '/series') return { view: 'series' };
  if (h === '/all') return { view: 'all' };
  if (h === '/problems') return { view: 'problems' };
  if (h === '/favourites') return { view: 'favourites' };
  if (h === '/folders') return { view: 'folders', path: '' };
  if (h.startsWith('/series/')) {
    const key = decode(h.slice('/series/'.length));
    return key ? { view: 'series-page', key } : null;
  }
  if (h.startsWith('/folders/')) {
    const parts = h.slice('/folders/'.length).split('/').map(decode);
    if (parts.some((p) => p === null || p === '' || p === '.' || p === '..')) return null;
    return { view: 'folders', path: parts.join('/') };
  }
  return null;
}

export function browseHash(route: BrowseRoute): string {
  switch (route.view) {
    case 'series-page':
      return `#/series/${encodeURIComponent(route.key)}`;
    case 'folders':
      return route.path === '' ? '#/folders' : `#/folders/${route.path.split('/').map(encodeURIComponent).join('/')}`;
    default:
      return `#/${route.view}`;
  }
}

/**
 * The reader keeps the library view it was opened from in its history entry's state, so a reload of
 * `#/read/…` still has that view underneath (and Esc returns to it) instead of the start view.
 */
export function withLibraryHash(state: unknown, hash: string): Record<string, unknown> {
  return { ...(typeof state === 'object' && state !== null ? state : {}), libraryHash: hash };
}

export function libraryHashOf(state: unknown): string | null {
  const hash = typeof state === 'object' && state !== null ? (state as { libraryHash?: unknown }).libraryHash : undefined;
  return typeof hash === 'string' && parseBrowseHash(hash) !== null ? hash : null;
}

export function sameRoute(a: BrowseRoute, b: BrowseRoute): boolean {
  return browseHash(a) === browseHash(b);
}
