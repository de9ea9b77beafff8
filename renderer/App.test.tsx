import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CacheStatus } from '../shared/types.js';
import { App } from './App.js';
import { createStores, type Stores } from './store/stores.js';
import { createFakeLibraryApi, makeComic, makeComics, type FakeLibraryApi } from './testing/fake-api.js';
import { flush, memoryStorage, mockLayout } from './testing/setup-dom.js';

let restoreLayout: () => void;
beforeEach(() => {
  restoreLayout = mockLayout();
  // The app starts on Home; most of these tests are about the All comics grid.
  window.history.replaceState(null, '', '/#/all');
});
afterEach(() => {
  cleanup();
  window.history.replaceState(null, '', '/');
  restoreLayout();
  vi.useRealTimers();
  delete document.documentElement.dataset.theme;
});

async function renderApp(api: FakeLibraryApi, options: { debounceMs?: number } = {}): Promise<Stores> {
  const stores = createStores(api, { storage: memoryStorage(), debounceMs: options.debounceMs ?? 200 });
  render(<App stores={stores} />);
  await act(async () => {
    await flush();
  });
  return stores;
}

function cells(): HTMLElement[] {
  return within(screen.getByRole('listbox', { name: 'Comics' })).getAllByRole('option');
}

/** A keydown on the window, as a browser sends it; the event says whether the app prevented it. */
async function keydownOnWindow(init: KeyboardEventInit): Promise<KeyboardEvent> {
  const event = new KeyboardEvent('keydown', { ...init, bubbles: true, cancelable: true });
  await act(async () => {
    window.dispatchEvent(event);
    await flush();
  });
  return event;
}

function rebuilding(api: FakeLibraryApi, done: number, total: number) {
  act(() => {
    api.setStatus({ rebuild_in_progress: true, phase: 'enriching', progress: { done, total, files_per_second: 850, eta_seconds: 12 } });
  });
}

describe('user data notice', () => {
  it('shows what happened to user.db from the status, until dismissed; a newer notice shows again', async () => {
    const api = createFakeLibraryApi();
    await renderApp(api);
    expect(screen.queryByTestId('user-data-notice')).toBeNull();
    const message = 'Your reading data (user.db) was damaged (malformed). It was restored from the backup of 2026-12-01 08:00 UTC.';
    act(() => api.setStatus({ user_data_notice: { message, at: 1 } }));
    expect(screen.getByTestId('user-data-notice').textContent).toContain(message);
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss notice' }));
    expect(screen.queryByTestId('user-data-notice')).toBeNull();
    act(() => api.setStatus({ user_data_notice: { message: 'again', at: 2 } }));
    expect(screen.getByTestId('user-data-notice').textContent).toContain('again');
  });
});

describe('library screen', () => {
  it('renders only the visible rows of a 100,000-item library, with skeletons for rows not loaded', async () => {
    const api = createFakeLibraryApi({ comics: makeComics(100_000) });
    await renderApp(api);
    const options = cells();
    // 1000 px wide, 160 px covers → 5 columns; 600 px high → a handful of rows (+ overscan).
    expect(options.length).toBeGreaterThan(5);
    expect(options.length).toBeLessThan(60);
    expect(screen.getByTestId('result-count').textContent).toBe('100,000 comics');
    expect(api.listCalls.every((q) => q.limit === 100)).toBe(true);
    expect(api.listCalls.length).toBe(1);
  });

  it('shows the rebuild badge on a status with rebuild_in_progress and hides it afterwards, keeping the rows', async () => {
    const api = createFakeLibraryApi();
    await renderApp(api);
    const badge = screen.getByTestId('rebuild-badge');
    expect(badge.getAttribute('aria-live')).toBe('polite');
    expect(within(badge).queryByText('Rebuilding…')).toBeNull();
    const rowsBefore = cells().length;

    rebuilding(api, 120, 250);
    expect(within(badge).getByText('Rebuilding…')).toBeTruthy();
    expect(badge.textContent).toContain('Reading files');
    expect(badge.textContent).toContain('120 / 250');
    expect(badge.textContent).toContain('12 s left');
    expect(cells().length).toBe(rowsBefore);

    act(() => api.setStatus({ rebuild_in_progress: false, phase: 'idle', progress: null }));
    expect(within(badge).queryByText('Rebuilding…')).toBeNull();
    expect(cells().length).toBe(rowsBefore);
  });

  it('F5, Ctrl+R and Cmd+R call refresh instead of reloading the page', async () => {
    const api = createFakeLibraryApi();
    await renderApp(api);
    for (const init of [{ key: 'F5' }, { key: 'r', ctrlKey: true }, { key: 'r', metaKey: true }]) {
      const event = await keydownOnWindow(init);
      expect(event.defaultPrevented).toBe(true);
    }
    expect(api.refreshCalls).toBe(3);
  });

  it('leaves F5 to the desktop app menu when the host has one (one press, one refresh)', async () => {
    const api = createFakeLibraryApi();
    api.capabilities = { ...api.capabilities, appMenu: true };
    await renderApp(api);
    const event = await keydownOnWindow({ key: 'F5' });
    expect(event.defaultPrevented).toBe(false);
    expect(api.refreshCalls).toBe(0);
  });

  it('the Refresh button keeps the rows on screen and shows the badge at once', async () => {
    const api = createFakeLibraryApi();
    let release: () => void = () => undefined;
    api.refresh = () => {
      api.refreshCalls++;
      return new Promise<CacheStatus>((resolve) => (release = () => resolve(api.status)));
    };
    await renderApp(api);
    const rows = cells().length;
    fireEvent.click(screen.getByRole('button', { name: 'Refresh library' }));
    expect(api.refreshCalls).toBe(1);
    expect(within(screen.getByTestId('rebuild-badge')).getByText('Rebuilding…')).toBeTruthy();
    expect(cells().length).toBe(rows);
    await act(async () => {
      release();
      await flush();
    });
    // Over at once, but the badge stays up long enough to be seen (MIN_BADGE_MS), then goes.
    expect(within(screen.getByTestId('rebuild-badge')).getByText('Rebuilding…')).toBeTruthy();
    await waitFor(() => expect(within(screen.getByTestId('rebuild-badge')).queryByText('Rebuilding…')).toBeNull(), { timeout: 3000 });
  });

  it('a Refresh that finds nothing new says so ("Checked just now · no changes"); one that finds changes does not', async () => {
    const api = createFakeLibraryApi({ status: { age_seconds: 400 } });
    api.refresh = async () => {
      api.refreshCalls++;
      // The host checked the folder: the cache is fresh again, same generation.
      api.status = { ...api.status, age_seconds: 0 };
      return api.status;
    };
    await renderApp(api);
    const toast = screen.getByTestId('toast');
    expect(toast.getAttribute('aria-live')).toBe('polite');
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Refresh library' }));
      await flush();
    });
    expect(toast.textContent).toContain('Checked just now · no changes');
    fireEvent.click(within(toast).getByRole('button', { name: 'Dismiss' }));
    expect(toast.textContent).toBe('');

    api.refresh = async () => {
      api.refreshCalls++;
      api.status = { ...api.status, age_seconds: 0, generation: api.status.generation + 1 };
      return api.status;
    };
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Refresh library' }));
      await flush();
    });
    expect(toast.textContent).toBe('');
  });

  it('shows last_error in a banner that can be dismissed until the next error', async () => {
    const api = createFakeLibraryApi();
    await renderApp(api);
    expect(screen.queryByTestId('error-banner')).toBeNull();
    act(() => api.setStatus({ last_error: { message: 'Library folder unavailable: /comics', code: 'ROOT_UNREADABLE', at: 1000 } }));
    const banner = screen.getByTestId('error-banner');
    expect(banner.textContent).toContain('Library folder unavailable: /comics');
    expect(banner.textContent).toContain('Showing the last known library.');
    expect(cells().length).toBeGreaterThan(0);

    fireEvent.click(screen.getByRole('button', { name: 'Dismiss error' }));
    expect(screen.queryByTestId('error-banner')).toBeNull();
    act(() => api.setStatus({ age_seconds: 10 }));
    expect(screen.queryByTestId('error-banner')).toBeNull();
    act(() => api.setStatus({ last_error: { message: 'Still unavailable', code: 'ROOT_UNREADABLE', at: 2000 } }));
    expect(screen.getByTestId('error-banner').textContent).toContain('Still unavailable');
  });

  it('debounces the search box and shows "N of M"', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const api = createFakeLibraryApi({ comics: makeComics(400) });
    await renderApp(api);
    const before = api.listCalls.length;
    const box = screen.getByRole('searchbox', { name: 'Search comics' });
    fireEvent.change(box, { target: { value: 'mon' } });
    fireEvent.change(box, { target: { value: 'monstress' } });
    expect(api.listCalls.length).toBe(before);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(250);
      await flush();
    });
    expect(api.listCalls.slice(before).map((q) => q.q)).toEqual(['monstress']);
    expect(screen.getByTestId('result-count').textContent).toBe('50 of 400');
  });

  it('"/" focuses the search box', async () => {
    await renderApp(createFakeLibraryApi());
    fireEvent.keyDown(document.body, { key: '/' });
    expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: 'Search comics' }));
  });

  it('the Problems view lists the files with errors, with kind and message', async () => {
    const comics = makeComics(200);
    comics[3] = makeComic(3, { errorKind: 'corrupt', errorMessage: 'bad central directory', fileName: 'broken.cbz' });
    comics[150] = makeComic(150, { errorKind: 'encrypted', errorMessage: 'password protected', fileName: 'locked.cbz' });
    const api = createFakeLibraryApi({ comics, status: { error_count: 2 } });
    await renderApp(api);
    fireEvent.click(screen.getByRole('tab', { name: /Problems/ }));
    await act(async () => {
      await flush();
    });
    expect(api.listCalls.at(-1)?.filter).toEqual({ hasError: true });
    const list = screen.getByRole('listbox', { name: 'Files with problems' });
    const rows = within(list).getAllByRole('option');
    expect(rows).toHaveLength(2);
    const broken = rows.find((r) => r.textContent?.includes('broken.cbz'))!;
    const locked = rows.find((r) => r.textContent?.includes('locked.cbz'))!;
    // A label and a plain sentence per kind; no slugs, and the engine's message is not in the row.
    expect(broken.textContent).toContain('Damaged file');
    expect(broken.textContent).toContain('The file is damaged inside');
    expect(broken.textContent).not.toContain('corrupt');
    expect(broken.textContent).not.toContain('bad central directory');
    expect(locked.textContent).toContain('Password protected');
    expect(screen.getByTestId('result-count').textContent).toBe('2 of 200');

    // The details: the technical detail one click away, the actions, no Read switch.
    fireEvent.click(broken);
    await act(async () => {
      await flush();
    });
    const details = screen.getByTestId('details');
    expect(within(details).queryByRole('switch', { name: 'Read' })).toBeNull();
    const technical = within(details).getByText('Technical detail').closest('details')!;
    expect(technical.open).toBe(false);
    expect(technical.textContent).toContain('bad central directory');
    for (const name of ['Show in folder', 'Copy path', 'Retry this file']) expect(within(details).getByRole('button', { name })).toBeTruthy();
    expect(within(details).queryByRole('button', { name: 'Open with default app' })).toBeNull();
    await act(async () => {
      fireEvent.click(within(details).getByRole('button', { name: 'Retry this file' }));
      await flush();
    });
    expect(api.retried).toEqual([4]);
    expect(screen.getByTestId('toast').textContent).toContain('Reading broken.cbz again');
  });

  it('right-click on a comic opens a menu with the details panel\'s actions; keys move and run; Escape closes', async () => {
    const api = createFakeLibraryApi();
    await renderApp(api);
    fireEvent.contextMenu(cells()[1], { clientX: 200, clientY: 150 });
    const menu = screen.getByRole('menu');
    const items = within(menu).getAllByRole('menuitem').map((item) => item.textContent);
    expect(items).toEqual(['Show detailsEnter', 'Open with default app', 'Show in folder', 'Copy path', 'Mark as read', 'Add to favourites']);
    // The menu was opened for that comic, which is now selected.
    expect(screen.getByRole('listbox', { name: 'Comics' }).querySelector('[aria-selected="true"]')?.getAttribute('data-comic-id')).toBe(
      cells()[1].getAttribute('data-comic-id'),
    );
    fireEvent.keyDown(menu, { key: 'ArrowUp' });
    expect(menu.getAttribute('aria-activedescendant')).toBe('menu-item-toggle-favourite');
    fireEvent.keyDown(menu, { key: 'ArrowUp' });
    expect(menu.getAttribute('aria-activedescendant')).toBe('menu-item-toggle-read');
    await act(async () => {
      fireEvent.keyDown(menu, { key: 'Enter' });
      await flush();
    });
    expect(screen.queryByRole('menu')).toBeNull();
    expect(api.userStateCalls).toEqual([{ id: Number(cells()[1].getAttribute('data-comic-id')), patch: { read: true } }]);

    // Keyboard: Shift+F10 on the focused grid opens it for the cursor; Escape closes it.
    const grid = screen.getByRole('listbox', { name: 'Comics' });
    grid.focus();
    fireEvent.keyDown(grid, { key: 'F10', shiftKey: true });
    expect(screen.getByRole('menu')).toBeTruthy();
    fireEvent.keyDown(screen.getByRole('menu'), { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();
  });

  it('duplicates: a marker with a tooltip, and "Show the other copies" lists their folders', async () => {
    const comics = makeComics(20);
    comics[2] = { ...comics[2]!, fingerprint: 'same', duplicateCount: 2 };
    comics[9] = { ...comics[9]!, fingerprint: 'same', duplicateCount: 2, path: 'Elsewhere/Copy.cbz', folder: 'Elsewhere', fileName: 'Copy.cbz' };
    const api = createFakeLibraryApi({ comics });
    await renderApp(api);
    const cell = cells().find((c) => c.getAttribute('data-comic-id') === '3')!;
    const mark = cell.querySelector('.cover-flag.is-dup')!;
    expect(mark.getAttribute('title')).toContain('One of 2 identical copies');
    fireEvent.contextMenu(cell);
    await act(async () => {
      fireEvent.click(within(screen.getByRole('menu')).getByRole('menuitem', { name: 'Show the other copies' }));
      await flush();
    });
    const details = screen.getByTestId('details');
    const heading = within(details).getByRole('heading', { name: /Other copies \(1\)/ });
    expect(document.activeElement).toBe(heading);
    expect(within(details).getByRole('button', { name: /Elsewhere/ }).textContent).toContain('Copy.cbz');
  });

  it('list view: column headers sort (again: the other order), show the order, and the choice is kept', async () => {
    const api = createFakeLibraryApi();
    const storage = memoryStorage();
    const stores = createStores(api, { storage, debounceMs: 0 });
    render(<App stores={stores} />);
    await act(async () => {
      await flush();
    });
    fireEvent.click(screen.getByRole('button', { name: 'List view' }));
    await act(async () => {
      await flush();
    });
    const header = screen.getByRole('group', { name: 'Columns' });
    const size = within(header).getByRole('button', { name: /^Size/ });
    await act(async () => {
      fireEvent.click(size);
      await flush();
    });
    expect(api.listCalls.at(-1)).toMatchObject({ sort: 'size', order: 'asc' });
    expect(size.getAttribute('aria-label')).toBe('Size, sorted ascending: sort descending');
    await act(async () => {
      fireEvent.click(size);
      await flush();
    });
    expect(api.listCalls.at(-1)).toMatchObject({ sort: 'size', order: 'desc' });
    expect(size.getAttribute('aria-label')).toBe('Size, sorted descending: sort ascending');
    // The header select agrees.
    expect((screen.getByLabelText('Sort by') as HTMLSelectElement).value).toBe('size');
    // Kept with the view settings: a new start sorts the same way.
    cleanup();
    const again = createStores(createFakeLibraryApi(), { storage, debounceMs: 0 });
    expect(again.query.getState()).toMatchObject({ sort: 'size', order: 'desc' });
  });

  it('sorted by Title, the grid leads with the title (the bold line is what the order follows)', async () => {
    const api = createFakeLibraryApi();
    const stores = await renderApp(api);
    const first = cells()[0];
    expect(first.querySelector('.cell-title')?.textContent).toBe('Black Science');
    await act(async () => {
      stores.query.getState().setSort('title');
      await flush();
    });
    const titles = cells().slice(0, 4).map((c) => c.querySelector('.cell-title')?.textContent ?? '');
    expect(titles.every((t) => t.startsWith('Chapter '))).toBe(true);
    expect([...titles].sort((a, b) => a.localeCompare(b))).toEqual(titles);
  });

  it('? opens the keyboard-shortcut help; Escape closes it', async () => {
    const api = createFakeLibraryApi();
    await renderApp(api);
    fireEvent.keyDown(window, { key: '?' });
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(dialog.textContent).toContain('Refresh the library');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Close' }));
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('keyboard: arrows move the selection, Space opens the details, Escape closes them', async () => {
    const api = createFakeLibraryApi();
    await renderApp(api);
    const grid = screen.getByRole('listbox', { name: 'Comics' });
    grid.focus();
    fireEvent.keyDown(grid, { key: 'ArrowRight' });
    fireEvent.keyDown(grid, { key: 'ArrowRight' });
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    // 5 columns: index 0 → 1 → 6
    const selected = within(grid).getAllByRole('option', { selected: true });
    expect(selected).toHaveLength(1);
    expect(selected[0].getAttribute('aria-posinset')).toBe('7');
    expect(grid.getAttribute('aria-activedescendant')).toBe('comic-option-6');
    fireEvent.keyDown(grid, { key: ' ' });
    await act(async () => {
      await flush();
    });
    const details = screen.getByRole('complementary', { name: 'Comic details' });
    // The details heading is the comic's name; the option's name starts with its caption (Black Science · #7 …).
    const heading = within(details).getByRole('heading', { level: 2 }).textContent ?? '';
    expect(heading).toBe('Black Science #7');
    expect(selected[0].getAttribute('aria-label')).toBe('Black Science #7 · Chapter 7, unread');
    expect(within(details).getAllByText('ComicInfo').length).toBeGreaterThan(0);
    fireEvent.keyDown(grid, { key: 'Escape' });
    expect(screen.queryByRole('complementary', { name: 'Comic details' })).toBeNull();
    fireEvent.keyDown(grid, { key: 'End' });
    // The grid scrolls the last row into view and renders it.
    await waitFor(() => expect(grid.getAttribute('aria-activedescendant')).toBe('comic-option-249'));
    expect(within(grid).getByRole('option', { selected: true }).getAttribute('aria-posinset')).toBe('250');
  });

  it('the read toggle in the details calls setUserState and updates the row', async () => {
    const api = createFakeLibraryApi();
    await renderApp(api);
    const first = cells()[0];
    const id = Number(first.dataset.comicId);
    fireEvent.click(first);
    await act(async () => {
      await flush();
    });
    fireEvent.click(screen.getByRole('switch', { name: 'Read' }));
    await act(async () => {
      await flush();
    });
    expect(api.userStateCalls).toEqual([{ id, patch: { read: true } }]);
    expect(cells()[0].querySelector('.unread-dot')).toBeNull();
    expect((screen.getByRole('switch', { name: 'Read' }) as HTMLInputElement).checked).toBe(true);
  });

  it('hides open/reveal where the host cannot do them', async () => {
    const api = createFakeLibraryApi();
    api.capabilities = { chooseFolder: false, openFile: false, revealFile: false };
    await renderApp(api);
    fireEvent.click(cells()[0]);
    await act(async () => {
      await flush();
    });
    expect(screen.queryByRole('button', { name: /Open with default app/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Show in folder/ })).toBeNull();
    // Copying the path works everywhere.
    expect(screen.getByRole('button', { name: 'Copy path' })).toBeTruthy();
  });

  it('the footer shows counts and an age that ticks locally', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const api = createFakeLibraryApi({ status: { age_seconds: 58, error_count: 3 } });
    await renderApp(api);
    const footer = screen.getByTestId('statusbar');
    expect(footer.textContent).toContain('250 files');
    expect(footer.textContent).toContain('3 errors');
    expect(screen.getByTestId('age').textContent).toMatch(/updated 5\d s ago/);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(3000);
    });
    expect(screen.getByTestId('age').textContent).toBe('updated 1 min ago');
  });

  it('applies the theme override to <html>', async () => {
    await renderApp(createFakeLibraryApi());
    fireEvent.change(screen.getByLabelText('Theme'), { target: { value: 'dark' } });
    expect(document.documentElement.dataset.theme).toBe('dark');
    fireEvent.change(screen.getByLabelText('Theme'), { target: { value: 'system' } });
    expect(document.documentElement.dataset.theme).toBeUndefined();
  });
});

describe('cold start and welcome', () => {
  it('shows a progress screen instead of an empty grid, then the rows when the first generation lands', async () => {
    const api = createFakeLibraryApi({
      status: { is_populated: false, rebuild_in_progress: true, phase: 'enriching', file_count: 0, generation: 0, progress: { done: 1500, total: 20000, files_per_second: 7400, eta_seconds: 3 } },
    });
    api.hold = true;
    await renderApp(api);
    const screenEl = screen.getByTestId('cold-start');
    expect(screenEl.textContent).toContain('1,500 / 20,000');
    expect(screenEl.textContent).toContain('7,400 files/s');
    expect(screenEl.textContent).toContain('3 s');
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('1500');
    expect(screen.queryByRole('listbox')).toBeNull();

    act(() => api.setStatus({ progress: { done: 9000, total: 20000, files_per_second: 7400, eta_seconds: 2 } }));
    expect(screen.getByTestId('cold-start-files').textContent).toBe('9,000 / 20,000');

    api.hold = false;
    await act(async () => {
      api.setStatus({ is_populated: true, rebuild_in_progress: false, phase: 'idle', progress: null, generation: 1, file_count: 250 });
      api.emit({ type: 'library-changed', generation: 1 });
      await flush();
    });
    expect(screen.queryByTestId('cold-start')).toBeNull();
    expect(cells().length).toBeGreaterThan(0);
  });

  it('shows the welcome screen when no library is set', async () => {
    const api = createFakeLibraryApi({ library: null });
    await renderApp(api);
    expect(screen.getByTestId('welcome')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Open sample library' }));
    await act(async () => {
      await flush();
    });
    expect(screen.queryByTestId('welcome')).toBeNull();
    expect(cells().length).toBeGreaterThan(0);
  });

  it('hides "Choose folder…" where the host cannot show a dialog', async () => {
    const api = createFakeLibraryApi({ library: null });
    api.capabilities = { chooseFolder: false, openFile: false, revealFile: false };
    await renderApp(api);
    expect(screen.queryByRole('button', { name: /Choose folder/ })).toBeNull();
  });
});
