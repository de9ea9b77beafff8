// Test double: an in-memory LibraryApi for component and store tests. Not used by the shipped app.
import type { LibraryApi } from '../../shared/api.js';
import { LongboxError } from '../../shared/errors.js';
import { emptyMetadata } from '../../shared/comic-fields.js';
import { pageOf } from '../../shared/testing/list-page.js';
import type {
  BulkStateRequest,
  SeriesSummary,
  CacheStatus,
  ComicDetail,
  ComicPage,
  ComicQuery,
  ComicSummary,
  HostCapabilities,
  LibraryEvent,
  LibraryInfo,
  PageList,
  ReaderSettings,
  UserState,
} from '../../shared/types.js';

export function makeStatus(patch: Partial<CacheStatus> = {}): CacheStatus {
  return {
    file_count: 0,
    age_seconds: 3,
    is_populated: true,
    rebuild_in_progress: false,
    generation: 1,
    phase: 'idle',
    progress: null,
    last_error: null,
    last_duration_ms: 1200,
    library_root: '/comics',
    error_count: 0,
    rebuild_owner: null,
    user_data_notice: null,
    ...patch,
  };
}

const SERIES = ['Saga', 'Paper Girls', 'Monstress', 'Descender', 'Lazarus', 'East of West', 'Black Science', 'Invincible'];

export function makeComic(i: number, patch: Partial<ComicSummary> = {}): ComicSummary {
  const series = SERIES[i % SERIES.length];
  const number = String(Math.floor(i / SERIES.length) + 1);
  const fileName = `${series} ${number.padStart(3, '0')}.cbz`;
  return {
    id: i + 1,
    path: `${series}/${fileName}`,
    folder: series,
    fileName,
    ext: 'cbz',
    format: 'zip',
    size: 20_000_000 + i * 1000,
    mtimeMs: 1_700_000_000_000 + i,
    pageCount: 24,
    series,
    seriesKey: series.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    number,
    volume: null,
    title: `Chapter ${number}`,
    year: 2012 + (i % 10),
    writer: 'Brian K. Vaughan',
    publisher: 'Image',
    errorKind: null,
    errorMessage: null,
    fingerprint: `fp${i + 1}`,
    duplicateCount: 1,
    read: false,
    favourite: false,
    lastPage: null,
    addedAt: 1_700_000_000_000 + i * 1000,
    ...patch,
  };
}

/**
 * A plausible page list for a comic of `count` pages: portrait 1000×1500 pages, with a spread
 * (2000×1500) at every index listed in `spreads`, and the given direction.
 */
export function makePageList(count: number, options: { spreads?: number[]; direction?: PageList['direction'] } = {}): PageList {
  const spreads = new Set(options.spreads ?? []);
  return {
    pages: Array.from({ length: count }, (_, index) => ({
      index,
      name: `page-${String(index + 1).padStart(3, '0')}.jpg`,
      size: 2_000_000 + index,
      width: spreads.has(index) ? 2000 : 1000,
      height: 1500,
      spread: spreads.has(index),
    })),
    direction: options.direction ?? 'ltr',
  };
}

export function makeComics(count: number, start = 0): ComicSummary[] {
  return Array.from({ length: count }, (_, k) => makeComic(start + k));
}

interface HeldCall {
  query: ComicQuery;
  resolve: () => void;
}

export interface FakeLibraryApi extends LibraryApi {
  capabilities: HostCapabilities;
  comics: ComicSummary[];
  status: CacheStatus;
  library: LibraryInfo | null;
  /** Every listComics query, in call order. */
  listCalls: ComicQuery[];
  getComicCalls: number[];
  refreshCalls: number;
  /** Ids passed to retryComic. */
  retried: number[];
  userStateCalls: Array<{ id: number; patch: Partial<UserState> }>;
  /**
   * Page lists by comic id. A comic without an entry gets makePageList(comic.pageCount); an Error
   * value makes listPages reject with it (e.g. new LongboxError('ENCRYPTED', …)).
   */
  pageLists: Map<number, PageList | Error>;
  listPagesCalls: number[];
  /** Reader settings saved per series key (setReaderSettings writes here; tests may seed it). */
  readerSettings: Map<string, ReaderSettings>;
  readerSettingsCalls: Array<{ seriesKey: string; settings: ReaderSettings }>;
  /** Every bulk read-state request, in call order. */
  readStateCalls: BulkStateRequest[];
  /** When true, listComics answers only when the test calls `held[i].resolve()`. */
  hold: boolean;
  held: HeldCall[];
  /** Sends an event to every subscriber. */
  emit(event: LibraryEvent): void;
  /** Replaces the status and sends it as a `status` event. */
  setStatus(patch: Partial<CacheStatus>): void;
  /** Replaces the rows (a new generation) and sends `library-changed`. */
  swap(comics: ComicSummary[]): void;
  listenerCount(): number;
}

function inFolder(comic: ComicSummary, folder: string, recursive: boolean): boolean {
  if (comic.folder === folder) return true;
  return recursive && (folder === '' || comic.folder.startsWith(`${folder}/`));
}

function matches(comic: ComicSummary, query: ComicQuery): boolean {
  if (query.series !== undefined && comic.seriesKey !== query.series) return false;
  if (query.folder !== undefined && !inFolder(comic, query.folder, query.recursive === true)) return false;
  const f = query.filter;
  if (f?.hasError === true && !comic.errorKind) return false;
  if (f?.hasError === false && comic.errorKind) return false;
  if (f?.duplicates && comic.duplicateCount < 2) return false;
  if (f?.unread && comic.read) return false;
  if (f?.favourite && !comic.favourite) return false;
  if (f?.formats && f.formats.length > 0 && !f.formats.includes(comic.format)) return false;
  if (query.q) {
    const hay = `${comic.series ?? ''} ${comic.title ?? ''} ${comic.writer ?? ''} ${comic.fileName}`.toLowerCase();
    for (const word of query.q.toLowerCase().split(/\s+/).filter(Boolean)) {
      if (!hay.split(/[^a-z0-9]+/).some((token) => token.startsWith(word))) return false;
    }
  }
  return true;
}

function compare(a: ComicSummary, b: ComicSummary, query: ComicQuery): number {
  let d = 0;
  switch (query.sort) {
    case 'series':
      d = (a.series ?? '').localeCompare(b.series ?? '') || Number(a.number) - Number(b.number);
      break;
    case 'title':
      d = (a.title ?? a.fileName).localeCompare(b.title ?? b.fileName);
      break;
    case 'added':
      d = a.addedAt - b.addedAt;
      break;
    case 'size':
      d = a.size - b.size;
      break;
    case 'file':
      d = a.fileName.localeCompare(b.fileName);
      break;
  }
  d = d || a.id - b.id;
  return query.order === 'desc' ? -d : d;
}

export function createFakeLibraryApi(init: { comics?: ComicSummary[]; status?: Partial<CacheStatus>; library?: LibraryInfo | null } = {}): FakeLibraryApi {
  const listeners = new Set<(event: LibraryEvent) => void>();
  const comics = init.comics ?? makeComics(250);
  const fake: FakeLibraryApi = {
    capabilities: { chooseFolder: true, openFile: true, revealFile: true },
    comics,
    status: makeStatus({ file_count: comics.length, ...init.status }),
    library: init.library === undefined ? { root: '/comics', isSample: false } : init.library,
    listCalls: [],
    getComicCalls: [],
    refreshCalls: 0,
    retried: [],
    userStateCalls: [],
    pageLists: new Map(),
    listPagesCalls: [],
    readerSettings: new Map(),
    readerSettingsCalls: [],
    readStateCalls: [],
    hold: false,
    held: [],
    emit(event) {
      for (const listener of [...listeners]) listener(event);
    },
    setStatus(patch) {
      fake.status = { ...fake.status, ...patch };
      fake.emit({ type: 'status', status: fake.status });
    },
    swap(next) {
      fake.comics = next;
      fake.status = { ...fake.status, generation: fake.status.generation + 1, file_count: next.length };
      fake.emit({ type: 'library-changed', generation: fake.status.generation });
    },
    listenerCount: () => listeners.size,
    async getStatus() {
      return fake.status;
    },
    listComics(query) {
      fake.listCalls.push(query);
      const answer = (): ComicPage => pageOf(fake.comics.filter((c) => matches(c, query)).sort((a, b) => compare(a, b, query)), query, fake.status);
      if (!fake.hold) return Promise.resolve(answer());
      // Computed at call time: a held answer is what the library looked like when it was asked.
      const page = answer();
      return new Promise<ComicPage>((resolve) => {
        fake.held.push({ query, resolve: () => resolve(page) });
      });
    },
    async getComic(id) {
      fake.getComicCalls.push(id);
      const comic = fake.comics.find((c) => c.id === id);
      if (!comic) throw new LongboxError('NOT_FOUND', `no comic ${id}`);
      const detail: ComicDetail = {
        ...comic,
        metadata: {
          ...emptyMetadata(),
          series: comic.series,
          number: comic.number,
          volume: comic.volume,
          title: comic.title,
          year: comic.year,
          writer: comic.writer,
          publisher: comic.publisher,
          declaredPageCount: comic.pageCount,
        },
        sources: { series: 'comicinfo', number: 'filename', title: 'comicinfo', writer: 'comicinfo' },
        pages: [],
        duplicates: fake.comics
          .filter((c) => c.fingerprint === comic.fingerprint && c.id !== comic.id)
          .map((c) => ({ id: c.id, path: c.path })),
        lastChangedAt: comic.mtimeMs,
        userState: { read: comic.read, lastPage: comic.lastPage, favourite: comic.favourite, lastReadAt: null },
      };
      return detail;
    },
    async refresh() {
      fake.refreshCalls++;
      return fake.status;
    },
    async setUserState(id, patch) {
      fake.userStateCalls.push({ id, patch });
      const comic = fake.comics.find((c) => c.id === id);
      if (!comic) throw new LongboxError('NOT_FOUND', `no comic ${id}`);
      if (patch.read !== undefined) comic.read = patch.read;
      if (patch.lastPage !== undefined) comic.lastPage = patch.lastPage;
      if (patch.favourite !== undefined) comic.favourite = patch.favourite;
      return { read: comic.read, lastPage: comic.lastPage, favourite: comic.favourite, lastReadAt: null };
    },
    async getReaderSettings(seriesKey) {
      return fake.readerSettings.get(seriesKey) ?? null;
    },
    async setReaderSettings(seriesKey, settings) {
      fake.readerSettingsCalls.push({ seriesKey, settings });
      fake.readerSettings.set(seriesKey, { ...settings });
    },
    async listSeries(query) {
      const groups = new Map<string, ComicSummary[]>();
      for (const c of fake.comics) groups.set(c.seriesKey, [...(groups.get(c.seriesKey) ?? []), c]);
      let items: SeriesSummary[] = [...groups].map(([key, issues]) => ({
        key,
        name: issues[0]!.series ?? issues[0]!.fileName,
        volume: issues[0]!.volume,
        year: Math.min(...issues.map((c) => c.year ?? 9999)),
        publisher: issues[0]!.publisher,
        issue_count: issues.length,
        unread_count: issues.filter((c) => !c.read).length,
        cover_id: issues[0]!.id,
        cover_fingerprint: issues[0]!.fingerprint,
      }));
      if (query.q) items = items.filter((s) => s.name.toLowerCase().includes(query.q!.toLowerCase()));
      items.sort((a, b) => a.name.localeCompare(b.name) * (query.order === 'desc' ? -1 : 1));
      return pageOf(items, query, fake.status);
    },
    async listFolder(path) {
      const inside = fake.comics.filter((c) => inFolder(c, path, true));
      if (inside.length === 0 && path !== '') throw new LongboxError('NOT_FOUND', 'No such folder in this library.');
      const children = new Map<string, number>();
      for (const c of inside) {
        const rest = path === '' ? c.folder : c.folder.slice(path.length + 1);
        if (c.folder === path || rest === '') continue;
        const name = rest.split('/')[0]!;
        children.set(name, (children.get(name) ?? 0) + 1);
      }
      return {
        path,
        folders: [...children].sort().map(([name, count]) => ({ name, path: path === '' ? name : `${path}/${name}`, comic_count: count })),
        comic_count: inside.length,
        direct_count: inside.filter((c) => c.folder === path).length,
        generation: fake.status.generation,
        stale: fake.status.rebuild_in_progress,
      };
    },
    async getHome() {
      const home = (c: ComicSummary) => c;
      return {
        continue: [],
        on_deck: [],
        recent: [...fake.comics].sort((a, b) => b.addedAt - a.addedAt).slice(0, 24).map(home),
        generation: fake.status.generation,
        stale: fake.status.rebuild_in_progress,
      };
    },
    async setReadState(request) {
      fake.readStateCalls.push(request);
      const targets = fake.comics.filter((c) =>
        'ids' in request ? request.ids.includes(c.id) : 'series' in request ? c.seriesKey === request.series : inFolder(c, request.folder, true),
      );
      if (targets.length === 0) throw new LongboxError('NOT_FOUND', 'nothing to mark');
      if ('read' in request) {
        for (const c of targets) c.read = request.read;
        return { count: targets.length, read: request.read };
      }
      for (const c of targets) c.favourite = request.favourite;
      return { count: targets.length, favourite: request.favourite };
    },
    async getLibrary() {
      return fake.library;
    },
    async chooseLibrary() {
      fake.library = { root: '/chosen', isSample: false };
      return fake.library;
    },
    async openSampleLibrary() {
      fake.library = { root: '/sample', isSample: true };
      return fake.library;
    },
    async openComic() {},
    async revealComic() {},
    async retryComic(id: number) {
      fake.retried.push(id);
    },
    coverUrl: (id, fingerprint) => `data:image/gif;base64,R0lGODlhAQABAAAAACw=#${id}-${fingerprint}`,
    async listPages(id) {
      fake.listPagesCalls.push(id);
      const comic = fake.comics.find((c) => c.id === id);
      if (!comic) throw new LongboxError('NOT_FOUND', `no comic ${id}`);
      const list = fake.pageLists.get(id) ?? makePageList(comic.pageCount);
      if (list instanceof Error) throw list;
      return list;
    },
    // A real (1×1 GIF) image whose URL still says which page it is.
    pageUrl: (id, index, fingerprint, width) =>
      `data:image/gif;base64,R0lGODlhAQABAAAAACw=#page-${id}-${index}-${fingerprint}${width === undefined ? '' : `-w${width}`}`,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return fake;
}
