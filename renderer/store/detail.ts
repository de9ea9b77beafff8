// The details of the selected comic (getComic), reloaded when it changes or a new generation lands.
import { createStore } from 'zustand/vanilla';
import type { LibraryApi } from '../../shared/api.js';
import type { ComicDetail, UserState } from '../../shared/types.js';
import { messageOf } from '../../shared/errors.js';

export interface DetailState {
  id: number | null;
  detail: ComicDetail | null;
  isLoading: boolean;
  error: string | null;
  load(id: number | null): Promise<void>;
  reload(): Promise<void>;
  setUserState(patch: Partial<UserState>): Promise<UserState | null>;
}

export function createDetailStore(api: LibraryApi) {
  let request = 0;
  return createStore<DetailState>()((set, get) => ({
    id: null,
    detail: null,
    isLoading: false,
    error: null,
    async load(id) {
      const ticket = ++request;
      if (id === null) {
        set({ id: null, detail: null, isLoading: false, error: null });
        return;
      }
      const keep = get().detail?.id === id ? get().detail : null;
      set({ id, detail: keep, isLoading: true, error: null });
      try {
        const detail = await api.getComic(id);
        if (ticket === request) set({ detail, isLoading: false });
      } catch (err) {
        if (ticket === request) set({ detail: null, isLoading: false, error: messageOf(err) });
      }
    },
    async reload() {
      const id = get().id;
      if (id !== null) await get().load(id);
    },
    async setUserState(patch) {
      const s = get();
      if (!s.detail) return null;
      const id = s.detail.id;
      const state = await api.setUserState(id, patch);
      const now = get().detail;
      if (now && now.id === id) set({ detail: { ...now, read: state.read, favourite: state.favourite, lastPage: state.lastPage, userState: state } });
      return state;
    },
  }));
}
export type DetailStore = ReturnType<typeof createDetailStore>;
