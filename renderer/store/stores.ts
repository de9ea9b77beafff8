// All stores for one LibraryApi, and the wiring between them and the api's events.
import type { LibraryApi } from '../../shared/api.js';
import type { StateStorage } from 'zustand/middleware';
import { createDetailStore, type DetailStore } from './detail.js';
import { baseQuery, createQueryStore, type QueryStore } from './query.js';
import { createResultsStore, indexOfId, itemAt, type ResultsStore } from './results.js';
import { createSelectionStore, type SelectionStore } from './selection.js';
import { createStatusStore, type StatusStore } from './status.js';
import { createViewStore, type ViewStore } from './view.js';

export interface Stores {
  api: LibraryApi;
  status: StatusStore;
  query: QueryStore;
  results: ResultsStore;
  selection: SelectionStore;
  detail: DetailStore;
  view: ViewStore;
  /** Subscribes to the api's events, loads the library and the first rows. Returns the stop function. */
  start(): () => void;
  /** Another library was opened: forget rows and selection, reload everything. */
  reloadLibrary(): Promise<void>;
  chooseLibrary(): Promise<void>;
  openSampleLibrary(): Promise<void>;
}

export interface StoreOptions {
  debounceMs?: number;
  storage?: StateStorage;
  now?: () => number;
}

export function createStores(api: LibraryApi, options: StoreOptions = {}): Stores {
  const status = createStatusStore(api, options.now);
  const view = createViewStore(options.storage);
  const query = createQueryStore({ debounceMs: options.debounceMs, sort: view.getState().sort, order: view.getState().order });
  const results = createResultsStore(api, baseQuery(query.getState()));
  const selection = createSelectionStore();
  const detail = createDetailStore(api);

  let starts = 0;
  let stopAll: () => void = () => undefined;
  function startOnce(): () => void {
    const offs: Array<() => void> = [];
    let isStopped = false;
    offs.push(
      api.subscribe((event) => {
        switch (event.type) {
          case 'status':
            status.getState().applyStatus(event.status);
            break;
          // The one way a new generation is learned, the first one (the cold start is over) included:
          // every host sends library-changed when a generation lands, and the HTTP client turns a
          // newer generation seen only in a status (missed while disconnected) into one.
          case 'library-changed':
            results.getState().invalidate(event.generation);
            if (selection.getState().selectedId !== null) void detail.getState().reload();
            break;
        }
      }),
    );
    // Query → results.
    offs.push(
      query.subscribe((s, prev) => {
        if (s.q !== prev.q || s.sort !== prev.sort || s.order !== prev.order || s.filter !== prev.filter || s.view !== prev.view || s.scope !== prev.scope) {
          results.getState().setQuery(baseQuery(s));
          if (s.sort !== prev.sort || s.order !== prev.order) view.getState().setSortPreference(s.sort, s.order);
          // The keyboard cursor starts over in the new result set; the comic in focus (by id) stays, a
          // multi-selection (which may hold rows by position) does not.
          selection.getState().moveCursor(-1);
          selection.getState().narrowToFocus();
        }
      }),
    );
    // Selection → details.
    offs.push(
      selection.subscribe((s, prev) => {
        if (s.selectedId !== prev.selectedId) void detail.getState().load(s.selectedId);
      }),
    );
    // A cursor on a row that was not loaded yet selects it when it arrives.
    offs.push(
      results.subscribe((s, prev) => {
        const sel = selection.getState();
        // Rows a Shift range covered before they were loaded: known by id once they are here. (Only
        // for the same result set: after a new query the multi-selection is gone anyway.)
        if (s.pages !== prev.pages && s.key === prev.key && sel.multi.pending.length > 0) sel.resolveLoaded((i) => itemAt(s, i)?.id);
        if (sel.cursor < 0) return;
        const item = itemAt(s, sel.cursor);
        if (item && sel.isCursorPending) sel.select(item.id, sel.cursor);
        else if (item && sel.selectedId !== null && item.id !== sel.selectedId) {
          // A new generation moved the selected comic: follow it when it is among the loaded rows.
          const index = indexOfId(s, sel.selectedId);
          if (index >= 0) sel.moveCursor(index);
        }
      }),
    );
    // The first page is asked for together with the library and the status, not after them: one
    // round trip less before the first rows. (With no library it fails quietly; a library opened
    // later resets the results.)
    const { start: first, end: last } = results.getState().visible;
    results.getState().setVisibleRange(first, last);
    void Promise.all([status.getState().loadLibrary(), status.getState().loadStatus()]).then(() => {
      if (isStopped) return;
      if (status.getState().library === null) results.setState({ error: null });
    });
    return () => {
      isStopped = true;
      for (const off of offs) off();
    };
  }

  const stores: Stores = {
    api,
    status,
    query,
    results,
    selection,
    detail,
    view,
    start() {
      // Reference counted: main.tsx starts the stores before React renders (the first requests leave
      // sooner) and <App> starts them again; only the last stop tears down.
      starts++;
      if (starts === 1) stopAll = startOnce();
      let isStopped = false;
      return () => {
        if (isStopped) return;
        isStopped = true;
        starts--;
        if (starts === 0) stopAll();
      };
    },
    async reloadLibrary() {
      selection.getState().select(null, -1);
      await Promise.all([status.getState().loadLibrary(), status.getState().loadStatus()]);
      results.getState().reset();
    },
    async chooseLibrary() {
      try {
        const library = await api.chooseLibrary();
        if (library) await stores.reloadLibrary();
      } catch (err) {
        status.getState().reportActionError(err);
      }
    },
    async openSampleLibrary() {
      try {
        await api.openSampleLibrary();
        await stores.reloadLibrary();
      } catch (err) {
        status.getState().reportActionError(err);
      }
    },
  };
  return stores;
}
