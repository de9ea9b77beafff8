// The result rows, fetched by range as the user scrolls: pages of PAGE_SIZE keyed by offset, never the
// whole library. A query change or a library-changed event starts a new epoch; answers for an older
// query or epoch are dropped. On library-changed only the visible pages are kept (still shown) and
// refetched, so the rows, the scroll position and the selection stay put while fresh data comes in.
import { createStore } from 'zustand/vanilla';
import type { LibraryApi } from '../../shared/api.js';
import type { ComicSummary } from '../../shared/types.js';
import { baseQuery, queryKey, type BaseQuery } from './query.js';
import { messageOf } from '../../shared/errors.js';

export const PAGE_SIZE = 100;
/** Pages kept in memory at most; the farthest from the visible range go first. */
export const MAX_CACHED_PAGES = 300;

export interface CachedPage {
  items: ComicSummary[];
  epoch: number;
}

export interface ResultsState {
  query: BaseQuery;
  key: string;
  epoch: number;
  /** A new query was asked for: the old rows stay until its first page arrives, then all are replaced. */
  isHolding: boolean;
  pages: Record<number, CachedPage>;
  /** Rows in the current result set; null until the first answer. */
  total: number | null;
  generation: number;
  /** The oldest generation an answer may come from (raised by library-changed). */
  minGeneration: number;
  isStale: boolean;
  visible: { start: number; end: number };
  error: string | null;
  setQuery(query: BaseQuery): void;
  setVisibleRange(start: number, end: number): void;
  invalidate(generation: number): void;
  /** Forget everything (another library was opened). */
  reset(): void;
  patchItem(id: number, patch: Partial<ComicSummary>): void;
  /** A comic's favourite mark changed: its row shows it, and a Favourites view (which loses or gains the row) is fetched again. */
  patchFavourite(id: number, favourite: boolean): void;
}

export function itemAt(state: Pick<ResultsState, 'pages'>, index: number): ComicSummary | undefined {
  const offset = Math.floor(index / PAGE_SIZE) * PAGE_SIZE;
  return state.pages[offset]?.items[index - offset];
}

export function indexOfId(state: Pick<ResultsState, 'pages'>, id: number): number {
  for (const [offset, page] of Object.entries(state.pages)) {
    const i = page.items.findIndex((c) => c.id === id);
    if (i >= 0) return Number(offset) + i;
  }
  return -1;
}

/** What the store holds before its first answer, and again after reset() (a fresh object each time). */
function noRows(): Pick<ResultsState, 'isHolding' | 'pages' | 'total' | 'generation' | 'minGeneration' | 'isStale' | 'error'> {
  return { isHolding: false, pages: {}, total: null, generation: 0, minGeneration: 0, isStale: false, error: null };
}

export function createResultsStore(api: LibraryApi, initialQuery: BaseQuery = baseQuery({ q: '', sort: 'series', order: 'asc', filter: {}, view: 'library' })) {
  const inflight = new Set<string>();
  const retried = new Set<string>();

  const store = createStore<ResultsState>()((set, get) => {
    function ensure(): void {
      const s = get();
      const { start, end } = s.visible;
      const lastIndex = s.total === null || s.isHolding ? start : Math.min(end, s.total - 1);
      if (lastIndex < 0) return;
      const first = Math.floor(start / PAGE_SIZE) * PAGE_SIZE;
      const last = Math.floor(Math.max(lastIndex, start) / PAGE_SIZE) * PAGE_SIZE;
      for (let offset = first; offset <= last; offset += PAGE_SIZE) {
        const page = s.pages[offset];
        if (page && page.epoch === s.epoch && !s.isHolding) continue;
        fetchPage(offset, s.epoch, s.key, s.query);
      }
    }

    function fetchPage(offset: number, epoch: number, key: string, query: BaseQuery): void {
      const tag = `${key}#${epoch}#${offset}`;
      if (inflight.has(tag)) return;
      inflight.add(tag);
      api.listComics({ ...query, offset, limit: PAGE_SIZE }).then(
        (page) => {
          inflight.delete(tag);
          const s = get();
          if (s.key !== key || s.epoch !== epoch) return; // an answer for an older query or generation
          if (page.generation < s.minGeneration) {
            // Older than a swap we were told about: ask once more.
            if (!retried.has(tag)) {
              retried.add(tag);
              setTimeout(ensure, 100);
            }
            return;
          }
          const pages = s.isHolding ? {} : { ...s.pages };
          pages[offset] = { items: page.items, epoch };
          set({
            pages: evict(pages, s.visible.start),
            total: page.total,
            generation: Math.max(s.generation, page.generation),
            isStale: page.stale,
            isHolding: false,
            error: null,
          });
          if (s.total === null || s.isHolding || s.total !== page.total) ensure();
        },
        (err: unknown) => {
          inflight.delete(tag);
          const s = get();
          if (s.key !== key || s.epoch !== epoch) return;
          set({ error: messageOf(err) });
        },
      );
    }

    return {
      query: initialQuery,
      key: queryKey(initialQuery),
      epoch: 0,
      ...noRows(),
      visible: { start: 0, end: PAGE_SIZE - 1 },
      setQuery(query) {
        const key = queryKey(query);
        const s = get();
        if (key === s.key) return;
        const span = Math.max(0, s.visible.end - s.visible.start);
        set({
          query,
          key,
          epoch: s.epoch + 1,
          isHolding: Object.keys(s.pages).length > 0,
          // The views scroll to the top on a new query.
          visible: { start: 0, end: span },
          error: null,
        });
        ensure();
      },
      setVisibleRange(start, end) {
        const s = get();
        if (s.visible.start === start && s.visible.end === end) {
          ensure();
          return;
        }
        set({ visible: { start, end } });
        ensure();
      },
      invalidate(generation) {
        const s = get();
        const { start, end } = s.visible;
        const pages: Record<number, CachedPage> = {};
        for (const [offsetText, page] of Object.entries(s.pages)) {
          const offset = Number(offsetText);
          if (offset + PAGE_SIZE > start && offset <= end) pages[offset] = page;
        }
        set({ epoch: s.epoch + 1, minGeneration: Math.max(s.minGeneration, generation), pages });
        ensure();
      },
      reset() {
        const s = get();
        set({ epoch: s.epoch + 1, ...noRows(), visible: { start: 0, end: Math.max(0, s.visible.end - s.visible.start) } });
        ensure();
      },
      patchItem(id, patch) {
        const s = get();
        for (const [offsetText, page] of Object.entries(s.pages)) {
          const i = page.items.findIndex((c) => c.id === id);
          if (i < 0) continue;
          const items = page.items.slice();
          items[i] = { ...items[i], ...patch };
          set({ pages: { ...s.pages, [Number(offsetText)]: { ...page, items } } });
          return;
        }
      },
      patchFavourite(id, favourite) {
        get().patchItem(id, { favourite });
        if (get().query.filter?.favourite) get().invalidate(get().generation);
      },
    };
  });
  return store;
}
export type ResultsStore = ReturnType<typeof createResultsStore>;

function evict(pages: Record<number, CachedPage>, center: number): Record<number, CachedPage> {
  const offsets = Object.keys(pages).map(Number);
  if (offsets.length <= MAX_CACHED_PAGES) return pages;
  offsets.sort((a, b) => Math.abs(a - center) - Math.abs(b - center));
  const kept: Record<number, CachedPage> = {};
  for (const offset of offsets.slice(0, MAX_CACHED_PAGES)) kept[offset] = pages[offset];
  return kept;
}
