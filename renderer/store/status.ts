// The cache's state (CacheStatus from events), the library and the host's capabilities.
import { createStore } from 'zustand/vanilla';
import type { LibraryApi } from '../../shared/api.js';
import type { CacheStatus, HostCapabilities, LibraryChange, LibraryInfo } from '../../shared/types.js';
import { messageOf } from '../../shared/errors.js';

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
  /**
   * The badge stays up until this time (epoch ms) even when the rebuild is already over, so a Refresh
   * that takes 14 ms is still seen to run. 0 when not held.
   */
  badgeHeldUntil: number;
  /** A short confirmation (a toast): "Checked just now · no changes", "Path copied". */
  notice: Notice | null;
  applyStatus(status: CacheStatus): void;
  loadStatus(): Promise<void>;
  loadLibrary(): Promise<void>;
  refresh(): Promise<void>;
  dismissError(): void;
  reportActionError(err: unknown): void;
  /** Shows a notice; `sticky` ones stay until dismissed (what the user must not miss). */
  notify(text: string, options?: { sticky?: boolean }): void;
  dismissNotice(): void;
}

export interface Notice {
  text: string;
  /** Increments per notice, so the same text twice is still announced twice. */
  id: number;
}

/** How long the rebuild badge stays visible at least after Refresh is pressed. */
export const MIN_BADGE_MS = 700;
/** How long a notice stays up. */
export const NOTICE_MS = 3500;

/** Timers behind the store (badge hold, notice expiry); injectable for tests. */
export interface StatusTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export function createStatusStore(api: LibraryApi, now: () => number = Date.now) {
  const timers: StatusTimers = {
    now,
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  let holdTimer: unknown = null;
  let noticeTimer: unknown = null;
  let noticeId = 0;
  /** `last_change.at` already told to the user. */
  let changeSeenAt = 0;
  /**
   * The Refresh being followed: set when pressed, ends with the first idle status after it was
   * accepted or after a running status was seen (a rebuild fast enough to be over before the answer).
   */
  let pending: { generation: number; startedAt: number; accepted: boolean; sawRun: boolean } | null = null;
  /**
   * A status answered by a request (getStatus, refresh) is older than any event that arrived while the
   * request was in flight: it is applied only when the store's status is still the one it had when the
   * request left (a cold start could otherwise stay on its progress screen after the first generation
   * has landed). Every event is a new object, so "still the same object" means "no event came".
   */
  const applyAnswer = (before: CacheStatus | null, answer: CacheStatus): boolean => {
    if (store.getState().status !== before) return false;
    store.getState().applyStatus(answer);
    return true;
  };
  const store = createStore<StatusState>()((set, get) => ({
    status: null,
    receivedAt: now(),
    library: undefined,
    capabilities: api.capabilities,
    bootError: null,
    dismissedErrorAt: null,
    isRefreshPending: false,
    actionError: null,
    badgeHeldUntil: 0,
    notice: null,
    applyStatus(status) {
      const patch: Partial<StatusState> = { status, receivedAt: now(), bootError: null };
      if (status.rebuild_in_progress) patch.isRefreshPending = false;
      set(patch);
      if (pending && status.rebuild_in_progress) pending.sawRun = true;
      else if (pending && (pending.accepted || pending.sawRun)) finishRefresh(status);
      const change = status.last_change;
      if (change && change.at > changeSeenAt) {
        changeSeenAt = change.at;
        const text = describeChange(change);
        if (text) get().notify(text, { sticky: change.goneFolders.length > 0 });
      }
    },
    async loadStatus() {
      try {
        const before = get().status;
        applyAnswer(before, await api.getStatus());
      } catch (err) {
        set({ bootError: messageOf(err) });
      }
    },
    async loadLibrary() {
      try {
        const library = await api.getLibrary();
        set({ library, capabilities: { ...api.capabilities }, bootError: null });
      } catch (err) {
        set({ bootError: messageOf(err) });
      }
    },
    async refresh() {
      const startedAt = now();
      const before = get().status;
      const run = { generation: before?.generation ?? 0, startedAt, accepted: false, sawRun: false };
      pending = run;
      holdBadge(startedAt + MIN_BADGE_MS);
      set({ isRefreshPending: true, actionError: null });
      try {
        // Accepted, with the status the host accepted it with: it reports the rebuild (or it is over).
        const accepted = await api.refresh();
        if (pending !== run) return; // over already (its events came first), or pressed again
        run.accepted = true;
        if (!applyAnswer(before, accepted)) {
          // Events came while the call was in flight and they are newer; if they say idle, so is the run.
          const current = get().status;
          if (current && !current.rebuild_in_progress && !accepted.rebuild_in_progress) finishRefresh(current);
        }
      } catch (err) {
        pending = null;
        get().reportActionError(err);
      } finally {
        set({ isRefreshPending: false });
      }
    },
    notify(text, options = {}) {
      noticeId++;
      set({ notice: { text, id: noticeId } });
      if (noticeTimer !== null) timers.clearTimeout(noticeTimer);
      noticeTimer = null;
      if (options.sticky) return;
      noticeTimer = timers.setTimeout(() => {
        noticeTimer = null;
        set({ notice: null });
      }, NOTICE_MS);
    },
    dismissNotice() {
      if (noticeTimer !== null) timers.clearTimeout(noticeTimer);
      noticeTimer = null;
      set({ notice: null });
    },
    dismissError() {
      const s = get();
      set({ dismissedErrorAt: s.status?.last_error?.at ?? null, actionError: null });
    },
    reportActionError(err) {
      set({ actionError: messageOf(err) });
    },
  }));

  function holdBadge(until: number): void {
    if (holdTimer !== null) timers.clearTimeout(holdTimer);
    store.setState({ badgeHeldUntil: until });
    holdTimer = timers.setTimeout(() => {
      holdTimer = null;
      store.setState({ badgeHeldUntil: 0 });
    }, Math.max(0, until - now()));
  }

  /** The rebuild a Refresh asked for is over: say so when it found nothing new. */
  function finishRefresh(status: CacheStatus): void {
    const run = pending;
    pending = null;
    if (!run) return;
    const elapsedSeconds = (now() - run.startedAt) / 1000;
    const failed = status.last_error !== null && status.last_error.at >= run.startedAt;
    // age_seconds restarts when a rebuild validates the cache: this status is the check we asked for.
    const isFreshCheck = status.age_seconds !== null && status.age_seconds <= elapsedSeconds + 2;
    if (!failed && status.generation === run.generation && isFreshCheck) store.getState().notify('Checked just now · no changes');
  }

  return store;
}
export type StatusStore = ReturnType<typeof createStatusStore>;

/** The words for a LibraryChange: folders gone (how many comics, and that they are kept), comics back. */
export function describeChange(change: LibraryChange): string | null {
  const parts: string[] = [];
  const gone = change.goneFolders;
  const count = gone.reduce((sum, f) => sum + f.count, 0);
  const comics = `${count.toLocaleString('en-US')} ${count === 1 ? 'comic' : 'comics'}`;
  if (gone.length === 1) {
    parts.push(`The folder “${gone[0]!.folder}” is no longer in the library: its ${comics} left the list.`);
  } else if (gone.length > 1) {
    parts.push(`${gone.length} folders are no longer in the library: ${comics} left the list.`);
  }
  if (gone.length > 0) parts.push(`Their reading state and date added are kept, and they come back as they were if the files return.`);
  if (change.returned > 0) {
    parts.push(`${change.returned.toLocaleString('en-US')} ${change.returned === 1 ? 'comic is' : 'comics are'} back, with their reading state and date added.`);
  }
  return parts.length > 0 ? parts.join(' ') : null;
}

/**
 * The rebuild badge shows while the host rebuilds, from the moment Refresh is pressed, and for at
 * least MIN_BADGE_MS after that press.
 */
export function isRebuilding(state: Pick<StatusState, 'status' | 'isRefreshPending' | 'badgeHeldUntil'>): boolean {
  return Boolean(state.status?.rebuild_in_progress) || state.isRefreshPending || state.badgeHeldUntil > 0;
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
