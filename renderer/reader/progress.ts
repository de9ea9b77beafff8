// Saves the page being read as UserState.lastPage, debounced: a page turn never waits on a save, and
// a flip through twenty pages is one write. Reaching the last page marks the comic read. One save is
// in flight at a time; a newer page replaces a queued one. flush() (on close) saves what is pending.
import type { UserState } from '../../shared/types.js';

export const PROGRESS_DEBOUNCE_MS = 1000;

export type SaveUserState = (id: number, patch: Partial<UserState>) => Promise<UserState>;

export interface ProgressOptions {
  debounceMs?: number;
  /** Told about every save that landed (the grid updates its row). */
  onSaved?: (id: number, state: UserState) => void;
  /** A save that failed (the page stays readable; the next page tries again). */
  onError?: (err: unknown) => void;
}

interface Pending {
  id: number;
  patch: Partial<UserState>;
}

export class ProgressSaver {
  readonly #save: SaveUserState;
  readonly #options: ProgressOptions;
  #pending: Pending | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #inflight: Promise<void> | null = null;
  /** What was last written per comic, so re-showing the same page writes nothing. */
  readonly #written = new Map<number, string>();

  constructor(save: SaveUserState, options: ProgressOptions = {}) {
    this.#save = save;
    this.#options = options;
  }

  /** Page `page` (0-based, the last page of the view) of `pageCount` is on screen. */
  pageShown(id: number, page: number, pageCount: number, alreadyRead: boolean): void {
    if (pageCount <= 0) return;
    const isLast = page >= pageCount - 1;
    const patch: Partial<UserState> = isLast && !alreadyRead ? { lastPage: page, read: true } : { lastPage: page };
    this.#pending = { id, patch };
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.flush();
    }, this.#options.debounceMs ?? PROGRESS_DEBOUNCE_MS);
  }

  /** Saves the pending page now (closing the reader, leaving the page). */
  async flush(): Promise<void> {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    while (this.#inflight) await this.#inflight;
    const next = this.#pending;
    this.#pending = null;
    if (!next) return;
    const signature = JSON.stringify(next.patch);
    if (this.#written.get(next.id) === signature) return;
    this.#inflight = this.#save(next.id, next.patch).then(
      (state) => {
        this.#written.set(next.id, signature);
        this.#options.onSaved?.(next.id, state);
      },
      (err: unknown) => this.#options.onError?.(err),
    );
    try {
      await this.#inflight;
    } finally {
      this.#inflight = null;
    }
    if (this.#pending) await this.flush();
  }

  /** Forgets what was written (another comic, or "start over" reset the state elsewhere). */
  forget(id: number): void {
    this.#written.delete(id);
  }

  dispose(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
