// A delta generation must be exactly the generation a full rewrite of the same rows gives: rows (every
// column, ranks included), search results, series (and their search), folders and counts. Random change
// sets (seeded) over a few hundred rows whose names, numbers, volumes, sizes and dates collide on
// purpose, plus the named cases; readers during the delta's transaction; a crash before each step.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './open-database.js';
import type { Db } from './db.js';
import { swapInNextGeneration, writeNextGeneration } from './generation-writer.js';
import { DELTA_STEPS, writeDeltaGeneration, type GenerationDelta } from './delta-writer.js';
import { numberSortKey, type EnrichedRow } from './comic-row.js';
import { RANK_COLUMN_OF, SORT_ORDERS } from './ranks.js';
import { testRow } from '../testing/store-rows.js';
import { mulberry32, type Rng } from '../sample/prng.js';

let dir: string;
let deltaDb: Db;
let fullDb: Db;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lb-delta-'));
  deltaDb = openDatabase(join(dir, 'delta.db'));
  fullDb = openDatabase(join(dir, 'full.db'));
});
afterEach(() => {
  deltaDb.close();
  fullDb.close();
  rmSync(dir, { recursive: true, force: true });
});

const meta = (generation: number, rows: readonly EnrichedRow[]) => ({
  generation,
  nextId: Math.max(0, ...rows.map((r) => r.id)) + 1,
  builtAt: 1_700_000_000_000 + generation,
  durationMs: 7,
});

function publishFull(db: Db, rows: readonly EnrichedRow[], generation: number): void {
  writeNextGeneration(db, rows, generation);
  swapInNextGeneration(db, meta(generation, rows), { fileCount: rows.length, errorCount: rows.filter((r) => r.error_kind !== null).length });
}

// ---- random libraries -----------------------------------------------------------------------------

const FOLDERS = ['', 'Marvel', 'Marvel/X-Men', 'Marvel/x-men', 'DC/Batman', 'DC/Batman/Annuals', 'Indie', 'indie/Saga'];
const SERIES = [null, 'Saga', 'saga', 'Saga:', 'X-Men', 'X Men', 'Batman', 'Batman 2', 'Ünïcode Stories', '???', '𝔄 Tales', 'Ｔales'];
const NUMBERS = [null, '1', '01', '2', '10', '1.5', '½', '10a', '-1'];
const TITLES = [null, 'Alpha', 'alpha', 'Beta 2', 'Beta 10', 'Gamma'];
const WRITERS = [null, 'Ann Writer', 'Bob Author', 'Cleo Scribe'];
const PUBLISHERS = [null, 'Marvel', 'DC', 'Image'];
// '𝔄' (above U+FFFF) and 'Ａ' (U+FF21) order differently in UTF-16 and in SQLite's code point order.
const NAMES = ['Saga 1', 'saga 1', 'Saga 01', 'Saga 2', 'Saga 10', 'X-Men 5', 'x-men 5', 'Batman', 'Annual', 'Zed', 'A', 'a', '𝔄 Book', 'Ａ Book'];

function randomFields(rng: Rng): Partial<EnrichedRow> {
  const number = rng.pick(NUMBERS);
  const broken = rng.chance(0.08);
  return {
    series: rng.pick(SERIES),
    number,
    number_sort: numberSortKey(number),
    volume: rng.pick([null, null, 1, 2, 2014]),
    title: rng.pick(TITLES),
    writer: rng.pick(WRITERS),
    publisher: rng.pick(PUBLISHERS),
    year: rng.pick([null, 1999, 2010, 2010, 2020]),
    size: rng.int(1, 6) * 1000,
    // Few fingerprints: duplicates come and go.
    fingerprint: `fp${rng.int(1, 40)}`,
    error_kind: broken ? 'corrupt' : null,
    error_message: broken ? 'bad central directory' : null,
  };
}

function randomPath(rng: Rng, taken: ReadonlySet<string>): { path: string; folder: string; file_name: string } {
  for (;;) {
    const folder = rng.pick(FOLDERS);
    const file_name = `${rng.pick(NAMES)}${rng.chance(0.5) ? '' : ` (${rng.int(1, 30)})`}.cbz`;
    const path = folder === '' ? file_name : `${folder}/${file_name}`;
    if (!taken.has(path)) return { path, folder, file_name };
  }
}

function randomLibrary(rng: Rng, count: number): EnrichedRow[] {
  const taken = new Set<string>();
  const rows: EnrichedRow[] = [];
  for (let id = 1; id <= count; id++) {
    const place = randomPath(rng, taken);
    taken.add(place.path);
    rows.push(testRow(id, { ...place, ...randomFields(rng), added_at: 1000 + rng.int(0, 20), changed_at: 1000 }));
  }
  return rows;
}

const CHANGE_KINDS = ['add', 'remove', 'change', 'move', 'rename-case', 'retitle', 'touch', 'regroup'] as const;
type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Applies `kind` to one row of `rows` (chosen among the first and last of each order when `edge`). */
function applyChange(rng: Rng, rows: Map<number, EnrichedRow>, kind: ChangeKind, target: EnrichedRow | undefined, nextId: () => number, stamp: number): void {
  const taken = new Set([...rows.values()].map((r) => r.path));
  const row = target ?? rng.pick([...rows.values()]);
  switch (kind) {
    case 'add': {
      const place = randomPath(rng, taken);
      const id = nextId();
      rows.set(id, testRow(id, { ...place, ...randomFields(rng), added_at: stamp, changed_at: stamp }));
      return;
    }
    case 'remove':
      rows.delete(row.id);
      return;
    case 'change':
      rows.set(row.id, { ...row, ...randomFields(rng), changed_at: stamp });
      return;
    case 'move':
      rows.set(row.id, { ...row, ...randomPath(rng, taken), changed_at: stamp });
      return;
    case 'rename-case': {
      const upper = row.file_name === row.file_name.toUpperCase();
      const file_name = upper ? row.file_name.toLowerCase() : row.file_name.toUpperCase();
      const path = row.folder === '' ? file_name : `${row.folder}/${file_name}`;
      if (!taken.has(path)) rows.set(row.id, { ...row, file_name, path, changed_at: stamp });
      return;
    }
    case 'retitle':
      // Moves the row across the title and series orders only.
      rows.set(row.id, { ...row, title: rng.pick(TITLES), series: rng.pick(SERIES), changed_at: stamp });
      return;
    case 'touch':
      // Re-read with the same content: only the mtime and the change time differ.
      rows.set(row.id, { ...row, mtime_ms: row.mtime_ms + 1000, changed_at: stamp });
      return;
    case 'regroup':
      // A volume appears or goes: the usual volume of the series (and its issues without one) can flip.
      rows.set(row.id, { ...row, volume: rng.pick([null, 1, 2]), changed_at: stamp });
      return;
  }
}

/** The row at the first or last rank of some order in `db`. */
function edgeRow(db: Db, rng: Rng, rows: Map<number, EnrichedRow>): EnrichedRow | undefined {
  const column = RANK_COLUMN_OF[rng.pick(SORT_ORDERS)];
  const { id } = db.prepare(`SELECT id FROM comics ORDER BY ${column} ${rng.chance(0.5) ? 'ASC' : 'DESC'} LIMIT 1`).get() as { id: number };
  return rows.get(id);
}

// ---- what a reader sees -----------------------------------------------------------------------------

const SEARCHES = ['saga', 'sa', 'x', 'men', 'batman', 'alpha', 'beta', 'ann', 'marvel', 'annuals', 'unicode', 'image', 'zed 1', 'cbz'];

function snapshot(db: Db) {
  const comics = db.prepare('SELECT * FROM comics ORDER BY id').all();
  const search = Object.fromEntries(
    SEARCHES.map((q) => [q, db.prepare(`SELECT rowid FROM comics_fts WHERE comics_fts MATCH ? ORDER BY rowid`).all(`"${q}"*`).map((r) => (r as { rowid: number }).rowid)]),
  );
  const series = db.prepare('SELECT * FROM series ORDER BY id').all();
  const seriesSearch = Object.fromEntries(
    SEARCHES.map((q) => [q, db.prepare(`SELECT rowid FROM series_fts WHERE series_fts MATCH ? ORDER BY rowid`).all(`"${q}"*`).map((r) => (r as { rowid: number }).rowid)]),
  );
  const folders = db.prepare('SELECT * FROM folders ORDER BY path').all();
  const counts = db.prepare(`SELECT key, value FROM meta WHERE key IN ('generation', 'file_count', 'error_count', 'next_id') ORDER BY key`).all();
  return { comics, search, series, seriesSearch, folders, counts };
}

/** Rows with their ranks must be dense 0…n−1 in every order (what the readers' range seeks assume). */
function expectDenseRanks(db: Db): void {
  const n = (db.prepare('SELECT count(*) AS n FROM comics').get() as { n: number }).n;
  for (const column of Object.values(RANK_COLUMN_OF)) {
    const ranks = (db.prepare(`SELECT ${column} AS r FROM comics ORDER BY ${column}`).all() as Array<{ r: number }>).map((r) => r.r);
    expect(ranks).toEqual(Array.from({ length: n }, (_, i) => i));
  }
}

function deltaOf(before: ReadonlyMap<number, EnrichedRow>, after: ReadonlyMap<number, EnrichedRow>): GenerationDelta {
  return {
    removedIds: [...before.keys()].filter((id) => !after.has(id)),
    upserts: [...after.values()].filter((row) => JSON.stringify(before.get(row.id)) !== JSON.stringify(row)),
  };
}

/** Publishes `before` in both databases, then `after` as a delta in one and as a full rewrite in the other. */
function compare(before: Map<number, EnrichedRow>, after: Map<number, EnrichedRow>, generation: number): void {
  const delta = deltaOf(before, after);
  const rows = [...after.values()];
  writeDeltaGeneration(deltaDb, delta, meta(generation, rows));
  publishFull(fullDb, rows, generation);
  expect(snapshot(deltaDb)).toEqual(snapshot(fullDb));
}

describe('delta generations', () => {
  it('random change sets give exactly the rows, ranks, search results, series and folders of a full rewrite', () => {
    let generation = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const rng = mulberry32(seed);
      let rows = new Map(randomLibrary(rng, 300).map((r) => [r.id, r]));
      let id = 300;
      generation++;
      publishFull(deltaDb, [...rows.values()], generation);
      publishFull(fullDb, [...rows.values()], generation);
      // Several generations in a row: each delta starts from the previous delta's result.
      for (let step = 0; step < 4; step++) {
        generation++;
        const after = new Map(rows);
        const changes = rng.int(1, 25);
        for (let i = 0; i < changes; i++) {
          const kind = rng.pick(CHANGE_KINDS);
          const target = rng.chance(0.3) ? edgeRow(deltaDb, rng, after) : undefined;
          applyChange(rng, after, kind, target, () => ++id, 5000 + generation);
        }
        compare(rows, after, generation);
        rows = after;
      }
      expectDenseRanks(deltaDb);
    }
  });

  it.each(CHANGE_KINDS)('one change of kind %s, on the first and the last row of every order', (kind) => {
    const rng = mulberry32(99);
    const rows = new Map(randomLibrary(rng, 120).map((r) => [r.id, r]));
    publishFull(deltaDb, [...rows.values()], 1);
    publishFull(fullDb, [...rows.values()], 1);
    let current = rows;
    let generation = 1;
    let id = 1000;
    for (const order of SORT_ORDERS) {
      for (const direction of ['ASC', 'DESC']) {
        const column = RANK_COLUMN_OF[order];
        const { id: edgeId } = deltaDb.prepare(`SELECT id FROM comics ORDER BY ${column} ${direction} LIMIT 1`).get() as { id: number };
        const after = new Map(current);
        applyChange(rng, after, kind, after.get(edgeId), () => ++id, 9000 + generation);
        compare(current, after, ++generation);
        current = after;
      }
    }
    expectDenseRanks(deltaDb);
  });

  it('rows patched in place (same keys in every order): a new writer, publisher, inode or page count matches the full rewrite, search included', () => {
    const rng = mulberry32(7);
    const rows = new Map(randomLibrary(rng, 150).map((r) => [r.id, r]));
    publishFull(deltaDb, [...rows.values()], 1);
    publishFull(fullDb, [...rows.values()], 1);
    let current = rows;
    const edits: Array<(row: EnrichedRow) => EnrichedRow> = [
      (row) => ({ ...row, writer: row.writer === 'Ann Writer' ? 'Bob Author' : 'Ann Writer' }),
      (row) => ({ ...row, publisher: row.publisher === 'Image' ? 'Marvel' : 'Image', year: 2021 }),
      (row) => ({ ...row, inode: row.inode + 1, mtime_ms: row.mtime_ms + 5 }),
      (row) => ({ ...row, page_count: row.page_count + 3, cover_entry: 'z.jpg', error_message: 'odd' }),
    ];
    let generation = 1;
    for (const edit of edits) {
      generation++;
      const after = new Map(current);
      for (const row of [...current.values()].filter((_, i) => i % 9 === generation % 9)) after.set(row.id, { ...edit(row), changed_at: 9000 + generation });
      compare(current, after, generation);
      current = after;
    }
    expectDenseRanks(deltaDb);
  });

  it('an empty delta and a delta that empties the library match the full rewrite', () => {
    const rows = new Map(randomLibrary(mulberry32(5), 40).map((r) => [r.id, r]));
    publishFull(deltaDb, [...rows.values()], 1);
    publishFull(fullDb, [...rows.values()], 1);
    compare(rows, new Map(rows), 2);
    compare(rows, new Map(), 3);
    expect(deltaDb.prepare('SELECT count(*) AS n FROM comics').get()).toEqual({ n: 0 });
    compare(new Map(), rows, 4);
  });

  it('readers on another connection see the whole old generation until the commit, then the whole new one', () => {
    const file = join(dir, 'delta.db');
    const rng = mulberry32(7);
    const rows = new Map(randomLibrary(rng, 200).map((r) => [r.id, r]));
    publishFull(deltaDb, [...rows.values()], 1);
    const reader = openDatabase(file, { readonly: true });
    try {
      const before = snapshot(reader);
      const after = new Map(rows);
      for (let i = 0; i < 20; i++) applyChange(rng, after, rng.pick(CHANGE_KINDS), undefined, () => 1000 + i, 7000);
      const seen: DeltaStepSeen[] = [];
      writeDeltaGeneration(deltaDb, deltaOf(rows, after), meta(2, [...after.values()]), {
        beforeStep: (step) => seen.push({ step, same: JSON.stringify(snapshot(reader)) === JSON.stringify(before) }),
      });
      expect(seen.map((s) => s.step)).toEqual([...DELTA_STEPS]);
      expect(seen.every((s) => s.same)).toBe(true);
      publishFull(fullDb, [...after.values()], 2);
      expect(snapshot(reader)).toEqual(snapshot(fullDb));
    } finally {
      reader.close();
    }
  });

  it.each(DELTA_STEPS)('a crash before step %s keeps the live generation as it was', (failing) => {
    const rng = mulberry32(11);
    const rows = new Map(randomLibrary(rng, 150).map((r) => [r.id, r]));
    publishFull(deltaDb, [...rows.values()], 1);
    const before = snapshot(deltaDb);
    const after = new Map(rows);
    for (let i = 0; i < 15; i++) applyChange(rng, after, rng.pick(CHANGE_KINDS), undefined, () => 2000 + i, 8000);
    const crash = () =>
      writeDeltaGeneration(deltaDb, deltaOf(rows, after), meta(2, [...after.values()]), {
        beforeStep: (step) => {
          if (step === failing) throw new Error(`injected crash before ${step}`);
        },
      });
    expect(crash).toThrow(`injected crash before ${failing}`);
    expect(snapshot(deltaDb)).toEqual(before);
    // And the next delta still works from there.
    compare(rows, after, 2);
  });
});

interface DeltaStepSeen {
  step: string;
  same: boolean;
}
