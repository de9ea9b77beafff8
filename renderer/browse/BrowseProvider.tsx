// Owns the browse store for the library screen: keeps the view and the URL hash in step (reload and
// Back work), and refetches the shown view when a new generation lands.
import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useStores } from '../store/context.js';
import { createBrowseStore, type BrowseState, type BrowseStore } from './browse-store.js';
import { browseHash, DEFAULT_ROUTE, libraryHashOf, parseBrowseHash, type BrowseRoute } from './route.js';
import { onLocationChange } from '../lib/location-events.js';

const BrowseContext = createContext<BrowseStore | null>(null);

export function useBrowseStore(): BrowseStore {
  const store = useContext(BrowseContext);
  if (!store) throw new Error('browse hooks outside <BrowseProvider>');
  return store;
}

export function useBrowse<T>(selector: (s: BrowseState) => T): T {
  return useStore(useBrowseStore(), selector);
}

/** Goes to a view and records it in the history (Back returns to the previous view). */
export function navigate(store: BrowseStore, route: BrowseRoute): void {
  const hash = browseHash(route);
  if (window.location.hash !== hash) window.history.pushState(window.history.state, '', hash);
  store.getState().go(route);
}

export function BrowseProvider({ children }: { children: ReactNode }) {
  const stores = useStores();
  const store = useMemo(() => createBrowseStore(stores), [stores]);

  useEffect(() => {
    const sync = () => {
      // The reader's own hash leaves the library view as it was underneath.
      const route = parseBrowseHash(window.location.hash);
      if (route) store.getState().go(route);
    };
    // At start on a reader hash (a reload while reading): the view the reader was opened from, else
    // the start view; either is loaded now, not only when the hash changes.
    const first = parseBrowseHash(window.location.hash) ?? parseBrowseHash(libraryHashOf(window.history.state) ?? '') ?? DEFAULT_ROUTE;
    store.getState().go(first);
    return onLocationChange(sync);
  }, [store]);

  useEffect(
    () =>
      stores.api.subscribe((event) => {
        if (event.type === 'library-changed') store.getState().refresh();
      }),
    [stores, store],
  );

  return <BrowseContext.Provider value={store}>{children}</BrowseContext.Provider>;
}
