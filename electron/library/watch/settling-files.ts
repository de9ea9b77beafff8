// Comic files the watcher saw change and that may still be being written (a copy in progress): each
// is polled until its size and mtime stayed the same for `stableMs`, then reported; one that vanishes
// is reported at once. While any file settles, the watcher holds its batch.
import type { Stats } from 'node:fs';
import { toLogFormat, type Logger } from '../logger.js';

/** Files stat()ed at the same time by the stability poll. */
const POLL_BATCH = 64;

interface Tracker {
  size: number;
  mtimeMs: number;
  changedAt: number;
}

export interface SettlingFilesOptions {
  stableMs: number;
  /** lstat of a path relative to the root; null when it is gone or unreadable. */
  statFile(rel: string): Promise<Stats | null>;
  /** The file is written (stable) or gone: rescan it. */
  report(rel: string): void;
  /** The last settling file was reported. */
  onIdle(): void;
  log: Logger;
}

export class SettlingFiles {
  readonly #o: SettlingFilesOptions;
  readonly #trackers = new Map<string, Tracker>();
  #timer: NodeJS.Timeout | null = null;
  #polling = false;
  #closed = false;

  constructor(options: SettlingFilesOptions) {
    this.#o = options;
  }

  get size(): number {
    return this.#trackers.size;
  }

  /** Another event for a file already settling: its quiet time starts again. False when not tracked. */
  touch(rel: string): boolean {
    const tracker = this.#trackers.get(rel);
    if (!tracker) return false;
    tracker.changedAt = Date.now(); // still being written; the poll decides when it is done
    return true;
  }

  track(rel: string, stats: Stats): void {
    if (this.#closed) return;
    this.#trackers.set(rel, { size: stats.size, mtimeMs: stats.mtimeMs, changedAt: Date.now() });
    if (this.#timer === null) {
      this.#timer = setInterval(() => this.#poll(), Math.max(10, Math.round(this.#o.stableMs / 4)));
      this.#timer.unref();
    }
  }

  delete(rel: string): void {
    this.#trackers.delete(rel);
  }

  /** Drops every file below the folder `rel` (the folder went away or was replaced). */
  forgetUnder(rel: string): void {
    const prefix = `${rel}/`;
    for (const file of this.#trackers.keys()) if (file.startsWith(prefix)) this.#trackers.delete(file);
  }

  clear(): void {
    this.#trackers.clear();
    this.#stopTimer();
  }

  close(): void {
    this.#closed = true;
    this.clear();
  }

  #stopTimer(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  #poll(): void {
    if (this.#polling || this.#closed) return;
    this.#polling = true;
    this.#pollOnce()
      .catch((err: unknown) => this.#o.log.error(`watcher: poll failed: ${toLogFormat(err)}`))
      .finally(() => {
        this.#polling = false;
        if (this.#trackers.size === 0) this.#stopTimer();
      });
  }

  async #pollOnce(): Promise<void> {
    const paths = [...this.#trackers.keys()];
    for (let i = 0; i < paths.length && !this.#closed; i += POLL_BATCH) {
      await Promise.all(
        paths.slice(i, i + POLL_BATCH).map(async (rel) => {
          const stats = await this.#o.statFile(rel);
          const tracker = this.#trackers.get(rel);
          if (!tracker || this.#closed) return;
          const now = Date.now();
          if (stats === null) {
            this.#trackers.delete(rel);
            this.#o.report(rel);
          } else if (stats.size !== tracker.size || stats.mtimeMs !== tracker.mtimeMs) {
            tracker.size = stats.size;
            tracker.mtimeMs = stats.mtimeMs;
            tracker.changedAt = now;
          } else if (now - tracker.changedAt >= this.#o.stableMs) {
            this.#trackers.delete(rel);
            this.#o.report(rel);
          }
        }),
      );
    }
    if (this.#trackers.size === 0) this.#o.onIdle();
  }
}
