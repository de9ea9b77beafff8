// The browse views' data: which view is shown (mirrored in the URL hash), the series shelf (paged as
// it scrolls), the Home shelves and the folder being walked. Like the comic results, a new generation
// keeps what is shown and refetches only what is on screen; answers for an older view are dropped.
import { createStore } from 'zustand/vanilla';
import type { LibraryApi } from '../../shared/api.js';
import type { BulkStateChange, FolderListing, HomeShelves, ReadStateTarget, SeriesSortKey, SeriesSummary, SortOrder } from '../../shared/types.js';
import type { Stores } from '../store/stores.js';
import { plural } from '../lib/format.js';
import { DEFAULT_ROUTE, sameRoute, type BrowseRoute } from './route.js';

export const SERIES_PAGE = 60;

export interface BrowseState {
  route: BrowseRoute;
  collapsed: boolean;
  /** Series shelf: pages of SERIES_PAGE by offset, kept while a refetch is under way. */
  series: Record<number, SeriesSummary[]>;
  seriesTotal: number | null;
  seriesSort: SeriesSortKey;
  seriesOrder: SortOrder;
  seriesQ: string;
  /** How many series the shelf shows (grows as it scrolls). */
  seriesShown: number;
  home: HomeShelves | null;
  folder: FolderListing | null;
  error: string | null;
  go(route: BrowseRoute): void;
  toggleCollapsed(): void;
  setSeriesSort(sort: SeriesSortKey): void;
  setSeriesQ(q: string): void;
  showMoreSeries(): void;
  /** Refetch what the current view shows (a new generation, or after a read-state change). */
  refresh(): void;
  markRead(target: ReadStateTarget, read: boolean): Promise<void>;
  /**
   * One change (read or favourite) for these targets, one request each (a multi-selection may need
   * several: selection-targets.ts); then the rows on screen and the shelves show the new state.
   */
  applyState(targets: readonly ReadStateTarget[], change: BulkStateChange): Promise<void>;
}

/** "12 comics marked read", "1 comic added to favourites". */
export function bulkMessage(count: number, change: BulkStateChange): string {
  const what = 'read' in change ? `marked ${change.read ? 'read' : 'unread'}` : change.favourite ? 'added to favourites' : 'removed from favourites';
  return `${plural(count, 'comic', 'comics')} ${what}`;
}

const COLLAPSED_KEY = 'longbox.sidebar-collapsed';

function readCollapsed(): boolean {
  try {
    return typeof localStorage !== 'undefined' && localStorage.getItem(COLLAPSED_KEY) === '1';
  } catch {
    return false;
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function createBrowseStore(stores: Pick<Stores, 'api' | 'query' | 'results' | 'status' | 'detail' | 'selection'>) {
  const api: LibraryApi = stores.api;
  let ticket = 0;

  const store = createStore<BrowseState>()((set, get) => {
    /** Applies a route to the comic results (series page, folder, problems narrow the query). */
    function applyToResults(route: BrowseRoute): void {
      const query = stores.query.getState();
      query.setView(route.view === 'problems' ? 'problems' : 'library');
      if (route.view === 'series-page') query.setScope({ series: route.key });
      else if (route.view === 'folders') query.setScope({ folder: route.path });
      else if (route.view === 'favourites') query.setScope({ favourite: true });
      else query.setScope({});
    }

    function loadSeriesPage(offset: number, mine: number): void {
      const s = get();
      api
        .listSeries({ offset, limit: SERIES_PAGE, sort: s.seriesSort, order: s.seriesOrder, ...(s.seriesQ ? { q: s.seriesQ } : {}) })
        .then(
          (page) => {
            if (mine !== ticket) return;
            set({ series: { ...get().series, [offset]: page.items }, seriesTotal: page.total, error: null });
          },
          (err: unknown) => mine === ticket && set({ error: message(err) }),
        );
    }

    function loadView(keep: boolean): void {
      const mine = ++ticket;
      const { route } = get();
      if (route.view === 'home') {
        api.getHome().then(
          (home) => mine === ticket && set({ home, error: null }),
          (err: unknown) => mine === ticket && set({ error: message(err) }),
        );
      } else if (route.view === 'series') {
        if (!keep) set({ series: {}, seriesTotal: null });
        const shown = Math.max(get().seriesShown, SERIES_PAGE);
        for (let offset = 0; offset < shown; offset += SERIES_PAGE) loadSeriesPage(offset, mine);
      } else if (route.view === 'folders') {
        if (!keep) set({ folder: null });
        api.listFolder(route.path).then(
          (folder) => mine === ticket && set({ folder, error: null }),
          (err: unknown) => mine === ticket && set({ error: message(err) }),
        );
      }
    }

    return {
      route: DEFAULT_ROUTE,
      collapsed: readCollapsed(),
      series: {},
      seriesTotal: null,
      seriesSort: 'name',
      seriesOrder: 'asc',
      seriesQ: '',
      seriesShown: SERIES_PAGE,
      home: null,
      folder: null,
      error: null,
      go(route) {
        const same = sameRoute(route, get().route);
        set({ route, error: null, ...(same ? {} : { seriesShown: SERIES_PAGE }) });
        // Another view: a multi-selection of the last one does not follow (the comic in focus does).
        if (!same) stores.selection.getState().narrowToFocus();
        applyToResults(route);
        loadView(same);
      },
      toggleCollapsed() {
        const collapsed = !get().collapsed;
        set({ collapsed });
        try {
          localStorage.setItem(COLLAPSED_KEY, collapsed ? '1' : '0');
        } catch {
          // private mode: the setting lasts for this page only
        }
      },
      setSeriesSort(sort) {
        const s = get();
        // The same key again flips the order, as a column header does.
        const order: SortOrder = s.seriesSort === sort ? (s.seriesOrder === 'asc' ? 'desc' : 'asc') : sort === 'name' ? 'asc' : 'desc';
        set({ seriesSort: sort, seriesOrder: order, seriesShown: SERIES_PAGE });
        loadView(false);
      },
      setSeriesQ(q) {
        if (q === get().seriesQ) return;
        set({ seriesQ: q, seriesShown: SERIES_PAGE });
        loadView(false);
      },
      showMoreSeries() {
        const s = get();
        if (s.seriesTotal === null || s.seriesShown >= s.seriesTotal) return;
        const offset = s.seriesShown;
        set({ seriesShown: offset + SERIES_PAGE });
        if (!s.series[offset]) loadSeriesPage(offset, ticket);
      },
      refresh() {
        loadView(true);
      },
      async markRead(target, read) {
        await get().applyState([target], { read });
      },
      async applyState(targets, change) {
        if (targets.length === 0) return;
        let count = 0;
        try {
          for (const target of targets) count += (await api.setReadState({ ...target, ...change } as Parameters<LibraryApi['setReadState']>[0])).count;
          stores.status.getState().notify(bulkMessage(count, change));
        } catch (err) {
          stores.status.getState().reportActionError(err);
        }
        // The comic rows on screen and the shelves show the new state (also after a partial failure).
        const results = stores.results.getState();
        results.invalidate(results.generation);
        get().refresh();
        void stores.detail.getState().reload();
      },
    };
  });
  return store;
}
export type BrowseStore = ReturnType<typeof createBrowseStore>;
