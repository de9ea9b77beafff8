// The reader's state: which comic is open, its pages, where the reader is, and how it shows them.
// A vanilla zustand store (tested without React); the components only render it and send actions.
import { createStore } from 'zustand/vanilla';
import { messageOf } from '../../shared/errors.js';
import type { ComicSummary, PageList, UserState } from '../../shared/types.js';
import { buildViews, viewOfPage, type Direction, type ReaderMode, type View } from './layout.js';
import { findNextIssue } from './next-issue.js';
import { Prefetcher, prefetchPages, type PrefetchLoader } from './prefetch.js';
import { ProgressSaver } from './progress.js';
import type { ReaderApi, ReaderComic, ReaderPage } from './reader-api.js';
import { FIT_MODES, clampZoom, defaultSettings, type ReaderSettings, type ReaderSettingsSource } from './settings.js';

export type ReaderStatus = 'closed' | 'loading' | 'ready' | 'error';

export interface ReaderState {
  status: ReaderStatus;
  id: number | null;
  comic: ReaderComic | null;
  pages: ReaderPage[];
  /** The book's own direction (ComicInfo Manga); settings.direction is what the reader uses. */
  bookDirection: Direction;
  settings: ReaderSettings;
  shifted: boolean;
  views: View[];
  /** Index into views. */
  view: number;
  /** Bumped by every jump the reader makes (not by webtoon scrolling): the webtoon column scrolls to it. */
  jump: number;
  error: string | null;
  /** The page the reader resumed at (the "Continued from page N" note), null when it started fresh. */
  resumedFrom: number | null;
  /** The next issue of the series, once known (null: none). */
  nextIssue: ComicSummary | null;
  open(id: number, page: number | null, known?: ReaderComic): Promise<void>;
  close(): Promise<void>;
  goToPage(page: number): void;
  step(delta: 1 | -1): void;
  /**
   * A page image arrived with its real size. Where the page list had none (a format without header
   * sizes), the page gets it, and a wide one becomes a spread: double page mode re-pairs around it.
   */
  learnSize(index: number, width: number, height: number): void;
  /** Webtoon scrolling reports the page on screen (no jump). */
  reportPage(page: number): void;
  setMode(mode: ReaderMode): void;
  toggleMode(mode: 'double' | 'webtoon'): void;
  toggleShift(): void;
  setDirection(direction: Direction): void;
  cycleFit(): void;
  setFit(fit: ReaderSettings['fit']): void;
  zoomBy(factor: number): void;
  resetZoom(): void;
  startOver(): void;
  dismissResume(): void;
}

export interface ReaderDeps {
  api: ReaderApi;
  settings: ReaderSettingsSource;
  /** A progress save landed (the grid row shows the new progress / read state). */
  onSaved?: (id: number, state: UserState) => void;
  onError?: (err: unknown) => void;
  prefetchLoader?: PrefetchLoader;
  progressDebounceMs?: number;
}

const CLOSED = {
  status: 'closed' as ReaderStatus,
  id: null,
  comic: null,
  pages: [] as ReaderPage[],
  views: [] as View[],
  view: 0,
  error: null,
  resumedFrom: null,
  nextIssue: null,
  shifted: false,
};

export function createReaderStore(deps: ReaderDeps) {
  /** Prefetched URL → page index, so a decoded image can tell its size (see learnSize). */
  const urlPages = new Map<string, number>();
  const prefetcher = new Prefetcher(deps.prefetchLoader, (url, width, height) => {
    const index = urlPages.get(url);
    if (index !== undefined) store.getState().learnSize(index, width, height);
  });
  const progress = new ProgressSaver((id, patch) => deps.api.setUserState(id, patch), {
    debounceMs: deps.progressDebounceMs,
    onSaved: (id, state) => {
      const s = store.getState();
      if (s.comic && s.id === id) store.setState({ comic: { ...s.comic, read: state.read, lastPage: state.lastPage } });
      deps.onSaved?.(id, state);
    },
    onError: deps.onError,
  });
  let ticket = 0;

  const store = createStore<ReaderState>()((set, get) => {
    /** Views for the current pages and settings; keeps the current page in view. */
    function relayout(patch: Partial<Pick<ReaderState, 'settings' | 'shifted'>>): void {
      const s = get();
      const page = s.views[s.view]?.[0] ?? 0;
      const settings = patch.settings ?? s.settings;
      const shifted = patch.shifted ?? s.shifted;
      const views = buildViews(s.pages, { mode: settings.mode, shifted });
      set({ settings, shifted, views, view: viewOfPage(views, page), jump: s.jump + 1 });
      afterMove();
      if (patch.settings && s.comic) void deps.settings.set(s.comic.seriesKey, settings).catch(() => undefined);
    }

    function afterMove(): void {
      const s = get();
      if (s.status !== 'ready' || !s.comic) return;
      const comic = s.comic;
      urlPages.clear();
      const urls = prefetchPages(s.views, s.view).map((i) => {
        const url = deps.api.pageUrl(comic.id, i, comic.fingerprint);
        urlPages.set(url, i);
        return url;
      });
      prefetcher.setWindow(urls);
      const view = s.views[s.view];
      if (view) progress.pageShown(comic.id, view[view.length - 1]!, s.pages.length, comic.read);
    }

    function moveTo(view: number, isJump: boolean): void {
      const s = get();
      const clamped = Math.max(0, Math.min(s.views.length - 1, view));
      if (clamped === s.view && s.status === 'ready') return;
      set({ view: clamped, jump: isJump ? s.jump + 1 : s.jump });
      afterMove();
    }

    return {
      ...CLOSED,
      bookDirection: 'ltr',
      settings: defaultSettings('ltr'),
      jump: 0,

      async open(id, page, known) {
        const mine = ++ticket;
        const current = get();
        if (current.id !== null && current.id !== id) await progress.flush();
        set({ ...CLOSED, status: 'loading', id, comic: known ?? null });
        // The start page's image is asked for at once, in parallel with the page list.
        const guess = page ?? startPageOf(known);
        if (known && guess !== null) prefetcher.setWindow([deps.api.pageUrl(id, guess, known.fingerprint)]);
        try {
          const comicPromise: Promise<ReaderComic> = known ? Promise.resolve(known) : deps.api.getComic(id);
          const [comic, list] = await Promise.all([comicPromise, deps.api.listPages(id)]);
          const stored = await deps.settings.get(comic.seriesKey).catch(() => null);
          if (mine !== ticket) return;
          const settings = stored ?? defaultSettings(list.direction);
          const views = buildViews(list.pages, { mode: settings.mode });
          const start = page ?? startPageOf(comic) ?? 0;
          const resumedFrom = page === null && start > 0 ? start : null;
          const problem = readProblemOf(list);
          set({
            status: problem === null ? 'ready' : 'error',
            error: problem,
            comic: { ...comic, pageCount: list.pages.length },
            pages: list.pages,
            bookDirection: list.direction,
            settings,
            views,
            view: viewOfPage(views, Math.min(start, list.pages.length - 1)),
            jump: get().jump + 1,
            resumedFrom,
          });
          afterMove();
          findNextIssue(deps.api.listComics, comic).then(
            (next) => {
              if (mine === ticket) set({ nextIssue: next });
            },
            () => undefined,
          );
        } catch (err) {
          if (mine !== ticket) return;
          prefetcher.clear();
          set({ status: 'error', error: messageOf(err) });
        }
      },

      async close() {
        ticket++;
        prefetcher.clear();
        set({ ...CLOSED });
        await progress.flush();
      },

      goToPage(page) {
        const s = get();
        moveTo(viewOfPage(s.views, page), true);
      },
      step(delta) {
        moveTo(get().view + delta, true);
      },
      learnSize(index, width, height) {
        const s = get();
        const page = s.pages[index];
        if (!page || page.width !== null || width <= 0 || height <= 0) return;
        const pages = s.pages.slice();
        pages[index] = { ...page, width, height, spread: page.spread || width > height };
        set({ pages });
        if (pages[index]!.spread === page.spread) return;
        // Re-pair without moving the reader: the same first page stays on screen.
        const first = s.views[s.view]?.[0] ?? 0;
        const views = buildViews(pages, { mode: s.settings.mode, shifted: s.shifted });
        set({ views, view: viewOfPage(views, first) });
      },
      reportPage(page) {
        const s = get();
        moveTo(viewOfPage(s.views, page), false);
      },
      setMode(mode) {
        relayout({ settings: { ...get().settings, mode } });
      },
      toggleMode(mode) {
        const s = get();
        get().setMode(s.settings.mode === mode ? 'single' : mode);
      },
      toggleShift() {
        const s = get();
        if (s.settings.mode !== 'double') return;
        relayout({ shifted: !s.shifted });
      },
      setDirection(direction) {
        relayout({ settings: { ...get().settings, direction } });
      },
      cycleFit() {
        const fit = get().settings.fit;
        get().setFit(FIT_MODES[(FIT_MODES.indexOf(fit) + 1) % FIT_MODES.length]!);
      },
      setFit(fit) {
        relayout({ settings: { ...get().settings, fit } });
      },
      zoomBy(factor) {
        const s = get();
        relayout({ settings: { ...s.settings, zoom: clampZoom(s.settings.zoom * factor) } });
      },
      resetZoom() {
        relayout({ settings: { ...get().settings, zoom: 1 } });
      },
      startOver() {
        set({ resumedFrom: null });
        get().goToPage(0);
      },
      dismissResume() {
        set({ resumedFrom: null });
      },
    };
  });
  return {
    store,
    api: deps.api,
    flushProgress: () => progress.flush(),
    dispose: () => {
      prefetcher.clear();
      progress.dispose();
    },
  };
}

/** Where a comic opens without an explicit page: its saved page, unless it was finished (then page 1). */
export function startPageOf(comic: Pick<ReaderComic, 'read' | 'lastPage'> | undefined): number | null {
  if (!comic) return null;
  if (comic.read || comic.lastPage === null) return 0;
  return Math.max(0, comic.lastPage);
}

export type ReaderStore = ReturnType<typeof createReaderStore>['store'];
export type ReaderController = ReturnType<typeof createReaderStore>;

export function currentView(s: Pick<ReaderState, 'views' | 'view'>): View {
  return s.views[s.view] ?? [];
}

export function isAtEnd(s: Pick<ReaderState, 'views' | 'view' | 'status'>): boolean {
  return s.status === 'ready' && s.view >= s.views.length - 1;
}

/** Why a page list cannot be read as a comic, in words; null when it can. */
function readProblemOf(list: PageList): string | null {
  // An EPUB of text lists its cover only: it is a book, not a comic (issue 14).
  if (list.kind === 'text-book') return 'This is a text book, not a comic: Longbox shows its cover and details. Open it in your e-book reader.';
  return list.pages.length > 0 ? null : 'This comic has no pages.';
}
