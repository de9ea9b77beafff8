// The streamed rebuild (rows go to the writer as they are read; ranks and browse tables in SQL) gives the
// generation the in-memory pipeline gave: every walked file enriched, all rows held, withGenerationFields,
// seriesRowsOf and folderRowsOf. On a generated tree with broken files of every kind, cold and after
// changes (touched, moved, removed, added files); and it never holds more than one batch of rows.
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRebuild } from './rebuild-job.js';
import { enrichFile } from './enrich.js';
import { walkLibrary } from './scan/walk.js';
import { openDatabase } from './store/open-database.js';
import { withGenerationFields } from './store/ranks.js';
import { folderRowsOf, seriesRowsOf } from './store/browse-tables.js';
import type { EnrichedRow, StoredRow } from './store/comic-row.js';
import type { NextGeneration } from './store/next-generation.js';
import { writeComic, writeLibrary } from './testing/fixtures.js';
import { generateLibrary } from '../../scripts/lib/dev-library.js';

let dir: string;
let root: string;
let dbPath: string;
let broken: string[];
let files: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lb-stream-'));
  root = join(dir, 'library');
  dbPath = join(dir, 'library.db');
  const generated = await generateLibrary({ out: root, files: 60, broken: 12, seed: 7, cbrEvery: 9, cb7Every: 0, pdfEvery: 0 });
  files = generated.files;
  broken = generated.broken;
  // Natural-key ties and series spelled two ways.
  writeComic(root, 'Ties/Saga 1.cbz', { series: 'Saga', number: '1' });
  writeComic(root, 'Ties/saga 01.cbz', { series: 'saga', number: '01' });
  writeComic(root, 'Ties/Saga 001.cbz', { series: 'Saga!', number: '1' });
  openDatabase(dbPath).close();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function live(): { comics: StoredRow[]; series: unknown[]; folders: unknown[] } {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    return {
      comics: db.prepare('SELECT * FROM comics ORDER BY id').all() as StoredRow[],
      series: db.prepare('SELECT * FROM series ORDER BY id').all(),
      folders: db.prepare('SELECT * FROM folders ORDER BY path').all(),
    };
  } finally {
    db.close();
  }
}

/**
 * What the in-memory pipeline computes for the tree as it is now: every walked file enriched, in walk
 * order, with the ids and dates the rebuild gave them (those come from the plan, not the pipeline).
 */
async function reference(stored: readonly StoredRow[]) {
  const byPath = new Map(stored.map((row) => [row.path, row]));
  const rows: EnrichedRow[] = [];
  for (const file of walkLibrary(root).files) {
    const row = byPath.get(file.path)!;
    // (A moved file keeps its row, read under its old name: the test moves it under the same name.)
    const enriched = await enrichFile(root, file);
    rows.push({
      ...enriched,
      id: row.id,
      added_at: row.added_at,
      changed_at: row.changed_at,
    });
  }
  const computed = withGenerationFields(rows);
  return {
    comics: [...computed].sort((a, b) => a.id - b.id),
    series: seriesRowsOf(computed).sort((a, b) => a.id - b.id),
    folders: folderRowsOf(computed).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
}

describe('streamed rebuild', () => {
  it('cold: the same rows, ranks, series and folders as the in-memory pipeline, one error row per broken file', async () => {
    let writer: NextGeneration | undefined;
    const result = await runRebuild({
      root,
      dbPath,
      options: { concurrency: 4, maxFileMs: 10_000, force: false, enrichThreads: 0 },
      onWriter: (next) => (writer = next),
      writeBatchSize: 16,
    });
    const now = live();
    expect(result.fileCount).toBe(files.length + broken.length + 3);
    expect(now.comics.filter((r) => r.error_kind !== null).map((r) => r.path).sort()).toEqual([...broken].sort());
    expect(now).toEqual(await reference(now.comics));
    expect(writer!.maxQueued).toBeLessThanOrEqual(16);
    expect(writer!.added).toBe(result.fileCount);
  }, 120_000);

  it('after touched, moved, removed and added files: the same generation again', async () => {
    const stamp = Date.now() / 1000 - 3600;
    for (const path of files.slice(0, 6)) utimesSync(join(root, path), stamp, stamp);
    const movedTo = `Moved/${files[10]!.split('/').pop()!}`;
    mkdirSync(join(root, 'Moved'), { recursive: true });
    renameSync(join(root, files[10]!), join(root, movedTo));
    unlinkSync(join(root, files[20]!));
    unlinkSync(join(root, broken[0]!));
    writeLibrary(join(root, 'New'), 4, 'Fresh');
    const result = await runRebuild({ root, dbPath, options: { concurrency: 3, maxFileMs: 10_000, force: false, enrichThreads: 0 }, writeBatchSize: 5 });
    expect(result.stats).toMatchObject({ moved: 1, removed: 2 });
    const now = live();
    expect(now.comics.find((r) => r.path === movedTo)).toBeDefined();
    expect(now).toEqual(await reference(now.comics));
  }, 120_000);

  it('streams: rows are written while files are still being read, never more than a batch held', async () => {
    const big = join(dir, 'big');
    writeLibrary(big, 120);
    const bigDb = join(dir, 'big.db');
    openDatabase(bigDb).close();
    let writer: NextGeneration | undefined;
    let writtenWhenLastOpened = -1;
    let opened = 0;
    const result = await runRebuild({
      root: big,
      dbPath: bigDb,
      options: { concurrency: 4, maxFileMs: 10_000, force: false, enrichThreads: 0 },
      onWriter: (next) => (writer = next),
      writeBatchSize: 10,
      onOpen: () => {
        if (++opened === 120) writtenWhenLastOpened = writer!.written;
      },
    });
    expect(result.fileCount).toBe(120);
    expect(writtenWhenLastOpened).toBeGreaterThanOrEqual(100);
    expect(writer!.maxQueued).toBeLessThanOrEqual(10);
  }, 120_000);
});
