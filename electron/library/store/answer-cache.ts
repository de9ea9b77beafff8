// Answers of the reads a UI repeats (a page of comics, a series shelf page, a folder, Home), kept for the
// snapshot they were read from. A read's answer is a function of its arguments and of the snapshot
// (BrowseReader.snapshotVersion: generation, user.db's data_version, the connection's own changes), so
// the same read in the same snapshot answers from memory: no SQLite work and no new garbage in the
// reader thread while a rebuild competes for the cores. The first read of a new snapshot empties it.
// Bounded: MAX_ANSWERS answers of the one current snapshot (a page of 100 comics is ≈ 64 KB, the
// largest page allowed, 500 rows, ≈ 330 KB: ≈ 1 MB typical, ≈ 5 MB at most per reader).
import type { BrowseReader } from './browse-reader.js';

/** Answers kept per reader (one snapshot at a time). */
export const MAX_ANSWERS = 16;
/** `LONGBOX_ANSWER_CACHE=0` turns it off (the bench compares both in one run). */
export const ANSWER_CACHE_ENV = 'LONGBOX_ANSWER_CACHE';

export function answerCacheEnabled(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return env[ANSWER_CACHE_ENV] !== '0';
}

export class AnswerCache {
  readonly #browse: BrowseReader;
  #version = '';
  /** Insertion order = recency (a hit is re-inserted). */
  readonly #answers = new Map<string, unknown>();
  hits = 0;
  misses = 0;

  constructor(browse: BrowseReader) {
    this.#browse = browse;
  }

  get size(): number {
    return this.#answers.size;
  }

  /**
   * The answer of the read named by `key` in the current snapshot: kept, or `read()` in that snapshot.
   * A kept answer is returned as a copy, so a caller that changes it cannot change the next answer.
   */
  answer<T>(key: string, read: () => T): T {
    return this.#browse.inSnapshot(() => {
      const version = this.#browse.snapshotVersion();
      if (version !== this.#version) {
        this.#answers.clear();
        this.#version = version;
      }
      if (this.#answers.has(key)) {
        const kept = this.#answers.get(key) as T;
        this.#answers.delete(key);
        this.#answers.set(key, kept);
        this.hits++;
        return structuredClone(kept);
      }
      this.misses++;
      const value = read();
      if (this.#answers.size >= MAX_ANSWERS) this.#answers.delete(this.#answers.keys().next().value as string);
      this.#answers.set(key, structuredClone(value));
      return value;
    });
  }
}
