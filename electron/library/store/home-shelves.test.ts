// Home's shelves against a plain reading of the same tables, on a generated library with random reading
// (single marks, whole series at once, pages, unread, favourites, ties in time) and new generations in
// between: BrowseReader.home() walks indexes and stops early, and a snapshot already seen answers from
// memory (answer-cache.ts); none of that may change a row or its place. The user state is written as
// the product writes it (a UserStore on its own connection), read through user.db attached to a
// read-only connection.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openUserStore, type UserStore } from '../user/user-store.js';
import type { ComicIdentity } from '../user/comic-state.js';
import { openTempLibraryDb, publishGeneration, removeTempLibraryDb } from '../testing/library-db.js';
import { testRow } from '../testing/store-rows.js';
import { HOME_SHELF_SIZE, ON_DECK_SERIES, seriesReadRecentlySql, type HomeRows } from './browse-reader.js';
import type { EnrichedRow } from './comic-row.js';
import { openDatabase, type Db } from './open-database.js';
import { openReadSide, runRead, type ReadSide } from './read-methods.js';
import { USER_SCHEMA } from './user-state-access.js';

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 70 series of 1–8 issues, duplicates (one fingerprint, two files), broken files, shared added times. */
function generateRows(rand: () => number, generation: number): EnrichedRow[] {
  const rows: EnrichedRow[] = [];
  let id = 1;
  for (let s = 0; s < 70; s++) {
    const issues = 1 + Math.floor(rand() * 8);
    for (let n = 1; n <= issues; n++, id++) {
      // Later generations move a few issues to another series and drop some.
      if (generation > 1 && rand() < 0.05) continue;
      const series = generation > 1 && rand() < 0.05 ? `Series ${(s + 1) % 70}` : `Series ${s}`;
      const duplicate = id > 1 && rand() < 0.06;
      rows.push(
        testRow(id, {
          series,
          number: String(n),
          number_sort: n,
          fingerprint: duplicate ? `fp${id - 1}` : `fp${id}`,
          error_kind: rand() < 0.04 ? 'corrupt' : null,
          added_at: 1000 + Math.floor(rand() * 50),
        }),
      );
    }
  }
  return rows;
}

interface PlainShelves {
  continue: number[];
  on_deck: number[];
  recent: number[];
}

/**
 * The shelves read plainly: every comic and every state row into memory, then the rules of
 * docs/architecture.md ("GET /api/home") applied in order. Ties follow the indexes the queries walk:
 * read marks by (last_read_at, fingerprint) descending (comic_state is WITHOUT ROWID), the copies of a fingerprint by id.
 */
function plainShelves(db: Db): PlainShelves {
  const comics = db.prepare('SELECT id, fingerprint, series_key, rank_series, rank_added, error_kind FROM comics ORDER BY id').all() as Array<{
    id: number;
    fingerprint: string;
    series_key: string | null;
    rank_series: number;
    rank_added: number;
    error_kind: string | null;
  }>;
  const marks = db.prepare(`SELECT fingerprint, read, last_page, last_read_at FROM ${USER_SCHEMA}.comic_state`).all() as Array<{
    fingerprint: string;
    read: number;
    last_page: number | null;
    last_read_at: number | null;
  }>;
  const state = new Map(marks.map((m) => [m.fingerprint, m]));
  const isRead = (fingerprint: string) => state.get(fingerprint)?.read === 1;
  const byTimeDesc = (a: (typeof marks)[number], b: (typeof marks)[number]) => (b.last_read_at ?? -Infinity) - (a.last_read_at ?? -Infinity);
  const fingerprintDesc = (a: (typeof marks)[number], b: (typeof marks)[number]) => (a.fingerprint < b.fingerprint ? 1 : a.fingerprint > b.fingerprint ? -1 : 0);

  const copies = new Map<string, typeof comics>();
  const issuesOf = new Map<string, typeof comics>();
  for (const c of comics) {
    copies.set(c.fingerprint, [...(copies.get(c.fingerprint) ?? []), c]);
    if (c.series_key !== null) issuesOf.set(c.series_key, [...(issuesOf.get(c.series_key) ?? []), c]);
  }

  const continueIds: number[] = [];
  const inProgress = new Set<string | null>();
  const continueMarks = marks.filter((m) => m.read === 0 && m.last_page !== null).sort((a, b) => byTimeDesc(a, b) || fingerprintDesc(a, b));
  for (const mark of continueMarks) {
    const first = copies.get(mark.fingerprint)?.find((c) => c.error_kind === null);
    if (!first || continueIds.length >= HOME_SHELF_SIZE) continue;
    continueIds.push(first.id);
    inProgress.add(first.series_key);
  }

  const seriesOrder = new Set<string>();
  const readMarks = marks.filter((m) => m.read === 1 && m.last_read_at !== null).sort((a, b) => byTimeDesc(a, b) || fingerprintDesc(a, b));
  for (const mark of readMarks) {
    for (const c of copies.get(mark.fingerprint) ?? []) {
      if (c.series_key !== null && seriesOrder.size < ON_DECK_SERIES) seriesOrder.add(c.series_key);
    }
  }
  const onDeck: number[] = [];
  for (const key of seriesOrder) {
    if (onDeck.length >= HOME_SHELF_SIZE) break;
    if (inProgress.has(key)) continue;
    const issues = [...issuesOf.get(key)!].sort((a, b) => a.rank_series - b.rank_series);
    const lastRead = Math.max(...issues.filter((c) => isRead(c.fingerprint)).map((c) => c.rank_series));
    const next = issues.find((c) => c.rank_series > lastRead && !isRead(c.fingerprint) && c.error_kind === null);
    if (next) onDeck.push(next.id);
  }

  const recent = comics
    .filter((c) => c.error_kind === null)
    .sort((a, b) => b.rank_added - a.rank_added)
    .slice(0, HOME_SHELF_SIZE)
    .map((c) => c.id);
  return { continue: continueIds, on_deck: onDeck, recent };
}

let dir: string;
let writer: Db;
let readDb: Db | null;
let store: UserStore;
let now: number;

beforeEach(async () => {
  ({ dir, db: writer } = openTempLibraryDb('lb-home-'));
  readDb = null;
  now = 10_000;
  store = await openUserStore({ dir, backupTimer: false, now: () => now });
});
afterEach(async () => {
  readDb?.close();
  await store.close();
  removeTempLibraryDb({ dir, db: writer });
});

/** The reads as the service makes them: through runRead, so the answers kept per snapshot are in play. */
function openReader(): { home(): HomeRows } {
  readDb = openDatabase(join(dir, 'library.db'), { readonly: true });
  const side: ReadSide = openReadSide(readDb, store.file, { answerCache: true });
  return { home: () => runRead(side, 'home', []) };
}

function identityOf(row: EnrichedRow): ComicIdentity {
  return { fingerprint: row.fingerprint, root: '/lib', path: row.path, series: row.series, number: row.number };
}

/** One random change as a user makes them; the clock sometimes stands still (equal last_read_at). */
function readSomething(rand: () => number, rows: EnrichedRow[]): void {
  if (rand() < 0.8) now += 1 + Math.floor(rand() * 3);
  const comic = rows[Math.floor(rand() * rows.length)]!;
  const pick = rand();
  if (pick < 0.3) store.updateState(identityOf(comic), { read: true });
  else if (pick < 0.5) store.updateState(identityOf(comic), { lastPage: 1 + Math.floor(rand() * 9) });
  else if (pick < 0.6) store.updateState(identityOf(comic), { read: false, lastPage: null });
  else if (pick < 0.65) store.updateState(identityOf(comic), { favourite: rand() < 0.5 });
  else {
    // A whole series (or its first issues) marked read at once: one time for all of them.
    const series = rows.filter((r) => r.series === comic.series);
    store.updateStates(series.slice(0, 1 + Math.floor(rand() * series.length)).map(identityOf), { read: true });
  }
}

describe('Home shelves', () => {
  it('match a plain reading of the tables through random reading and new generations', () => {
    const rand = random(16);
    let rows = generateRows(rand, 1);
    publishGeneration(writer, rows, 1);
    const reader = openReader();
    let compared = 0;
    let onDeckSeen = 0;
    for (let generation = 1; generation <= 4; generation++) {
      if (generation > 1) {
        rows = generateRows(rand, generation);
        publishGeneration(writer, rows, generation);
      }
      for (let round = 0; round < 40; round++) {
        readSomething(rand, rows);
        const home = reader.home();
        const again = reader.home();
        const expected = plainShelves(readDb!);
        const got = { continue: home.continue.map((c) => c.id), on_deck: home.on_deck.map((c) => c.id), recent: home.recent.map((c) => c.id) };
        expect(got).toEqual(expected);
        expect(again).toEqual(home);
        expect(home.generation).toBe(generation);
        compared++;
        onDeckSeen += home.on_deck.length;
      }
    }
    expect(compared).toBe(160);
    // The walk had work: shelves filled, series fully read, duplicates and broken files among them.
    expect(onDeckSeen).toBeGreaterThan(300);
  });

  it('the series walk runs in last_read_at order on user.db’s index and stops at its limit (no sort)', () => {
    publishGeneration(writer, generateRows(random(1), 1), 1);
    openReader();
    const plan = (readDb!.prepare(`EXPLAIN QUERY PLAN ${seriesReadRecentlySql(`${USER_SCHEMA}.comic_state`)}`).all(60) as Array<{ detail: string }>)
      .map((r) => r.detail)
      .join(' | ');
    expect(plan).toContain('USING INDEX comic_state_last_read');
    expect(plan).toContain('TEMP B-TREE FOR DISTINCT');
    expect(plan).not.toContain('FOR ORDER BY');
  });
});
