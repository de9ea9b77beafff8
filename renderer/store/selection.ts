// The selected comic (by id, so it survives refetches and new generations) and the keyboard cursor.
import { createStore } from 'zustand/vanilla';

export interface SelectionState {
  selectedId: number | null;
  /** Index of the selected row in the current results (a hint: the id is the truth). */
  cursor: number;
  isDetailsOpen: boolean;
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
