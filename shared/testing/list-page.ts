// One page of a list as every LibraryApi list answers it (comics, series), for the test doubles that
// answer from an array (renderer/testing/fake-api.ts, the HTTP host tests' stub service): the rows from
// `offset`, the total, and the library's generation and whether a rebuild is running.
import type { CacheStatus } from '../types.js';

export interface ListPage<T> {
  items: T[];
  total: number;
  offset: number;
  generation: number;
  stale: boolean;
}

export function pageOf<T>(all: readonly T[], query: { offset: number; limit: number }, status: Pick<CacheStatus, 'generation' | 'rebuild_in_progress'>): ListPage<T> {
  return {
    items: all.slice(query.offset, query.offset + query.limit),
    total: all.length,
    offset: query.offset,
    generation: status.generation,
    stale: status.rebuild_in_progress,
  };
}
