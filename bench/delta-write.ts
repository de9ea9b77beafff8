// The write of one generation, delta vs full, on synthetic rows (no files, no walk): how long the
// delta transaction takes for each kind of change and share of the library, against writing the whole
// next generation and swapping it in. Decides DELTA_MAX_SHARE (rebuild-job.ts); figures in bench/README.md.
//   npx tsx bench/delta-write.ts [--rows 20000,100000] [--shares 0.01,0.05,0.1]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, type Db } from '../electron/library/store/open-database.js';
import { swapInNextGeneration, writeNextGeneration } from '../electron/library/store/generation-writer.js';
import { writeDeltaGeneration, type GenerationDelta } from '../electron/library/store/delta-writer.js';
import { numberSortKey, type EnrichedRow } from '../electron/library/store/comic-row.js';
import { testRow } from '../electron/library/testing/store-rows.js';
import { mulberry32, type Rng } from '../electron/library/sample/prng.js';

const KINDS = ['touch', 'change', 'add', 'remove', 'mixed'] as const;
type Kind = (typeof KINDS)[number];

function fields(rng: Rng, i: number): Partial<EnrichedRow> {
  const series = `Series ${rng.int(1, 3000)}`;
  const number = String(rng.int(1, 120));
  return {
    series,
    number,
    number_sort: numberSortKey(number),
    volume: rng.chance(0.5) ? null : rng.int(1, 3),
    title: `Title ${rng.int(1, 50000)}`,
    writer: `Writer ${rng.int(1, 400)}`,
    publisher: `Publisher ${rng.int(1, 40)}`,
    year: rng.int(1970, 2025),
    size: rng.int(1_000_000, 90_000_000),
    fingerprint: `fp${i}`,
  };
}

function library(rng: Rng, n: number): EnrichedRow[] {
  return Array.from({ length: n }, (_, k) => {
    const id = k + 1;
    const f = fields(rng, id);
    const file_name = `${f.series} ${f.number} (${id}).cbz`;
    const folder = `Publisher ${rng.int(1, 40)}/${f.series}`;
    return testRow(id, { ...f, file_name, folder, path: `${folder}/${file_name}`, added_at: 1_000 + k });
  });
}

function changeSet(rng: Rng, rows: readonly EnrichedRow[], kind: Kind, count: number): { delta: GenerationDelta; after: EnrichedRow[] } {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const removedIds: number[] = [];
  const upserts: EnrichedRow[] = [];
  let nextId = rows.reduce((max, r) => Math.max(max, r.id), 0) + 1;
  const picked = new Set<number>();
  for (let i = 0; i < count; i++) {
    const k = (kind === 'mixed' ? (['touch', 'change', 'add', 'remove'] as const)[i % 4]! : kind) as Exclude<Kind, 'mixed'>;
    let row: EnrichedRow;
    do row = rows[rng.int(0, rows.length - 1)]!;
    while (picked.has(row.id));
    picked.add(row.id);
    if (k === 'touch') upserts.push({ ...row, mtime_ms: row.mtime_ms + 1000, changed_at: 9_999 });
    else if (k === 'change') upserts.push({ ...row, ...fields(rng, row.id), changed_at: 9_999 });
    else if (k === 'remove') removedIds.push(row.id);
    else {
      const id = nextId++;
      const f = fields(rng, id);
      const file_name = `${f.series} ${f.number} (${id}).cbz`;
      upserts.push(testRow(id, { ...f, file_name, folder: row.folder, path: `${row.folder}/${file_name}`, added_at: 50_000_000 + id }));
    }
  }
  for (const id of removedIds) byId.delete(id);
  for (const row of upserts) byId.set(row.id, row);
  return { delta: { removedIds, upserts }, after: [...byId.values()] };
}

function publish(db: Db, rows: readonly EnrichedRow[], generation: number): void {
  writeNextGeneration(db, rows, generation);
  swapInNextGeneration(db, { generation, nextId: rows.length + 10_000, builtAt: Date.now(), durationMs: 0 }, { fileCount: rows.length, errorCount: 0 });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: '20000,100000' }, shares: { type: 'string', default: '0.01,0.05,0.1' } } });
  const dir = mkdtempSync(join(os.tmpdir(), 'longbox-delta-bench-'));
  try {
    for (const n of values.rows.split(',').map(Number)) {
      const rng = mulberry32(n);
      let rows = library(rng, n);
      const db = openDatabase(join(dir, `delta-${n}.db`));
      let generation = 1;
      publish(db, rows, generation);
      let t = performance.now();
      publish(db, rows, ++generation);
      const fullMs = performance.now() - t;
      process.stdout.write(`${n} rows: full write + swap ${fullMs.toFixed(0)} ms (load ${os.loadavg()[0]!.toFixed(1)})\n`);
      for (const share of values.shares.split(',').map(Number)) {
        for (const kind of KINDS) {
          const { delta, after } = changeSet(rng, rows, kind, Math.round(n * share));
          t = performance.now();
          const result = writeDeltaGeneration(db, delta, { generation: ++generation, nextId: n * 2, builtAt: Date.now(), durationMs: 0 });
          const deltaMs = performance.now() - t;
          process.stdout.write(
            `  ${(share * 100).toFixed(0).padStart(3)}% ${kind.padEnd(7)} delta ${deltaMs.toFixed(0).padStart(6)} ms (${result.written} rows written, ${result.shifted} shifted; load ${os.loadavg()[0]!.toFixed(1)})\n`,
          );
          // The next change set starts from this generation (the library drifts, its size hardly).
          rows = after;
        }
      }
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
