import { describe, expect, it } from 'vitest';
import { createFakeLibraryApi, makeComic, makePageList } from '../testing/fake-api.js';
import { flush } from '../testing/setup-dom.js';
import { createReaderStore, currentView, isAtEnd } from './reader-store.js';
import { apiSettingsSource } from './settings.js';
import { LongboxError } from '../../shared/errors.js';
import { portraitPages } from '../testing/reader-pages.js';

function setup() {
  // Two issues of one series (ids 1 and 9 with the fake's 8 series), page counts 24.
  const api = createFakeLibraryApi();
  const started: string[] = [];
  const cancelled: string[] = [];
  const controller = createReaderStore({
    api,
    settings: apiSettingsSource(api),
    progressDebounceMs: 0,
    prefetchLoader: (url) => {
      started.push(url);
      return { cancel: () => cancelled.push(url) };
    },
  });
  return { api, controller, store: controller.store, started, cancelled };
}

describe('reader store', () => {
  it('opens at page 1, turns pages, prefetches around them and saves the page', async () => {
    const { api, store, started } = setup();
    await store.getState().open(1, null);
    expect(store.getState().status).toBe('ready');
    expect(currentView(store.getState())).toEqual([0]);
    expect(store.getState().resumedFrom).toBeNull();
    // the window around page 1: 3 ahead
    expect(started.map((u) => u.split('#page-1-')[1])).toEqual(['1-fp1', '2-fp1', '3-fp1']);
    store.getState().step(1);
    store.getState().step(1);
    expect(currentView(store.getState())).toEqual([2]);
    await flush(5);
    expect(api.userStateCalls.at(-1)).toEqual({ id: 1, patch: { lastPage: 2 } });
    expect(api.comics[0]!.lastPage).toBe(2);
  });

  it('opens at the saved page and says so; an explicit page wins; a finished comic starts at page 1', async () => {
    const { api, store } = setup();
    api.comics[0]!.lastPage = 11;
    await store.getState().open(1, null);
    expect(currentView(store.getState())).toEqual([11]);
    expect(store.getState().resumedFrom).toBe(11);
    store.getState().startOver();
    expect(currentView(store.getState())).toEqual([0]);
    expect(store.getState().resumedFrom).toBeNull();
    await store.getState().open(1, 5);
    expect(currentView(store.getState())).toEqual([5]);
    api.comics[1]!.read = true;
    api.comics[1]!.lastPage = 23;
    await store.getState().open(2, null);
    expect(currentView(store.getState())).toEqual([0]);
  });

  it('a right-to-left book defaults to RTL; settings are remembered per series', async () => {
    const { api, store } = setup();
    api.pageLists.set(1, { pages: portraitPages(10), direction: 'rtl' });
    await store.getState().open(1, null);
    expect(store.getState().settings.direction).toBe('rtl');
    store.getState().setMode('double');
    // Issue 9 is the same series (Saga #2): it opens in double page mode, RTL.
    await store.getState().open(9, null);
    expect(store.getState().settings).toMatchObject({ mode: 'double', direction: 'rtl' });
    // Another series keeps its own defaults.
    await store.getState().open(2, null);
    expect(store.getState().settings).toMatchObject({ mode: 'single', direction: 'ltr' });
  });

  it('double page: cover alone, spread alone, shift by one keeps the current page in view', async () => {
    const { api, store } = setup();
    api.pageLists.set(1, { pages: portraitPages(8, [4]), direction: 'ltr' });
    await store.getState().open(1, null);
    store.getState().setMode('double');
    expect(store.getState().views).toEqual([[0], [1, 2], [3], [4], [5, 6], [7]]);
    store.getState().goToPage(2);
    expect(currentView(store.getState())).toEqual([1, 2]);
    store.getState().toggleShift();
    expect(store.getState().views).toEqual([[0], [1], [2, 3], [4], [5, 6], [7]]);
    // the first page of the old pair stays on screen
    expect(currentView(store.getState())).toEqual([1]);
  });

  it('a page list without sizes learns them from the images: a wide page becomes a spread', async () => {
    const { api, store } = setup();
    api.pageLists.set(1, { pages: portraitPages(6).map((p) => ({ ...p, width: null, height: null })), direction: 'ltr' });
    await store.getState().open(1, null);
    store.getState().setMode('double');
    expect(store.getState().views).toEqual([[0], [1, 2], [3, 4], [5]]);
    store.getState().goToPage(3);
    store.getState().learnSize(4, 2000, 1000);
    expect(store.getState().views).toEqual([[0], [1, 2], [3], [4], [5]]);
    expect(currentView(store.getState())).toEqual([3]);
    // a known size is never replaced
    store.getState().learnSize(4, 10, 1000);
    expect(store.getState().pages[4]).toMatchObject({ width: 2000, height: 1000, spread: true });
  });

  it('the last page marks the comic read and offers the next issue of the series', async () => {
    const { api, store } = setup();
    await store.getState().open(1, null);
    store.getState().goToPage(23);
    expect(isAtEnd(store.getState())).toBe(true);
    await flush(5);
    expect(api.userStateCalls.at(-1)).toEqual({ id: 1, patch: { lastPage: 23, read: true } });
    expect(store.getState().nextIssue?.id).toBe(9);
    expect(store.getState().nextIssue?.number).toBe('2');
  });

  it('the last issue has no next one', async () => {
    const api = createFakeLibraryApi({ comics: [makeComic(0), makeComic(8)] });
    const { store } = createReaderStore({ api, settings: apiSettingsSource(api), prefetchLoader: () => ({ cancel() {} }) });
    await store.getState().open(9, null);
    await flush(5);
    expect(store.getState().nextIssue).toBeNull();
  });

  it('a comic whose file is offline says so; closing cancels the prefetches', async () => {
    const { api, store, cancelled, started } = setup();
    api.pageLists.set(3, new LongboxError('FILE_MISSING', 'The comic file is not there (the library folder is offline).'));
    await store.getState().open(3, null);
    expect(store.getState().status).toBe('error');
    expect(store.getState().error).toContain('offline');
    await store.getState().open(1, null);
    await store.getState().close();
    expect(store.getState().status).toBe('closed');
    expect(cancelled.sort()).toEqual(started.filter((u) => u.includes('#page-1-')).sort());
  });

  it('a text book (an EPUB of prose) says it is a book, not a comic', async () => {
    const { api, store } = setup();
    api.pageLists.set(3, { pages: makePageList(1).pages, direction: 'ltr', kind: 'text-book' });
    await store.getState().open(3, null);
    expect(store.getState().status).toBe('error');
    expect(store.getState().error).toContain('text book');
  });
});
