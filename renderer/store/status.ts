// The cache's state (CacheStatus from events), the library and the host's capabilities.
import { createStore } from 'zustand/vanilla';
import type { LibraryApi } from '../../shared/api.js';
import type { CacheStatus, HostCapabilities, LibraryInfo } from '../../shared/types.js';

export interface StatusState {
  status: CacheStatus | null;
  /** Date.now() when `status` arrived: age_seconds ticks on locally from here. */
  receivedAt: number;
  /** undefined while loading; null when no library is set (welcome screen). */
  library: LibraryInfo | null | undefined;
  capabilities: HostCapabilities;
  /** The host could not be reached at start. */
  bootError: string | null;
  /** `last_error.at` of the error the user dismissed; a newer error shows again. */
  dismissedErrorAt: number | null;
  /** Refresh was pressed and the host has not reported the rebuild yet: show the badge at once. */
  isRefreshPending: boolean;
  /** An action failed (refresh, open, set state…): shown in the banner. */
  actionError: string | null;
  applyStatus(status: CacheStatus): void;
  loadStatus(): Promise<void>;
  loadLibrary(): Promise<void>;
  refresh(): Promise<void>;
  dismissError(): void;
  reportActionError(err: unknown): void;
}

export function createStatusStore(api: LibraryApi, now: () => number = Date.now) {
  // Every applied status gets a number. A status fetched over a request is older than any event
  // that arrived while the request was in flight: it must not replace it (a cold start could
  // otherwise stay on its progress screen after the first generation has landed).
  let applied = 0;
  const fetchStatus = async (apply: (status: CacheStatus) => void): Promise<void> => {
    const before = applied;
    const status = await api.getStatus();
    if (applied === before) apply(status);
  };
  return createStore<StatusState>()((set, get) => ({
    status: null,
    receivedAt: now(),
    library: undefined,
    capabilities: api.capabilities,
    bootError: null,
    dismissedErrorAt: null,
    isRefreshPending: false,
    actionError: null,
    applyStatus(status) {
      applied++;
      const patch: Partial<StatusState> = { status, receivedAt: now(), bootError: null };
      if (status.rebuild_in_progress) patch.isRefreshPending = false;
      set(patch);
    },
    async loadStatus() {
      try {
        await fetchStatus(get().applyStatus);
      } catch (err) {
        set({ bootError: err instanceof Error ? err.message : String(err) });
      }
    },
    async loadLibrary() {
      try {
        const library = await api.getLibrary();
        set({ library, capabilities: { ...api.capabilities }, bootError: null });
      } catch (err) {
        set({ bootError: err instanceof Error ? err.message : String(err) });
      }
    },
    async refresh() {
      set({ isRefreshPending: true, actionError: null });
      try {
        await api.refresh();
        // Accepted: the host now reports the rebuild (or it is already over).
        await fetchStatus(get().applyStatus);
      } catch (err) {
        get().reportActionError(err);
      } finally {
        set({ isRefreshPending: false });
      }
    },
    dismissError() {
      const s = get();
      set({ dismissedErrorAt: s.status?.last_error?.at ?? null, actionError: null });
    },
    reportActionError(err) {
      set({ actionError: err instanceof Error ? err.message : String(err) });
    },
  }));
}
export type StatusStore = ReturnType<typeof createStatusStore>;

/** The rebuild badge shows while the host rebuilds, and from the moment Refresh is pressed. */
export function isRebuilding(state: Pick<StatusState, 'status' | 'isRefreshPending'>): boolean {
  return Boolean(state.status?.rebuild_in_progress) || state.isRefreshPending;
}

/** No generation yet and one being built: the progress screen replaces the grid. */
export function isColdStart(state: Pick<StatusState, 'status'>): boolean {
  const s = state.status;
  return s !== null && !s.is_populated && (s.rebuild_in_progress || s.phase !== 'idle');
}

export function visibleError(state: Pick<StatusState, 'status' | 'dismissedErrorAt' | 'actionError'>): string | null {
  if (state.actionError) return state.actionError;
  const error = state.status?.last_error;
  if (!error || error.at === state.dismissedErrorAt) return null;
  return error.message;
}
