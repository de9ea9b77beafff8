// How the index pass reads files: blocking system calls while the disk answers from the page cache
// (an open + fstat + two reads + close cost ≈ 110 µs less CPU per file than through the thread pool
// and FileHandle promises: 331 vs 442 µs per file, bench/README.md), the thread pool once it does not.
// A file whose blocking calls (open, fstat, reads, close; timed around each call, so the other files'
// work in between does not count) take SLOW_FILE_MS or more waited for the disk, or lost the CPU
// inside a call (rare: a call takes microseconds when the page cache answers).
// When at least half of a window of WINDOW_FILES files were slow, the disk is slow (a cold HDD, a
// network share) and the rest of the rebuild reads through the thread pool, many reads in flight.
import type { BlockingIoMeter } from './archive/open-file.js';

/** Blocking calls this slow went to the disk (warm ones take well under 1 ms per file). */
export const SLOW_FILE_MS = 5;
export const WINDOW_FILES = 32;
export const SLOW_FILES_TO_SWITCH = WINDOW_FILES / 2;
/** `LONGBOX_SYNC_IO=0`: always the thread pool (measuring, or a disk where blocking reads hurt). */
export const SYNC_IO_ENV = 'LONGBOX_SYNC_IO';

export class IndexIo implements BlockingIoMeter {
  #sync: boolean;
  #slow = 0;
  #files = 0;

  constructor(env: Readonly<Record<string, string | undefined>> = process.env) {
    this.#sync = env[SYNC_IO_ENV] !== '0';
  }

  /** Whether the next file is read with blocking calls. */
  get sync(): boolean {
    return this.#sync;
  }

  /** Records how long one file's blocking calls took (BlockingIoMeter). */
  record(ms: number): void {
    if (!this.#sync) return;
    if (ms >= SLOW_FILE_MS && ++this.#slow >= SLOW_FILES_TO_SWITCH) this.#sync = false;
    if (++this.#files >= WINDOW_FILES) {
      this.#files = 0;
      this.#slow = 0;
    }
  }
}
