// The reader's mount point: wraps the library screen (kept mounted, inert, under the reader, so its
// scroll position and selection are exactly as they were on return), owns the reader store, and keeps
// the URL hash (#/read/<id>/<page>) and the browser's Back button in step with it.
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ComicSummary } from '../../shared/types.js';
import { useStores } from '../store/context.js';
import type { Stores } from '../store/stores.js';
import { Reader } from './Reader.js';
import { ReaderContext, type ReaderOpener } from './reader-context.js';
import { createReaderStore, currentView, type ReaderController } from './reader-store.js';
import { parseReaderHash, readerHash } from './route.js';
import { libraryHashOf, parseBrowseHash, withLibraryHash } from '../browse/route.js';
import { apiSettingsSource } from './settings.js';
import { onLocationChange } from '../lib/location-events.js';
import './reader.css';

/** Where Esc goes when the reader's entry is not ours to pop (a reload, a pasted link): the view it came from. */
function libraryHref(): string {
  return `${window.location.pathname}${window.location.search}${libraryHashOf(window.history.state) ?? ''}`;
}

function makeController(stores: Stores): ReaderController {
  return createReaderStore({
    api: stores.api,
    settings: apiSettingsSource(stores.api),
    onSaved: (id, state) => {
      stores.results.getState().patchItem(id, { read: state.read, lastPage: state.lastPage });
      // The details panel under the reader shows the same comic: keep its Read switch and "Continue" true.
      const shown = stores.detail.getState().detail;
      if (shown?.id === id) stores.detail.setState({ detail: { ...shown, read: state.read, lastPage: state.lastPage, userState: state } });
    },
  });
}

export function ReaderHost({ children }: { children: ReactNode }) {
  const stores = useStores();
  const controller = useMemo(() => makeController(stores), [stores]);
  const isOpen = useStore(controller.store, (s) => s.status !== 'closed');
  /** True when this document pushed the reader's history entry (then Back/Esc pops it). */
  const pushed = useRef(false);
  /** The element focused before the reader opened, focused again on return. */
  const returnFocus = useRef<HTMLElement | null>(null);

  const opener = useMemo<ReaderOpener>(
    () => ({
      open(comic, page = null) {
        returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
        // The library view under the reader goes with its entry (a reload keeps it; Esc returns to it).
        const from = parseBrowseHash(window.location.hash) ? window.location.hash : (libraryHashOf(window.history.state) ?? '');
        window.history.pushState(withLibraryHash(window.history.state, from), '', readerHash({ id: comic.id, page }));
        pushed.current = true;
        void controller.store.getState().open(comic.id, page, comic);
      },
      replace(comic) {
        window.history.replaceState(window.history.state, '', readerHash({ id: comic.id, page: null }));
        void controller.store.getState().open(comic.id, null, comic);
      },
      close() {
        if (pushed.current) {
          // Pops the reader's entry: popstate closes the reader and the library's own hash comes back.
          pushed.current = false;
          window.history.back();
          return;
        }
        window.history.replaceState(window.history.state, '', libraryHref());
        void controller.store.getState().close();
      },
    }),
    [controller],
  );

  // The hash → the reader: a reload or a pasted link opens it, Back closes it.
  useEffect(() => {
    const sync = () => {
      const route = parseReaderHash(window.location.hash);
      const s = controller.store.getState();
      if (!route) {
        pushed.current = false;
        if (s.status !== 'closed') void s.close();
        return;
      }
      if (s.id !== route.id || s.status === 'closed') void s.open(route.id, route.page);
    };
    sync();
    return onLocationChange(sync);
  }, [controller]);

  // The reader → the hash: the page being read, replaced in place (Back never steps through pages).
  useEffect(
    () =>
      controller.store.subscribe((s, prev) => {
        if (s.status !== 'ready' || s.id === null) return;
        if (s.view === prev.view && s.id === prev.id && s.status === prev.status && s.views === prev.views) return;
        const page = currentView(s)[0] ?? 0;
        const hash = readerHash({ id: s.id, page });
        if (window.location.hash !== hash) window.history.replaceState(window.history.state, '', hash);
      }),
    [controller],
  );

  // Back in the library: the keyboard is where it was.
  const wasOpen = useRef(isOpen);
  useEffect(() => {
    if (wasOpen.current && !isOpen) {
      const target = returnFocus.current?.isConnected ? returnFocus.current : document.querySelector<HTMLElement>('[data-testid="results"]');
      target?.focus({ preventScroll: true });
    }
    wasOpen.current = isOpen;
  }, [isOpen]);

  useEffect(() => () => controller.dispose(), [controller]);
  // Leaving the page saves the last page at once.
  useEffect(() => {
    const onHide = () => void controller.flushProgress();
    window.addEventListener('pagehide', onHide);
    return () => window.removeEventListener('pagehide', onHide);
  }, [controller]);

  const value = useMemo(() => ({ controller, opener }), [controller, opener]);
  return (
    <ReaderContext.Provider value={value}>
      <div className="reader-underlay" inert={isOpen}>
        {children}
      </div>
      {isOpen && <Reader />}
    </ReaderContext.Provider>
  );
}

/** A comic can be read when it has no error row. */
export function isReadable(comic: Pick<ComicSummary, 'errorKind'>): boolean {
  return comic.errorKind === null;
}
