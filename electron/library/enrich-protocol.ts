// Messages between the rebuild job and its enrichment threads (enrich-pool.ts ↔ enrich-thread-entry.ts).
import type { EnrichedFile } from './enrich.js';
import type { WalkedFile } from './scan/walk.js';

export interface EnrichThreadData {
  root: string;
  /**
   * Test hook only (the pool's fault tests): a file whose path is named here hangs its thread in a
   * busy loop, or makes the thread throw outside any promise (a crash). Never set in the product.
   */
  faults?: { hang?: string[]; crash?: string[] };
}

/** A file to enrich (`prior`: its previous row, offered for reuse, enrich.ts), or a ping (a thread that does not answer is stuck). */
export type EnrichRequest = { type: 'task'; id: number; file: WalkedFile; prior?: EnrichedFile } | { type: 'ping' };

/** `ready` once the thread has loaded its modules; then one `row` per task. */
export type EnrichReply = { type: 'ready' } | { type: 'pong' } | { type: 'row'; id: number; row: EnrichedFile };
