// View settings, persisted to localStorage: layout, cover size, theme override.
import { createStore } from 'zustand/vanilla';
import { createJSONStorage, persist, type StateStorage } from 'zustand/middleware';
import type { SortKey, SortOrder } from '../../shared/types.js';

export type Layout = 'grid' | 'list';
export type ThemeSetting = 'system' | 'light' | 'dark';

export const COVER_SIZE_MIN = 110;
export const COVER_SIZE_MAX = 260;
export const VIEW_STORAGE_KEY = 'longbox.view';

export interface ViewState {
  layout: Layout;
  coverSize: number;
  theme: ThemeSetting;
  /** The last sort the user chose (header select or a list column), restored at start. */
  sort: SortKey;
  order: SortOrder;
  setSortPreference(sort: SortKey, order: SortOrder): void;
  /** The keyboard-shortcut help (`?`) is open. Not persisted. */
  isShortcutHelpOpen: boolean;
  setShortcutHelpOpen(open: boolean): void;
  setLayout(layout: Layout): void;
  setCoverSize(size: number): void;
  setTheme(theme: ThemeSetting): void;
}

const memoryStorage = (): StateStorage => {
  const map = new Map<string, string>();
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
};

export function createViewStore(storage?: StateStorage) {
  const backing = storage ?? (typeof localStorage === 'undefined' ? memoryStorage() : localStorage);
  return createStore<ViewState>()(
    persist(
      (set) => ({
        layout: 'grid',
        coverSize: 160,
        theme: 'system',
        sort: 'series',
        order: 'asc',
        setSortPreference: (sort, order) => set({ sort, order }),
        isShortcutHelpOpen: false,
        setShortcutHelpOpen: (open) => set({ isShortcutHelpOpen: open }),
        setLayout: (layout) => set({ layout }),
        setCoverSize: (size) => set({ coverSize: Math.round(Math.min(COVER_SIZE_MAX, Math.max(COVER_SIZE_MIN, size))) }),
        setTheme: (theme) => set({ theme }),
      }),
      {
        name: VIEW_STORAGE_KEY,
        version: 1,
        storage: createJSONStorage(() => backing),
        partialize: (s) => ({ layout: s.layout, coverSize: s.coverSize, theme: s.theme, sort: s.sort, order: s.order }),
      },
    ),
  );
}
export type ViewStore = ReturnType<typeof createViewStore>;
