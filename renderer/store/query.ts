// What the user asked for: search text (debounced), sort, filters and the Problems view.
import { createStore } from 'zustand/vanilla';
import type { ComicFilter, ComicFormat, ComicQuery, SortKey, SortOrder } from '../../shared/types.js';

export type ResultsView = 'library' | 'problems';
export type FilterFlag = 'unread' | 'duplicates' | 'hasError';

export interface QueryState {
  /** What is in the search box right now. */
  text: string;
  /** The search applied to the results (text after the debounce, trimmed). */
  q: string;
  sort: SortKey;
  order: SortOrder;
  filter: ComicFilter;
  view: ResultsView;
  /** The browse view narrows the results to one series or one folder (renderer/browse). */
  scope: BrowseScope;
  setScope(scope: BrowseScope): void;
  setText(text: string): void;
  /** Applies the pending search text at once (Enter in the search box). */
  flushText(): void;
  setSort(sort: SortKey): void;
  toggleOrder(): void;
  /** A list column header was clicked: that key ascending, or the other order when it is already the key. */
  sortBy(sort: SortKey): void;
  toggleFlag(flag: FilterFlag): void;
  toggleFormat(format: ComicFormat): void;
  clearFilters(): void;
  setView(view: ResultsView): void;
}

export interface BrowseScope {
  series?: string;
  folder?: string;
  /** The Favourites view: only the user's favourites. */
  favourite?: boolean;
}

/** The query without its window: what identifies a result set. */
export type BaseQuery = Omit<ComicQuery, 'offset' | 'limit'>;

export function baseQuery(state: Pick<QueryState, 'q' | 'sort' | 'order' | 'filter' | 'view'> & { scope?: BrowseScope }): BaseQuery {
  const filter: ComicFilter = { ...state.filter };
  if (state.view === 'problems') filter.hasError = true;
  if (state.scope?.favourite) filter.favourite = true;
  if (filter.formats && filter.formats.length === 0) delete filter.formats;
  for (const flag of ['unread', 'duplicates', 'hasError', 'favourite'] as const) if (filter[flag] === undefined) delete filter[flag];
  const query: BaseQuery = { sort: state.sort, order: state.order };
  if (state.q) query.q = state.q;
  if (Object.keys(filter).length > 0) query.filter = filter;
  if (state.scope?.series !== undefined) query.series = state.scope.series;
  if (state.scope?.folder !== undefined) query.folder = state.scope.folder;
  return query;
}

export function queryKey(query: BaseQuery): string {
  const f = query.filter ?? {};
  return JSON.stringify([
    query.q ?? '',
    query.sort,
    query.order,
    f.hasError ?? null,
    !!f.duplicates,
    !!f.unread,
    !!f.favourite,
    [...(f.formats ?? [])].sort(),
    query.series ?? null,
    query.folder ?? null,
  ]);
}

/** True when the results are a subset of the library (search, filters or Problems). */
export function isNarrowed(query: BaseQuery): boolean {
  return Boolean(query.q) || query.filter !== undefined;
}

export function createQueryStore(options: { debounceMs?: number; sort?: SortKey; order?: SortOrder } = {}) {
  const debounceMs = options.debounceMs ?? 200;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return createStore<QueryState>()((set, get) => ({
    text: '',
    q: '',
    sort: options.sort ?? 'series',
    order: options.order ?? 'asc',
    filter: {},
    view: 'library',
    scope: {},
    setScope(scope) {
      const now = get().scope;
      if (now.series !== scope.series || now.folder !== scope.folder || now.favourite !== scope.favourite) set({ scope });
    },
    setText(text) {
      set({ text });
      cancel();
      timer = setTimeout(() => {
        timer = null;
        get().flushText();
      }, debounceMs);
    },
    flushText() {
      cancel();
      const q = get().text.trim().replace(/\s+/g, ' ').slice(0, 200);
      if (q !== get().q) set({ q });
    },
    setSort(sort) {
      if (sort !== get().sort) set({ sort });
    },
    toggleOrder() {
      set({ order: get().order === 'asc' ? 'desc' : 'asc' });
    },
    sortBy(sort) {
      if (sort === get().sort) get().toggleOrder();
      else set({ sort, order: 'asc' });
    },
    toggleFlag(flag) {
      const filter = { ...get().filter };
      if (filter[flag]) delete filter[flag];
      else filter[flag] = true;
      set({ filter });
    },
    toggleFormat(format) {
      const formats = new Set(get().filter.formats ?? []);
      if (formats.has(format)) formats.delete(format);
      else formats.add(format);
      const filter = { ...get().filter };
      if (formats.size === 0) delete filter.formats;
      else filter.formats = [...formats];
      set({ filter });
    },
    clearFilters() {
      cancel();
      set({ filter: {}, text: '', q: '' });
    },
    setView(view) {
      if (view !== get().view) set({ view });
    },
  }));
}
export type QueryStore = ReturnType<typeof createQueryStore>;
