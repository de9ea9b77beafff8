import { afterEach, describe, expect, it } from 'vitest';
import { createFakeLibraryApi, makeComics } from '../testing/fake-api.js';
import { flush, memoryStorage } from '../testing/setup-dom.js';
import { createStores, type Stores } from './stores.js';
import { indexOfId, itemAt, PAGE_SIZE, createResultsStore } from './results.js';
import { baseQuery } from './query.js';

const base = baseQuery({ q: '', sort: 'series', order: 'asc', filter: {}, view: 'library' });
let stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops) stop();
  stops = [];
});

function started(api = createFakeLibraryApi({ comics: makeComics(1000) })): { api: typeof api; stores: Stores } {
  const stores = createStores(api, { debounceMs: 0, storage: memoryStorage() });
  stops.push(stores.start());
  return { api, stores };
}

/** A results store over a fake library of `count` comics; with `hold`, the fake keeps its answers until resolved. */
function resultsOver(count: number, options: { hold?: boolean } = {}) {
  const api = createFakeLibraryApi({ comics: makeComics(count) });
  if (options.hold) api.hold = true;
  return { api, results: createResultsStore(api, base) };
}

describe('results store', () => {
  it('fetches pages of 100 for the visible range only, never the whole library', async () => {
    const { api, results } = resultsOver(20_000);
    results.getState().setVisibleRange(0, 40);
    await flush();
    expect(api.listCalls.map((q) => [q.offset, q.limit])).toEqual([[0, PAGE_SIZE]]);
    expect(results.getState().total).toBe(20_000);

    results.getState().setVisibleRange(150, 260);
    await flush();
    expect(api.listCalls.map((q) => q.offset)).toEqual([0, 100, 200]);
    expect(api.listCalls.every((q) => q.limit === PAGE_SIZE)).toBe(true);

    // Jump to the end: only the pages there.
    results.getState().setVisibleRange(19_950, 19_999);
    await flush();
    expect(api.listCalls.map((q) => q.offset).slice(3)).toEqual([19_900]);
    expect(itemAt(results.getState(), 19_999)?.id).toBeDefined();
    expect(Object.keys(results.getState().pages).length).toBe(4);

    // Scrolling back over loaded pages asks nothing.
    results.getState().setVisibleRange(120, 180);
    await flush();
    expect(api.listCalls).toHaveLength(4);
  });

  it('does not ask twice for a page already in flight', async () => {
    const { api, results } = resultsOver(500, { hold: true });
    results.getState().setVisibleRange(0, 50);
    results.getState().setVisibleRange(0, 60);
    results.getState().setVisibleRange(10, 60);
    expect(api.listCalls).toHaveLength(1);
  });

  it('ignores an answer for an older query', async () => {
    const { api, results } = resultsOver(300, { hold: true });
    results.getState().setVisibleRange(0, 30);
    results.getState().setQuery({ ...base, q: 'saga' });
    expect(api.held).toHaveLength(2);
    // The new query answers first, then the old one arrives late.
    api.held[1].resolve();
    await flush();
    const sagaTotal = results.getState().total;
    expect(sagaTotal).toBeLessThan(300);
    expect(itemAt(results.getState(), 0)?.series).toBe('Saga');
    api.held[0].resolve();
    await flush();
    expect(results.getState().total).toBe(sagaTotal);
    expect(itemAt(results.getState(), 0)?.series).toBe('Saga');
  });

  it('keeps the old rows on screen until the first page of a new query arrives', async () => {
    const { api, results } = resultsOver(300);
    results.getState().setVisibleRange(0, 30);
    await flush();
    const before = itemAt(results.getState(), 0);
    api.hold = true;
    results.getState().setQuery({ ...base, sort: 'size', order: 'desc' });
    expect(results.getState().isHolding).toBe(true);
    expect(itemAt(results.getState(), 0)).toBe(before);
    api.held[0].resolve();
    await flush();
    expect(results.getState().isHolding).toBe(false);
    expect(itemAt(results.getState(), 0)?.id).toBe(300);
  });

  it('ignores an answer from before a library-changed event', async () => {
    const { api, results } = resultsOver(300);
    results.getState().setVisibleRange(0, 30);
    await flush();
    api.hold = true;
    results.getState().setVisibleRange(200, 230); // asks for page 200 in generation 1
    api.swap(makeComics(300).map((c) => ({ ...c, title: `${c.title} (new)` })));
    results.getState().invalidate(api.status.generation);
    // the refetch for the new generation answers first, then the old request arrives
    const [oldRequest, ...fresh] = api.held;
    for (const call of fresh) call.resolve();
    await flush();
    oldRequest.resolve();
    await flush();
    expect(itemAt(results.getState(), 200)?.title).toMatch(/\(new\)$/);
  });
});

describe('library-changed', () => {
  it('refetches only the visible range, keeps the selection and the rows while refetching', async () => {
    const { api, stores } = started(createFakeLibraryApi({ comics: makeComics(5000) }));
    await flush();
    const results = stores.results;
    results.getState().setVisibleRange(0, 40);
    results.getState().setVisibleRange(2000, 2060);
    await flush();
    expect(Object.keys(results.getState().pages).map(Number).sort((a, b) => a - b)).toEqual([0, 2000]);
    const selected = itemAt(results.getState(), 2010)!;
    stores.selection.getState().select(selected.id, 2010);
    await flush();
    const callsBefore = api.listCalls.length;

    api.hold = true;
    api.swap([...api.comics, ...makeComics(10, 5000)]);
    // Still showing the old rows for the visible range while the new page is on its way.
    expect(itemAt(results.getState(), 2010)?.id).toBe(selected.id);
    expect(results.getState().pages[0]).toBeUndefined();
    const refetched = api.listCalls.slice(callsBefore);
    expect(refetched.map((q) => q.offset)).toEqual([2000]);
    for (const call of api.held) call.resolve();
    await flush();
    expect(results.getState().total).toBe(5010);
    expect(results.getState().generation).toBe(2);
    expect(stores.selection.getState().selectedId).toBe(selected.id);
    // The added comics sort in before it: the cursor follows the selected comic.
    const moved = indexOfId(results.getState(), selected.id);
    expect(moved).toBeGreaterThanOrEqual(2010);
    expect(stores.selection.getState().cursor).toBe(moved);
  });

  it('reloads the details of the selected comic', async () => {
    const { api, stores } = started();
    await flush();
    stores.selection.getState().select(5, 4);
    await flush();
    expect(api.getComicCalls).toEqual([5]);
    api.swap(api.comics.map((c) => (c.id === 5 ? { ...c, title: 'Renamed' } : c)));
    await flush();
    expect(api.getComicCalls).toEqual([5, 5]);
    expect(stores.detail.getState().detail?.title).toBe('Renamed');
  });
});

describe('selection across generations', () => {
  it('follows the selected comic when a swap moves it to another index', async () => {
    const { api, stores } = started(createFakeLibraryApi({ comics: makeComics(300) }));
    await flush();
    const results = stores.results;
    const target = itemAt(results.getState(), 10)!;
    stores.selection.getState().select(target.id, 10);
    // Five new comics that sort before everything else.
    api.swap([...makeComics(5, 300).map((c) => ({ ...c, series: 'AAA' })), ...api.comics]);
    await flush();
    expect(stores.selection.getState().selectedId).toBe(target.id);
    expect(stores.selection.getState().cursor).toBe(15);
  });
});
