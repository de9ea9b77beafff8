import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeLibraryApi, makeComics } from '../testing/fake-api.js';
import { memoryStorage } from '../testing/setup-dom.js';
import { baseQuery, createQueryStore, isNarrowed, queryKey } from './query.js';
import { createStores } from './stores.js';
import { createViewStore, VIEW_STORAGE_KEY } from './view.js';

describe('query store', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('debounces the search text (~200 ms) and applies the last value once', () => {
    const query = createQueryStore();
    query.getState().setText('s');
    query.getState().setText('sa');
    query.getState().setText('saga ');
    vi.advanceTimersByTime(150);
    expect(query.getState().q).toBe('');
    vi.advanceTimersByTime(60);
    expect(query.getState().q).toBe('saga');
  });

  it('asks the api once per settled search, not per keystroke', async () => {
    const api = createFakeLibraryApi({ comics: makeComics(300) });
    const stores = createStores(api, { storage: memoryStorage() });
    const stop = stores.start();
    await vi.runAllTimersAsync();
    const before = api.listCalls.length;
    for (const text of ['p', 'pa', 'pap', 'pape', 'paper']) {
      stores.query.getState().setText(text);
      vi.advanceTimersByTime(50);
    }
    expect(api.listCalls.length).toBe(before);
    await vi.advanceTimersByTimeAsync(250);
    const searches = api.listCalls.slice(before);
    expect(searches.map((q) => q.q)).toEqual(['paper']);
    stop();
  });

  it('builds the base query: Problems adds hasError, empty filters vanish', () => {
    const state = { q: '', sort: 'title' as const, order: 'desc' as const, filter: {}, view: 'problems' as const };
    expect(baseQuery(state)).toEqual({ sort: 'title', order: 'desc', filter: { hasError: true } });
    expect(baseQuery({ ...state, view: 'library' })).toEqual({ sort: 'title', order: 'desc' });
    expect(isNarrowed(baseQuery({ ...state, view: 'library' }))).toBe(false);
    expect(queryKey({ sort: 'title', order: 'asc', filter: { formats: ['rar', 'zip'] } })).toBe(
      queryKey({ sort: 'title', order: 'asc', filter: { formats: ['zip', 'rar'] } }),
    );
  });

  it('toggles flags and formats', () => {
    const query = createQueryStore();
    query.getState().toggleFlag('unread');
    query.getState().toggleFormat('zip');
    query.getState().toggleFormat('rar');
    query.getState().toggleFormat('zip');
    expect(query.getState().filter).toEqual({ unread: true, formats: ['rar'] });
    query.getState().clearFilters();
    expect(query.getState().filter).toEqual({});
  });
});

describe('view store', () => {
  it('persists layout, cover size and theme', () => {
    const storage = memoryStorage();
    const view = createViewStore(storage);
    view.getState().setLayout('list');
    view.getState().setCoverSize(999);
    view.getState().setTheme('dark');
    expect(JSON.parse(String(storage.getItem(VIEW_STORAGE_KEY))).state).toEqual({ layout: 'list', coverSize: 260, theme: 'dark', sort: 'series', order: 'asc' });
    const again = createViewStore(storage);
    expect(again.getState().layout).toBe('list');
    expect(again.getState().theme).toBe('dark');
  });
});
