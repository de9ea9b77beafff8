// Shared behaviour of the grid and the list: report the visible range to the results store, keyboard
// navigation, click/double-click, scroll to the top on a new query, and multi-select (click selects
// one, Ctrl/Cmd-click toggles, Shift-click or Shift+arrow selects the range in the view's order,
// Ctrl+A all of the view, Escape clears; the model is renderer/browse/multi-select.ts).
import { useCallback, useEffect, useRef, type KeyboardEvent, type MouseEvent, type RefObject } from 'react';
import type { ComicSummary } from '../../shared/types.js';
import { nextIndex } from '../lib/keyboard.js';
import { useResults, useSelection, useStatus, useStores } from '../store/context.js';
import { itemAt } from '../store/results.js';
import { useReaderOpener } from '../reader/reader-context.js';
import { isReadable } from '../reader/ReaderHost.js';
import { isSelected, selectedCount } from '../browse/multi-select.js';

/**
 * What the grid and the list both draw from: the rows loaded so far (by page), how many there are, the
 * keyboard cursor and the multi-selection (`isMulti`: more than one comic selected, so each selected
 * item shows its check mark).
 */
export function useResultsItems() {
  const total = useResults((s) => s.total ?? 0);
  const pages = useResults((s) => s.pages);
  const cursor = useSelection((s) => s.cursor);
  const multi = useSelection((s) => s.multi);
  return { total, pages, cursor, multi, isMulti: selectedCount(multi, total) > 1 };
}

export interface NavigationOptions {
  scrollRef: RefObject<HTMLDivElement | null>;
  columns: number;
  pageRows: number;
  /** First and last item index currently rendered (including overscan). */
  firstIndex: number;
  lastIndex: number;
  scrollToIndex(index: number): void;
  scrollToTop(): void;
}

export function useResultsNavigation(options: NavigationOptions) {
  const { results, selection, api } = useStores();
  const key = useResults((s) => s.key);
  const total = useResults((s) => s.total ?? 0);
  const cursor = useSelection((s) => s.cursor);
  const canOpen = useStatus((s) => s.capabilities.openFile);
  const reader = useReaderOpener();
  const { firstIndex, lastIndex, columns, pageRows } = options;

  useEffect(() => {
    if (lastIndex >= firstIndex) results.getState().setVisibleRange(firstIndex, lastIndex);
  }, [firstIndex, lastIndex, results]);

  // A new query starts at the top; a new generation (same key) keeps the scroll position.
  const lastKey = useRef(key);
  const scrollToTop = options.scrollToTop;
  useEffect(() => {
    if (lastKey.current === key) return;
    lastKey.current = key;
    scrollToTop();
  }, [key, scrollToTop]);

  const scrollToIndex = options.scrollToIndex;
  const idAt = useCallback((index: number) => itemAt(results.getState(), index)?.id, [results]);
  const moveTo = useCallback(
    (index: number, extend = false) => {
      const item = itemAt(results.getState(), index);
      if (extend) selection.getState().rangeTo(index, item ? item.id : null, idAt);
      else selection.getState().select(item ? item.id : null, index);
      scrollToIndex(index);
    },
    [results, selection, scrollToIndex, idAt],
  );
  /** The menu is for the whole selection when the comic is one of several selected. */
  const isPartOfSelection = useCallback(
    (comic: ComicSummary, index: number) => {
      const { multi } = selection.getState();
      return selectedCount(multi, results.getState().total ?? 0) > 1 && isSelected(multi, index, comic.id);
    },
    [selection, results],
  );

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'a') {
        e.preventDefault();
        selection.getState().selectAllRows();
        return;
      }
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) {
        // The keyboard's way to the context menu: for the comic under the cursor, beside it (for the
        // whole selection when that comic is one of several selected).
        const index = selection.getState().cursor;
        const item = index >= 0 ? itemAt(results.getState(), index) : undefined;
        if (!item) return;
        e.preventDefault();
        const el = document.getElementById(`comic-option-${index}`);
        const rect = el?.getBoundingClientRect();
        selection.getState().openMenu({
          comic: item,
          x: rect ? rect.left + Math.min(40, rect.width / 2) : 40,
          y: rect ? rect.top + Math.min(40, rect.height / 2) : 40,
          forSelection: isPartOfSelection(item, index),
        });
        return;
      }
      if (e.key === 'Enter' || e.key === ' ') {
        const id = selection.getState().selectedId;
        if (id === null) return;
        e.preventDefault();
        // Enter reads the comic (a broken one has nothing to read: its details say why); Space shows the details.
        const comic = itemAt(results.getState(), selection.getState().cursor);
        if (e.key === 'Enter' && reader && comic && comic.id === id && isReadable(comic)) reader.open(comic);
        else if (e.key === ' ' && selection.getState().isDetailsOpen) selection.getState().closeDetails();
        else selection.getState().openDetails();
        return;
      }
      if (e.key === 'Escape') {
        // Several selected: Escape clears the selection. One: it closes the details first, then clears.
        const sel = selection.getState();
        const count = selectedCount(sel.multi, results.getState().total ?? 0);
        if (count > 1 || (!sel.isDetailsOpen && sel.selectedId !== null)) {
          e.preventDefault();
          sel.clearAll();
        } else if (sel.isDetailsOpen) {
          e.preventDefault();
          sel.closeDetails();
        }
        return;
      }
      const next = nextIndex(e.key, selection.getState().cursor, { total, columns, pageRows });
      if (next === null) return;
      e.preventDefault();
      moveTo(next, e.shiftKey);
    },
    [selection, results, reader, total, columns, pageRows, moveTo, isPartOfSelection],
  );

  const onItemContextMenu = useCallback(
    (comic: ComicSummary, index: number, e: MouseEvent) => {
      e.preventDefault();
      const forSelection = isPartOfSelection(comic, index);
      // Right-click outside the selection selects that comic alone, as a file manager does.
      if (!forSelection) selection.getState().select(comic.id, index);
      options.scrollRef.current?.focus({ preventScroll: true });
      selection.getState().openMenu({ comic, x: e.clientX, y: e.clientY, forSelection });
    },
    [selection, options.scrollRef, isPartOfSelection],
  );

  const onItemClick = useCallback(
    (comic: ComicSummary, index: number, e?: MouseEvent) => {
      const sel = selection.getState();
      if (e?.shiftKey) sel.rangeTo(index, comic.id, idAt, e.ctrlKey || e.metaKey);
      else if (e && (e.ctrlKey || e.metaKey)) sel.toggleAt(index, comic.id);
      else {
        sel.select(comic.id, index);
        sel.openDetails();
      }
      options.scrollRef.current?.focus({ preventScroll: true });
    },
    [selection, options.scrollRef, idAt],
  );

  const onItemDoubleClick = useCallback(
    (comic: ComicSummary) => {
      if (!isReadable(comic)) return;
      if (reader) reader.open(comic);
      else if (canOpen) void api.openComic(comic.id).catch(() => undefined);
    },
    [api, canOpen, reader],
  );

  const activeId = cursor >= firstIndex && cursor <= lastIndex && cursor < total ? `comic-option-${cursor}` : undefined;
  return { onKeyDown, onItemClick, onItemDoubleClick, onItemContextMenu, activeId };
}
