// Messages between the LibraryService's read pool and its reader threads (read-pool.ts ↔ read-thread-entry.ts).
import type { SerializedError } from '../../shared/errors.js';
import type { ReadName } from './store/read-methods.js';

export interface ReadThreadData {
  /** library.db, opened read-only (WAL: the thread reads the live generation beside the writer). */
  dbFile: string;
  /** user.db, attached read-only so the rows carry the user's state. */
  userDbFile: string;
  nativeBinding?: string;
  /**
   * Test hook only (the pool's fault tests): a thread exits (as a crash would end it) when asked for
   * one of these reads. Never set in the product.
   */
  faults?: { exitOn?: ReadName[] };
}

/** One read of the table (store/read-methods.ts) with its arguments. */
export interface ReadRequest {
  id: number;
  name: ReadName;
  args: unknown[];
}

/** `ready` once the thread has its connection; then one answer per request. */
export type ReadReply =
  | { type: 'ready' }
  | { type: 'failed'; error: SerializedError }
  | { type: 'answer'; id: number; value: unknown }
  | { type: 'error'; id: number; error: SerializedError };
