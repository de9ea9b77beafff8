// Multi-select in the rendered grid and list (jsdom), the selection's context menu and the favourite
// star; the model itself is tested alone in multi-select.test.ts.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../App.js';
import { createStores, type Stores } from '../store/stores.js';
import { createFakeLibraryApi, makeComics, type FakeLibraryApi } from '../testing/fake-api.js';
import { flush, memoryStorage, mockLayout } from '../testing/setup-dom.js';

let restoreLayout: () => void;
beforeEach(() => {
  restoreLayout = mockLayout();
});
afterEach(() => {
  cleanup();
  restoreLayout();
  window.history.replaceState(null, '', '/');
});

async function renderApp(api: FakeLibraryApi, hash = '#/all'): Promise<Stores> {
  window.history.replaceState(null, '', `/${hash}`);
  const stores = createStores(api, { storage: memoryStorage(), debounceMs: 0 });
  render(<App stores={stores} />);
  await settle();
  return stores;
}

async function settle(): Promise<void> {
  await act(async () => {
    await flush(4);
  });
}

const grid = () => screen.getByRole('listbox', { name: 'Comics' });
const cell = (index: number) => document.getElementById(`comic-option-${index}`)!;
const selectedIndexes = () =>
  within(grid())
    .queryAllByRole('option', { selected: true })
    .map((el) => Number(el.getAttribute('aria-posinset')) - 1);

describe('start view', () => {
  it('with no hash the app opens on Home', async () => {
    const api = createFakeLibraryApi();
    await renderApp(api, '');
    expect(screen.getByTestId('home')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Home' }).getAttribute('aria-current')).toBe('page');
    expect(screen.queryByRole('listbox', { name: 'Comics' })).toBeNull();
  });
});

describe('multi-select in the grid', () => {
  it('click, Ctrl-click, Shift-click, Ctrl+A and Escape; the count says how many', async () => {
    const api = createFakeLibraryApi();
    const stores = await renderApp(api);
    fireEvent.click(cell(2));
    expect(selectedIndexes()).toEqual([2]);
    expect(screen.queryByTestId('selection-count')).toBeNull();
    fireEvent.click(cell(6), { ctrlKey: true });
    fireEvent.click(cell(4), { metaKey: true });
    expect(selectedIndexes()).toEqual([2, 4, 6]);
    expect(screen.getByTestId('selection-count').textContent).toMatch(/^3 selected/);
    expect(cell(4).classList.contains('is-checked')).toBe(true);
    fireEvent.click(cell(6), { ctrlKey: true });
    expect(selectedIndexes()).toEqual([2, 4]);
    // Shift-click: from the anchor (the last Ctrl-click, 6, even one that took a comic out) to 9.
    fireEvent.click(cell(9), { shiftKey: true });
    expect(selectedIndexes()).toEqual([6, 7, 8, 9]);
    // Again from the same anchor, the other way: the range is replaced.
    fireEvent.click(cell(3), { shiftKey: true });
    expect(selectedIndexes()).toEqual([3, 4, 5, 6]);
    // Ctrl+A: every row of the view, 250, though only some are rendered.
    fireEvent.keyDown(grid(), { key: 'a', ctrlKey: true });
    expect(screen.getByTestId('selection-count').textContent).toMatch(/^250 selected/);
    expect(stores.selection.getState().multi.all).toBe(true);
    fireEvent.keyDown(grid(), { key: 'Escape' });
    expect(selectedIndexes()).toEqual([]);
    expect(screen.queryByTestId('selection-count')).toBeNull();
    // A plain click after all that: one again.
    fireEvent.click(cell(1));
    expect(selectedIndexes()).toEqual([1]);
  });

  it('Shift-click across rows not loaded yet: the count includes them, Mark read sends the ids of exactly those rows', async () => {
    const api = createFakeLibraryApi({ comics: makeComics(1_000) });
    const stores = await renderApp(api);
    fireEvent.click(cell(1));
    // Scroll to the end (the virtualizer renders the last rows; rows 100–899 are never loaded).
    const space = grid().firstElementChild as HTMLElement;
    grid().scrollTop = parseFloat(space.style.height) - 600;
    fireEvent.scroll(grid());
    await waitFor(() => expect(document.getElementById('comic-option-999')).not.toBeNull());
    await settle();
    expect(Object.keys(stores.results.getState().pages).map(Number)).not.toContain(500);
    fireEvent.click(cell(990), { shiftKey: true });
    expect(screen.getByTestId('selection-count').textContent).toMatch(/^990 selected/);
    fireEvent.contextMenu(cell(985), { clientX: 300, clientY: 200 });
    const menu = screen.getByRole('menu', { name: 'Actions for 990 selected comics' });
    expect(within(menu).getAllByRole('menuitem').map((i) => i.textContent)).toEqual([
      'Mark as read',
      'Mark as unread',
      'Add to favourites',
      'Remove from favourites',
      'Clear selectionEsc',
    ]);
    await act(async () => {
      fireEvent.click(within(menu).getByRole('menuitem', { name: 'Mark as read' }));
      await flush(10);
    });
    const ids = api.readStateCalls.flatMap((r) => ('ids' in r ? r.ids : []));
    const inOrder = [...api.comics].sort((a, b) => (a.series ?? '').localeCompare(b.series ?? '') || Number(a.number) - Number(b.number) || a.id - b.id);
    // Rows 1–990 of the view's order, each once (loaded or fetched for the action).
    const byId = (a: number, b: number) => a - b;
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort(byId)).toEqual(inOrder.slice(1, 991).map((c) => c.id).sort(byId));
    expect(api.readStateCalls.every((r) => 'read' in r && r.read)).toBe(true);
    await waitFor(() => expect(screen.getByText('990 comics marked read')).toBeTruthy());
    // The rows on screen were fetched again: they are read now.
    await waitFor(() => expect(cell(985).getAttribute('aria-label')).not.toMatch(/unread/));
  });

  it('Ctrl+A then Mark unread on unfiltered All comics is one request for the whole library (no ids)', async () => {
    const api = createFakeLibraryApi();
    await renderApp(api);
    fireEvent.click(cell(0));
    fireEvent.keyDown(grid(), { key: 'a', ctrlKey: true });
    fireEvent.keyDown(grid(), { key: 'F10', shiftKey: true });
    await act(async () => {
      fireEvent.click(within(screen.getByRole('menu')).getByRole('menuitem', { name: 'Mark as unread' }));
      await flush(6);
    });
    expect(api.readStateCalls).toEqual([{ folder: '', read: false }]);
  });

  it('the favourite star in the details and the menu; the mark on the cover; the Favourites view', async () => {
    const api = createFakeLibraryApi();
    await renderApp(api);
    fireEvent.click(cell(3));
    await settle();
    const star = await screen.findByTestId('favourite-toggle');
    expect(star.getAttribute('aria-pressed')).toBe('false');
    await act(async () => {
      fireEvent.click(star);
      await flush();
    });
    expect(api.userStateCalls.at(-1)).toEqual({ id: Number(cell(3).getAttribute('data-comic-id')), patch: { favourite: true } });
    expect(screen.getByTestId('favourite-toggle').getAttribute('aria-pressed')).toBe('true');
    expect(within(cell(3)).getByTestId('favourite-mark')).toBeTruthy();
    expect(cell(3).getAttribute('aria-label')).toMatch(/favourite$/);
    // The menu offers the way back.
    fireEvent.contextMenu(cell(3), { clientX: 100, clientY: 100 });
    expect(within(screen.getByRole('menu')).getByRole('menuitem', { name: 'Remove from favourites' })).toBeTruthy();
    fireEvent.keyDown(screen.getByRole('menu'), { key: 'Escape' });
    // Favourites in the sidebar: that one comic.
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Favourites' }));
      await flush(4);
    });
    expect(window.location.hash).toBe('#/favourites');
    await waitFor(() => expect(within(grid()).getAllByRole('option')).toHaveLength(1));
  });
});
