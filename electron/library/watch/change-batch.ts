// The watcher's outgoing side: the changed paths collected since the last notification, delivered
// after a quiet time (trailing debounce, bounded by a maximum wait), held while files are still being
// written or a new folder is still being listed, and only after the root was confirmed to be the same
// folder (a vanished root first looks like its contents vanishing).
import { toLogFormat, type Logger } from '../logger.js';

export interface ChangeBatchOptions {
  /** Quiet time after the last path before delivery. */
  debounceMs: number;
  /** Delivery never waits longer than this after the first pending path (unless held). */
  maxWaitMs: number;
  /** The longest a batch is held for busy files (a file that keeps growing for a very long time). */
  maxHoldMs: number;
  /** True while files are being written or folders listed: the batch waits for them. */
  isBusy(): boolean;
  /** Resolves true when the root is still the folder being watched. */
  isSameRoot(): Promise<boolean>;
  /** The root changed under a pending batch: the watcher replaces the paths with [''] and reschedules. */
  onRootChanged(): void;
  deliver(paths: string[]): void;
  log: Logger;
}

export class ChangeBatch {
  readonly #o: ChangeBatchOptions;
  readonly #pending = new Set<string>();
  #firstPendingAt: number | null = null;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(options: ChangeBatchOptions) {
    this.#o = options;
  }

  get size(): number {
    return this.#pending.size;
  }

  add(rel: string): void {
    if (this.#closed) return;
    this.#pending.add(rel);
    this.#firstPendingAt ??= Date.now();
    this.schedule();
  }

  /** Forgets the pending paths (the root changed: only [''] will be meaningful). */
  clear(): void {
    this.#pending.clear();
  }

  /** Something that held the batch has settled: deliver when there is anything to deliver. */
  wake(): void {
    if (this.#pending.size > 0) this.schedule();
  }

  /** Trailing debounce, but never later than maxWaitMs after the first pending path. */
  schedule(): void {
    if (this.#timer) clearTimeout(this.#timer);
    const waited = this.#firstPendingAt === null ? 0 : Date.now() - this.#firstPendingAt;
    const delay = Math.max(0, Math.min(this.#o.debounceMs, this.#o.maxWaitMs - waited));
    this.#timer = setTimeout(() => this.#flush(), delay);
    this.#timer.unref();
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #flush(): void {
    this.#timer = null;
    if (this.#closed || this.#pending.size === 0) return;
    const held = this.#firstPendingAt === null ? 0 : Date.now() - this.#firstPendingAt;
    if (this.#o.isBusy() && held < this.#o.maxHoldMs) {
      // Files are still being written (e.g. a folder being copied in) or a new folder is still being
      // listed: hold everything until they are done, so the rebuild never reads a half-written file.
      // The watcher wakes the batch when they settle; this timer only bounds the hold.
      this.#timer = setTimeout(() => this.#flush(), this.#o.maxHoldMs - held);
      this.#timer.unref();
      return;
    }
    this.#o
      .isSameRoot()
      .then((same) => {
        if (this.#closed || this.#pending.size === 0) return;
        if (!same) {
          this.#o.onRootChanged();
          return;
        }
        const paths = [...this.#pending].sort();
        this.#pending.clear();
        this.#firstPendingAt = null;
        try {
          this.#o.deliver(paths);
        } catch (err) {
          this.#o.log.error(`watcher: onChange failed: ${toLogFormat(err)}`);
        }
      })
      .catch((err: unknown) => this.#o.log.error(`watcher: flush failed: ${toLogFormat(err)}`));
  }
}
