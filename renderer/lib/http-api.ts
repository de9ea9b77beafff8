// The LibraryApi over HTTP + SSE, for the UI served by the headless host (`longbox serve`).
import type { LibraryApi } from '../../shared/api.js';
import { fromSerializedError, isErrorCode, LongboxError, messageOf } from '../../shared/errors.js';
import { pageQuery } from '../../shared/ipc.js';
import { comicQueryToParams } from '../../shared/query.js';
import { seriesQueryToParams } from '../../shared/browse-query.js';
// Only the wire's own shapes are named here: each operation's argument and answer types come from
// LibraryApi (the object below is typed by it), so a new operation is not listed again.
import type { CacheStatus, HostCapabilities, LibraryEvent, LibraryInfo, ReaderSettings } from '../../shared/types.js';

export interface HttpApiOptions {
  /** Access token from the page URL (`?token=`): sent as a Bearer header and as `?token=` where headers cannot go. */
  token?: string | null;
  fetch?: typeof fetch;
  EventSource?: typeof EventSource;
}

interface LibraryResponse {
  library: LibraryInfo | null;
  capabilities: HostCapabilities;
}

const NO_CAPABILITIES: HostCapabilities = { chooseFolder: false, openFile: false, revealFile: false };

export type HttpLibraryApi = LibraryApi & { capabilities: HostCapabilities };

export function createHttpApi(baseUrl: string, options: HttpApiOptions = {}): HttpLibraryApi {
  const base = baseUrl.replace(/\/+$/, '');
  const token = options.token ?? null;
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const EventSourceImpl = options.EventSource ?? (typeof EventSource === 'undefined' ? undefined : EventSource);

  function withToken(path: string): string {
    if (!token) return `${base}${path}`;
    const sep = path.includes('?') ? '&' : '?';
    return `${base}${path}${sep}token=${encodeURIComponent(token)}`;
  }

  async function request<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new LongboxError('ENGINE_EXITED', `The Longbox host is not reachable (${messageOf(err)}).`);
    }
    const text = await response.text();
    let json: unknown = undefined;
    if (text.length > 0) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    if (!response.ok) {
      const error = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      if (error && typeof error.message === 'string') {
        return Promise.reject(
          fromSerializedError({ code: isErrorCode(error.code) ? error.code : 'INTERNAL', message: error.message }),
        );
      }
      throw new LongboxError(response.status === 404 ? 'NOT_FOUND' : 'INTERNAL', `HTTP ${response.status} for ${method} ${path}`);
    }
    return json as T;
  }

  // One EventSource shared by every subscriber; opened on the first subscribe, closed with the last.
  const listeners = new Set<(event: LibraryEvent) => void>();
  let source: EventSource | null = null;
  let lastGeneration: number | null = null;
  let hadError = false;

  function dispatch(event: LibraryEvent): void {
    for (const listener of [...listeners]) listener(event);
  }

  /** Forwards events; a newer generation seen only in a status (a swap missed while disconnected)
   * becomes a library-changed, and a library-changed already seen is dropped. */
  function emit(event: LibraryEvent): void {
    if (event.type === 'library-changed') {
      if (lastGeneration !== null && event.generation <= lastGeneration) return;
      lastGeneration = event.generation;
      dispatch(event);
      return;
    }
    dispatch(event);
    const generation = event.status.generation;
    if (lastGeneration === null) lastGeneration = generation;
    else if (generation > lastGeneration) {
      lastGeneration = generation;
      dispatch({ type: 'library-changed', generation });
    }
  }

  function open(): void {
    if (!EventSourceImpl || source) return;
    const es = new EventSourceImpl(withToken('/api/events'));
    source = es;
    es.addEventListener('status', (e) => {
      const status = parseData<CacheStatus>(e);
      if (status) emit({ type: 'status', status });
    });
    es.addEventListener('library-changed', (e) => {
      const data = parseData<{ generation: number }>(e);
      if (data && typeof data.generation === 'number') emit({ type: 'library-changed', generation: data.generation });
    });
    es.addEventListener('error', () => {
      hadError = true;
    });
    es.addEventListener('open', () => {
      if (!hadError) return;
      hadError = false;
      // Reconnected: catch up on what we may have missed.
      api.getStatus().then(
        (status) => emit({ type: 'status', status }),
        () => undefined,
      );
    });
  }

  const api: HttpLibraryApi = {
    capabilities: { ...NO_CAPABILITIES },
    getStatus: async () => (await request<{ enriched_file_cache: CacheStatus }>('GET', '/api/cache/stats')).enriched_file_cache,
    listComics: (query) => request('GET', `/api/comics?${comicQueryToParams(query).toString()}`),
    getComic: (id) => request('GET', `/api/comics/${encodeURIComponent(String(id))}`),
    listPages: (id) => request('GET', `/api/comics/${encodeURIComponent(String(id))}/pages`),
    refresh: async () => (await request<{ enriched_file_cache: CacheStatus }>('POST', '/api/cache/refresh')).enriched_file_cache,
    setUserState: (id, patch) =>
      request('POST', `/api/comics/${encodeURIComponent(String(id))}/state`, patch),
    getReaderSettings: async (seriesKey) =>
      (await request<{ settings: ReaderSettings | null }>('GET', `/api/reader-settings/${encodeURIComponent(seriesKey)}`)).settings,
    setReaderSettings: async (seriesKey, settings) => {
      await request<unknown>('PUT', `/api/reader-settings/${encodeURIComponent(seriesKey)}`, settings);
    },
    listSeries: (query) => request('GET', `/api/series?${seriesQueryToParams(query).toString()}`),
    listFolder: (path) => request('GET', `/api/folders?${new URLSearchParams({ path }).toString()}`),
    getHome: () => request('GET', '/api/home'),
    setReadState: (body) => request('POST', '/api/state', body),
    getLibrary: async () => {
      const answer = await request<LibraryResponse>('GET', '/api/library');
      api.capabilities = { ...NO_CAPABILITIES, ...answer.capabilities };
      return answer.library;
    },
    chooseLibrary: async () => null,
    openSampleLibrary: async () => {
      const answer = await request<{ library: LibraryInfo }>('POST', '/api/library/sample');
      return answer.library;
    },
    openComic: async () => {
      throw new LongboxError('UNSUPPORTED', 'Opening a comic is not available in the browser.');
    },
    revealComic: async () => {
      throw new LongboxError('UNSUPPORTED', 'Revealing a file is not available in the browser.');
    },
    retryComic: async (id) => {
      await request<unknown>('POST', `/api/comics/${encodeURIComponent(String(id))}/retry`);
    },
    coverUrl: (id, fingerprint) =>
      withToken(`/api/comics/${encodeURIComponent(String(id))}/cover?v=${encodeURIComponent(fingerprint)}`),
    pageUrl: (id, index, fingerprint, width) =>
      withToken(`/api/comics/${encodeURIComponent(String(id))}/pages/${encodeURIComponent(String(index))}${pageQuery(fingerprint, width)}`),
    subscribe: (listener) => {
      listeners.add(listener);
      open();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
  };
  return api;
}

function parseData<T>(event: Event): T | null {
  const data = (event as MessageEvent<unknown>).data;
  if (typeof data !== 'string') return null;
  try {
    return JSON.parse(data) as T;
  } catch {
    return null;
  }
}
