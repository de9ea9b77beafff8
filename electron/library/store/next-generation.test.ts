// The streamed writer (ranks, duplicates, series keys and browse tables in SQL) against the in-memory
// reference it replaced (withGenerationFields, seriesRowsOf, folderRowsOf): the same rows, for random
// sets built to collide (natural-key ties, equal sizes and dates, shared fingerprints, error rows,
// issues with and without a volume).
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from './db.js';
import { dropLeftovers, writeNextGeneration } from './generation-writer.js';
import { beginNextGeneration, NEXT_BATCH_SIZE } from './next-generation.js';
import { withGenerationFields } from './ranks.js';
import { folderRowsOf, seriesRowsOf } from './browse-tables.js';
import { numberSortKey, type EnrichedRow, type StoredRow } from './comic-row.js';
import { testRow } from '../testing/store-rows.js';
import { openTempLibraryDb, removeTempLibraryDb } from '../testing/library-db.js';

let dir: string;
let db: Db;
beforeEach(() => ({ dir, db } = openTempLibraryDb('lb-next-')));
afterEach(() => removeTempLibraryDb({ dir, db }));

const rowArb = fc.record({
  folder: fc.constantFrom('', 'A', 'A/b', 'A/B', 'a1', 'a01', 'Marvel/X-Men (1991)'),
  stem: fc.constantFrom('Saga 1', 'saga 01', 'Saga 001', 'X-Men 2', 'x men 2', 'Été 3', 'Zed', 'zed', '10', '9'),
  series: fc.constantFrom(null, 'Saga', 'saga', 'Saga!', 'X-Men', 'x men', 'Été'),
  volume: fc.constantFrom(null, null, 1, 2, 2019),
  number: fc.constantFrom(null, '1', '01', '2', '1.5', '½', '10a', '-1'),
  title: fc.constantFrom(null, 'The Start', 'the start', 'Issue 2', 'Issue 10'),
  size: fc.constantFrom(100, 100, 200, 5000),
  addedAt: fc.constantFrom(1, 1, 2, 3),
  fingerprint: fc.constantFrom('f1', 'f1', 'f2', 'f3', 'f4'),
  error: fc.constantFrom(null, null, null, 'corrupt' as const),
  year: fc.constantFrom(null, 1991, 2018),
  publisher: fc.constantFrom(null, 'Image', 'Marvel'),
});

/** Rows with unique paths (a numeric suffix keeps duplicates of a drawn name apart). */
type Drawn = typeof rowArb extends fc.Arbitrary<infer T> ? T : never;

function rowsOf(drawn: readonly Drawn[]): EnrichedRow[] {
  const seen = new Set<string>();
  const rows: EnrichedRow[] = [];
  drawn.forEach((d, i) => {
    let fileName = `${d.stem}.cbz`;
    let path = d.folder === '' ? fileName : `${d.folder}/${fileName}`;
    if (seen.has(path)) {
      fileName = `${d.stem} (${i}).cbz`;
      path = d.folder === '' ? fileName : `${d.folder}/${fileName}`;
    }
    seen.add(path);
    rows.push(
      testRow(i + 1, {
        path,
        folder: d.folder,
        file_name: fileName,
        series: d.series,
        volume: d.volume,
        number: d.number,
        number_sort: numberSortKey(d.number),
        title: d.title,
        size: d.size,
        added_at: d.addedAt,
        fingerprint: d.fingerprint,
        error_kind: d.error,
        error_message: d.error ? 'broken' : null,
        year: d.year,
        publisher: d.publisher,
      }),
    );
  });
  return rows;
}

const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;

function written(): { comics: StoredRow[]; series: unknown[]; folders: unknown[] } {
  return {
    comics: db.prepare('SELECT * FROM comics_next ORDER BY id').all() as StoredRow[],
    series: db.prepare('SELECT * FROM series_next ORDER BY id').all(),
    folders: db.prepare('SELECT * FROM folders_next ORDER BY path').all(),
  };
}

function reference(rows: readonly EnrichedRow[]): { comics: StoredRow[]; series: unknown[]; folders: unknown[] } {
  const stored = withGenerationFields(rows);
  return {
    comics: [...stored].sort(byId),
    series: seriesRowsOf(stored).sort(byId),
    folders: folderRowsOf(stored).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
}

describe('streamed generation writer', () => {
  it('writes the same rows, ranks, duplicates, series keys, series and folders as the in-memory reference', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 60 }), (drawn) => {
        const rows = rowsOf(drawn);
        writeNextGeneration(db, rows, 2);
        expect(written()).toEqual(reference(rows));
      }),
      { numRuns: 60 },
    );
  });

  it('gives the same result whatever order the rows arrive in (each carries its place)', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 2, maxLength: 40 }), fc.integer(), (drawn, seed) => {
        const rows = rowsOf(drawn);
        const order = rows.map((_, i) => i);
        // A deterministic shuffle: rows finish their reads in any order.
        let s = seed >>> 0;
        for (let i = order.length - 1; i > 0; i--) {
          s = (s * 1103515245 + 12345) >>> 0;
          const j = s % (i + 1);
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
        dropLeftovers(db);
        const next = beginNextGeneration(db, 2);
        for (const i of order) next.add(rows[i]!, i);
        next.finish();
        expect(written()).toEqual(reference(rows));
      }),
      { numRuns: 30 },
    );
  });

  it('holds at most one batch of rows, and the temporary keys are gone after finish', () => {
    const rows = Array.from({ length: NEXT_BATCH_SIZE * 3 + 7 }, (_, i) => testRow(i + 1, { series: `S${i % 13}`, number: String(i) }));
    dropLeftovers(db);
    const next = beginNextGeneration(db, 2);
    rows.forEach((row, i) => next.add(row, i));
    expect(next.queued).toBe(7);
    next.finish();
    expect(next.maxQueued).toBe(NEXT_BATCH_SIZE);
    expect(next.queued).toBe(0);
    expect(next.added).toBe(rows.length);
    expect(db.prepare("SELECT count(*) AS n FROM temp.sqlite_schema WHERE name LIKE 'next_%'").get()).toEqual({ n: 0 });
    expect((db.prepare('SELECT count(*) AS n FROM comics_next').get() as { n: number }).n).toBe(rows.length);
  });
});
