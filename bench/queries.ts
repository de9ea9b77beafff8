// The read workload: four queries (first page, a page near the end, a common and a rare search term),
// timed idle and in a reader loop while the same service rebuilds. Shared by the in-process and the
// HTTP measurements, which differ only in how one query is sent.
import type { ComicQuery } from '../shared/types.js';
import { QUERY_KINDS, type LatencyByQuery, type QueryKind } from './report.js';
import { summarize } from './stats.js';
import { yieldToEventLoop } from './proc.js';

export const PAGE_SIZE = 100;

export interface SearchTerms {
  common: string;
  rare: string;
}

/** Words of the file names (the FTS index also covers them): the most frequent and a rare one. */
export function pickSearchTerms(paths: readonly string[]): SearchTerms {
  const counts = new Map<string, number>();
  for (const path of paths) {
    if (path.startsWith('Broken/')) continue;
    const name = path.slice(path.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '');
    const words = new Set((name.toLowerCase().match(/\p{L}+/gu) ?? []).filter((w) => w.length >= 4));
    for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const entries = [...counts.entries()].sort((a, b) => (a[1] !== b[1] ? a[1] - b[1] : a[0] < b[0] ? -1 : 1));
  if (entries.length === 0) return { common: 'comic', rare: 'zzzz' };
  return { rare: entries[0]![0], common: entries[entries.length - 1]![0] };
}

export function queryFor(kind: QueryKind, total: number, terms: SearchTerms): ComicQuery {
  const base: ComicQuery = { offset: 0, limit: PAGE_SIZE, sort: 'series', order: 'asc' };
  switch (kind) {
    case 'page_first':
      return base;
    case 'page_deep':
      return { ...base, offset: Math.max(0, total - PAGE_SIZE) };
    case 'search_common':
      return { ...base, q: terms.common };
    case 'search_rare':
      return { ...base, q: terms.rare };
  }
}

export interface QueryOutcome {
  rows: number;
  total: number;
  generation: number;
  stale: boolean;
}

/** Sends one query and resolves when the whole answer is in (rows parsed). */
export type Reader = (query: ComicQuery) => Promise<QueryOutcome>;

export interface LoopBudget {
  /** Per query kind. */
  maxIterations: number;
  /** Per query kind, ms. */
  maxMs: number;
}

async function timed(reader: Reader, query: ComicQuery): Promise<{ ms: number; outcome: QueryOutcome }> {
  const started = performance.now();
  const outcome = await reader(query);
  return { ms: performance.now() - started, outcome };
}

function emptySamples(): Record<QueryKind, number[]> {
  return { page_first: [], page_deep: [], search_common: [], search_rare: [] };
}

function summarizeAll(samples: Record<QueryKind, number[]>): LatencyByQuery {
  return Object.fromEntries(QUERY_KINDS.map((k) => [k, summarize(samples[k])])) as LatencyByQuery;
}

/**
 * Idle: each kind in turn, a few warm-up calls, then until the iteration or time budget is spent.
 * With a `control` reader (a bare server answering the same bodies), each sample of `reader` is
 * followed by one of `control`, so both see the same moments of the machine: the difference is what
 * the host itself adds (same-run floor, bench/README.md).
 */
export async function measureIdle(
  reader: Reader,
  total: number,
  terms: SearchTerms,
  budget: LoopBudget,
  control?: Reader,
): Promise<{ latency: LatencyByQuery; control: LatencyByQuery | null; totals: Record<QueryKind, number> }> {
  const samples = emptySamples();
  const controlSamples = emptySamples();
  const totals = { page_first: 0, page_deep: 0, search_common: 0, search_rare: 0 };
  for (const kind of QUERY_KINDS) {
    const query = queryFor(kind, total, terms);
    for (let i = 0; i < 3; i++) {
      totals[kind] = (await reader(query)).total;
      if (control) await control(query);
    }
    const started = performance.now();
    while (samples[kind].length < budget.maxIterations && performance.now() - started < budget.maxMs) {
      samples[kind].push((await timed(reader, query)).ms);
      await yieldToEventLoop();
      if (control) {
        controlSamples[kind].push((await timed(control, query)).ms);
        await yieldToEventLoop();
      }
    }
  }
  return { latency: summarizeAll(samples), control: control ? summarizeAll(controlSamples) : null, totals };
}

/**
 * While `rebuilding()` is true: the four kinds round-robin, one at a time, yielding to the event loop
 * between queries (an in-process reader would otherwise starve the service's own callbacks).
 */
export async function measureDuringRebuild(
  reader: Reader,
  total: number,
  terms: SearchTerms,
  rebuilding: () => boolean,
): Promise<{ latency: LatencyByQuery; staleSeen: boolean; generationsSeen: number[] }> {
  const samples = emptySamples();
  const queries = QUERY_KINDS.map((kind) => ({ kind, query: queryFor(kind, total, terms) }));
  let staleSeen = false;
  const generations: number[] = [];
  for (let i = 0; rebuilding(); i++) {
    const { kind, query } = queries[i % queries.length]!;
    const { ms, outcome } = await timed(reader, query);
    samples[kind].push(ms);
    if (outcome.stale) staleSeen = true;
    if (generations[generations.length - 1] !== outcome.generation) generations.push(outcome.generation);
    await yieldToEventLoop();
  }
  return { latency: summarizeAll(samples), staleSeen, generationsSeen: generations };
}
