// The selected comic (by id, so it survives refetches and new generations) and the keyboard cursor.
import { createStore } from 'zustand/vanilla';
import type { ComicSummary } from '../../shared/types.js';

/** An open context menu for one comic, at a window position. */
export interface ComicMenu {
  comic: ComicSummary;
  x: number;
  y: number;
}

export interface SelectionState {
  selectedId: number | null;
  /** Index of the selected row in the current results (a hint: the id is the truth). */
  cursor: number;
  isDetailsOpen: boolean;
  /** A part of the details panel to bring into view once it shows ("Show the other copies"). */
  focusTarget: 'duplicates' | null;
  menu: ComicMenu | null;
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
    isDetailsOpen: false,
    focusTarget: null,
    menu: null,
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
      set({ selectedId: id, cursor: index ?? get().cursor, isDetailsOpen: id === null ? false : get().isDetailsOpen });
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
