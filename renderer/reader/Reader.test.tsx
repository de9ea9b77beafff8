import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../App.js';
import { createStores, type Stores } from '../store/stores.js';
import { createFakeLibraryApi } from '../testing/fake-api.js';
import { flush, memoryStorage, mockLayout } from '../testing/setup-dom.js';
import { LongboxError } from '../../shared/errors.js';
import { portraitPages } from '../testing/reader-pages.js';
import { WEBTOON_MAX_IMAGES } from './webtoon-model.js';

const STAGE = { width: 1200, height: 800 };
let restore: Array<() => void> = [];

/** jsdom has no layout: the reader's stage gets a size (the results keep mockLayout's). */
function mockStage(): () => void {
  const proto = HTMLElement.prototype;
  const width = Object.getOwnPropertyDescriptor(proto, 'clientWidth')!;
  const height = Object.getOwnPropertyDescriptor(proto, 'clientHeight')!;
  const isStage = (el: HTMLElement) => el.classList.contains('reader-stage');
  Object.defineProperty(proto, 'clientWidth', { configurable: true, get(this: HTMLElement) { return isStage(this) ? STAGE.width : width.get!.call(this); } });
  Object.defineProperty(proto, 'clientHeight', { configurable: true, get(this: HTMLElement) { return isStage(this) ? STAGE.height : height.get!.call(this); } });
  return () => {
    Object.defineProperty(proto, 'clientWidth', width);
    Object.defineProperty(proto, 'clientHeight', height);
  };
}

beforeEach(() => {
  restore = [mockLayout()];
  restore.unshift(mockStage());
  // The app starts on Home; these tests read from the All comics grid.
  window.history.replaceState(null, '', '/#/all');
  localStorage.clear();
});
afterEach(() => {
  cleanup();
  for (const undo of restore) undo();
  window.history.replaceState(null, '', '/');
});

async function renderApp(api = createFakeLibraryApi()): Promise<{ stores: Stores; api: typeof api }> {
  const stores = createStores(api, { storage: memoryStorage(), debounceMs: 0 });
  render(<App stores={stores} />);
  await settle();
  return { stores, api };
}

async function settle(): Promise<void> {
  await act(async () => {
    await flush(4);
  });
}

const grid = () => screen.getByRole('listbox', { name: 'Comics' });
const reader = () => screen.getByRole('dialog', { name: /^Reader/ });
const key = async (k: string, init: KeyboardEventInit = {}) => {
  fireEvent.keyDown(document.activeElement ?? document.body, { key: k, ...init });
  await settle();
};

/** The first comic in the grid (series order): Black Science #1, id 7; its issue 2 is id 15. */
const FIRST = 7;
const FIRST_NEXT = 15;

async function openFirstWithEnter() {
  grid().focus();
  fireEvent.keyDown(grid(), { key: 'ArrowRight' });
  fireEvent.keyDown(grid(), { key: 'Home' });
  fireEvent.keyDown(grid(), { key: 'Enter' });
  await settle();
}

describe('reader view', () => {
  it('Enter opens the selected comic at page 1; arrows turn pages; the hash follows; Esc returns to the grid', async () => {
    await renderApp();
    await openFirstWithEnter();
    expect(within(reader()).getByRole('img', { name: 'Page 1 of 24' })).toBeTruthy();
    expect(window.location.hash).toBe(`#/read/${FIRST}/1`);
    // The library is still there underneath, inert.
    expect(document.querySelector('.reader-underlay')?.hasAttribute('inert')).toBe(true);
    await key('ArrowRight');
    await key('ArrowRight');
    expect(within(reader()).getByRole('img', { name: 'Page 3 of 24' })).toBeTruthy();
    expect(window.location.hash).toBe(`#/read/${FIRST}/3`);
    await key('End');
    expect(within(reader()).getByRole('img', { name: 'Page 24 of 24' })).toBeTruthy();
    await key('Home');
    expect(within(reader()).getByRole('img', { name: 'Page 1 of 24' })).toBeTruthy();
    await key('Escape');
    // history.back() is asynchronous in jsdom: wait for the popstate.
    await waitFor(() => expect(screen.queryByRole('dialog', { name: /^Reader/ })).toBeNull());
    expect(window.location.hash).toBe('#/all');
    expect(grid().getAttribute('aria-activedescendant')).toBe('comic-option-0');
    expect(document.activeElement).toBe(grid());
  });

  it('a reload with #/read/<id>/<page> resumes there', async () => {
    window.history.replaceState(null, '', '/#/read/2/5');
    await renderApp();
    expect(within(reader()).getByRole('img', { name: 'Page 5 of 24' })).toBeTruthy();
  });

  it('right to left: → goes back, ← goes on; double page pairs are mirrored', async () => {
    const api = createFakeLibraryApi();
    api.pageLists.set(FIRST, { pages: portraitPages(10, [5]), direction: 'rtl' });
    await renderApp(api);
    await openFirstWithEnter();
    await key('ArrowLeft');
    expect(within(reader()).getByRole('img', { name: 'Page 2 of 10' })).toBeTruthy();
    await key('ArrowRight');
    expect(within(reader()).getByRole('img', { name: 'Page 1 of 10' })).toBeTruthy();
    await key('d');
    // the cover alone
    expect(within(reader()).getAllByRole('img').map((i) => i.getAttribute('alt'))).toEqual(['Page 1 of 10']);
    await key('ArrowLeft');
    // pages 2–3, shown right to left: page 3 on the left
    expect(within(reader()).getAllByRole('img').map((i) => i.getAttribute('alt'))).toEqual(['Page 3 of 10', 'Page 2 of 10']);
    await key('ArrowLeft');
    await key('ArrowLeft');
    // page 5 was left without a partner before the spread; then the spread alone
    expect(within(reader()).getAllByRole('img').map((i) => i.getAttribute('alt'))).toEqual(['Page 6 of 10']);
    expect(screen.getByTestId('reader-position').textContent).toBe('Page 6 of 10');
  });

  it('webtoon: scrolling a 60-page comic never puts more than the bound of images in the DOM', async () => {
    const api = createFakeLibraryApi();
    api.comics[FIRST - 1]!.pageCount = 60;
    await renderApp(api);
    await openFirstWithEnter();
    await key('w');
    const stage = screen.getByTestId('reader-stage');
    expect(stage.classList.contains('is-webtoon')).toBe(true);
    let maxImages = 0;
    const column = stage.firstElementChild as HTMLElement;
    const total = parseFloat(column.style.height);
    expect(total).toBeGreaterThan(60 * 1000);
    for (let top = 0; top <= total; top += 700) {
      stage.scrollTop = top;
      fireEvent.scroll(stage);
      await act(async () => {
        await new Promise((resolve) => requestAnimationFrame(() => resolve(null)));
      });
      maxImages = Math.max(maxImages, stage.querySelectorAll('img').length);
    }
    expect(maxImages).toBeGreaterThan(0);
    expect(maxImages).toBeLessThanOrEqual(WEBTOON_MAX_IMAGES);
    // The last page is reached by scrolling.
    expect(screen.getByTestId('reader-position').textContent).toBe('Page 60 of 60');
  });

  it('at the last page the next issue is offered and N opens it', async () => {
    await renderApp();
    await openFirstWithEnter();
    await key('End');
    const offer = within(reader()).getByRole('region', { name: 'End of this comic' });
    expect(offer.textContent).toContain('Black Science #2');
    await key('n');
    await waitFor(() => expect(window.location.hash).toBe(`#/read/${FIRST_NEXT}/1`));
    expect(within(reader()).getByRole('img', { name: 'Page 1 of 24' })).toBeTruthy();
  });

  it('the details panel offers "Continue from page N" and the grid shows the progress', async () => {
    const api = createFakeLibraryApi();
    api.comics[FIRST - 1]!.lastPage = 11;
    await renderApp(api);
    const cell = within(grid()).getAllByRole('option')[0]!;
    expect(within(cell).getByRole('progressbar', { name: 'Reading progress' }).getAttribute('aria-valuenow')).toBe('12');
    fireEvent.click(cell);
    await settle();
    fireEvent.click(screen.getByRole('button', { name: 'Continue from page 12' }));
    await settle();
    expect(within(reader()).getByRole('img', { name: 'Page 12 of 24' })).toBeTruthy();
    expect(within(reader()).getByRole('status').textContent).toContain('Continued from page 12');
  });

  it('a comic whose file is offline says so, and the library stays usable', async () => {
    const api = createFakeLibraryApi();
    api.pageLists.set(FIRST, new LongboxError('FILE_MISSING', 'The comic file is not there (the library folder is offline).'));
    await renderApp(api);
    await openFirstWithEnter();
    expect(within(reader()).getByRole('alert').textContent).toContain('offline');
    fireEvent.click(within(within(reader()).getByRole('alert')).getByRole('button', { name: 'Back to the library' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: /^Reader/ })).toBeNull());
    expect(within(grid()).getAllByRole('option').length).toBeGreaterThan(0);
  });
});
