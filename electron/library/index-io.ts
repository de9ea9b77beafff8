// How the index pass reads files: blocking system calls while the disk answers from the page cache
// (an open + fstat + two reads + close cost ≈ 110 µs less CPU per file than through the thread pool
// and FileHandle promises: 331 vs 442 µs per file, bench/README.md), the thread pool once it does not.
// A file whose blocking read path takes SLOW_FILE_MS or more was read from the disk; after
// SLOW_FILES_TO_SWITCH of them the rest of the rebuild reads through the thread pool, where many
// reads can be in flight at once (a cold HDD, a network share).

/** A read path this slow went to the disk (a warm one takes well under 1 ms). */
export const SLOW_FILE_MS = 15;
export const SLOW_FILES_TO_SWITCH = 8;
/** `LONGBOX_SYNC_IO=0`: always the thread pool (measuring, or a disk where blocking reads hurt). */
export const SYNC_IO_ENV = 'LONGBOX_SYNC_IO';

export class IndexIo {
  #sync: boolean;
  #slow = 0;

  constructor(env: Readonly<Record<string, string | undefined>> = process.env) {
    this.#sync = env[SYNC_IO_ENV] !== '0';
  }

  /** Whether the next file is read with blocking calls. */
  get sync(): boolean {
    return this.#sync;
  }

  /** Records how long one file's blocking read path took. */
  record(ms: number): void {
    if (this.#sync && ms >= SLOW_FILE_MS && ++this.#slow >= SLOW_FILES_TO_SWITCH) this.#sync = false;
  }
}
