// The selected comic (by id, so it survives refetches and new generations), the keyboard cursor, and
// the multi-selection of the grid and list (renderer/browse/multi-select.ts). `selectedId` is the comic
// in focus (the details panel shows it); `multi` is everything selected, which a plain click or an
// arrow key makes just that one comic again.
import { createStore } from 'zustand/vanilla';
import type { ComicSummary } from '../../shared/types.js';
import {
  EMPTY_SELECTION,
  clearSelection,
  resolvePending,
  selectAll,
  selectOne,
  selectRange,
  toggle,
  type IdAt,
  type MultiSelection,
} from '../browse/multi-select.js';

/** An open context menu for one comic, or (`forSelection`) for everything selected, at a window position. */
export interface ComicMenu {
  comic: ComicSummary;
  x: number;
  y: number;
  forSelection?: boolean;
}

export interface SelectionState {
  selectedId: number | null;
  /** Index of the selected row in the current results (a hint: the id is the truth). */
  cursor: number;
  /** The cursor moved onto a row not loaded yet: that row becomes the selection when it arrives. */
  isCursorPending: boolean;
  isDetailsOpen: boolean;
  /** A part of the details panel to bring into view once it shows ("Show the other copies"). */
  focusTarget: 'duplicates' | null;
  menu: ComicMenu | null;
  /** Everything selected in the grid or list (by id; Ctrl+A is "all of the view"). */
  multi: MultiSelection;
  /** Ctrl/Cmd-click: the comic in or out of the selection; it becomes the one in focus. */
  toggleAt(index: number, id: number): void;
  /** Shift-click (Ctrl+Shift: added): the rows from the anchor to here, loaded or not. */
  rangeTo(index: number, id: number | null, idAt: IdAt, additive?: boolean): void;
  /** Ctrl+A: every row of the current view. */
  selectAllRows(): void;
  /** Escape: nothing selected (and the details close). */
  clearAll(): void;
  /** A new result set: a selection by position means nothing there; only the comic in focus stays. */
  narrowToFocus(): void;
  /** Rows that arrived: pending Shift-range rows become ids. */
  resolveLoaded(idAt: IdAt): void;
  openMenu(menu: ComicMenu): void;
  closeMenu(): void;
  requestFocus(target: 'duplicates' | null): void;
  select(id: number | null, index?: number): void;
  /** Moves the cursor; the row there becomes the selection once it is loaded. */
  moveCursor(index: number): void;
  openDetails(): void;
  closeDetails(): void;
}

export function createSelectionStore() {
  return createStore<SelectionState>()((set, get) => ({
    selectedId: null,
    cursor: -1,
    isCursorPending: false,
    isDetailsOpen: false,
    focusTarget: null,
    menu: null,
    multi: EMPTY_SELECTION,
    toggleAt(index, id) {
      const multi = toggle(get().multi, index, id);
      set({ multi, selectedId: id, cursor: index });
    },
    rangeTo(index, id, idAt, additive = false) {
      const multi = selectRange(get().multi, index, idAt, { additive });
      set({ multi, cursor: index, ...(id !== null ? { selectedId: id } : {}) });
    },
    selectAllRows() {
      set({ multi: selectAll(get().multi) });
    },
    clearAll() {
      set({ multi: clearSelection(), selectedId: null, isDetailsOpen: false, isCursorPending: false });
    },
    narrowToFocus() {
      const { selectedId, multi } = get();
      const isFocusOnly = !multi.all && multi.pending.length === 0 && multi.anchor === -1 && multi.ids.size === (selectedId === null ? 0 : 1) && (selectedId === null || multi.ids.has(selectedId));
      if (isFocusOnly) return;
      set({ multi: selectedId === null ? EMPTY_SELECTION : selectOne(-1, selectedId) });
    },
    resolveLoaded(idAt) {
      const multi = resolvePending(get().multi, idAt);
      if (multi !== get().multi) set({ multi });
    },
    openMenu(menu) {
      set({ menu });
    },
    closeMenu() {
      if (get().menu) set({ menu: null });
    },
    requestFocus(target) {
      set({ focusTarget: target });
    },
    select(id, index) {
      set({
        selectedId: id,
        cursor: index ?? get().cursor,
        isCursorPending: id === null && index !== undefined && index >= 0,
        isDetailsOpen: id === null ? false : get().isDetailsOpen,
        multi: id === null ? EMPTY_SELECTION : selectOne(index ?? -1, id),
      });
    },
    moveCursor(index) {
      set({ cursor: index });
    },
    openDetails() {
      if (get().selectedId !== null) set({ isDetailsOpen: true });
    },
    closeDetails() {
      set({ isDetailsOpen: false });
    },
  }));
}
export type SelectionStore = ReturnType<typeof createSelectionStore>;
