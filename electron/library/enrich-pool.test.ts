import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enrichFile } from './enrich.js';
import { defaultEnrichThreads, ENRICH_THREADS_ENV, EnrichPool } from './enrich-pool.js';
import { runRebuild } from './rebuild-job.js';
import type { WalkedFile } from './scan/walk.js';
import { LibraryReader } from './store/library-reader.js';
import { openDatabase } from './store/open-database.js';
import { writeLibrary } from './testing/fixtures.js';

let dir: string;
let root: string;
let paths: string[];
const pools: EnrichPool[] = [];

function walked(path: string): WalkedFile {
  const st = statSync(join(root, path));
  return { path, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, ext: extname(path).toLowerCase() };
}

function pool(options: Partial<ConstructorParameters<typeof EnrichPool>[0]> = {}): EnrichPool {
  const p = new EnrichPool({ root, size: 2, perThread: 4, maxFileMs: 20_000, ...options });
  pools.push(p);
  return p;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lb-pool-'));
  root = join(dir, 'library');
  mkdirSync(root);
  paths = writeLibrary(root, 24);
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('defaultEnrichThreads', () => {
  it('none on 2 cores, one per core but one from 4 on (at most 16), or what the environment says (0 = no pool)', () => {
    expect(defaultEnrichThreads({}, 2)).toBe(0);
    expect(defaultEnrichThreads({}, 4)).toBe(3);
    expect(defaultEnrichThreads({}, 12)).toBe(11);
    expect(defaultEnrichThreads({}, 64)).toBe(16);
    expect(defaultEnrichThreads({ [ENRICH_THREADS_ENV]: '0' }, 12)).toBe(0);
    expect(defaultEnrichThreads({ [ENRICH_THREADS_ENV]: '2' }, 2)).toBe(2);
    expect(defaultEnrichThreads({ [ENRICH_THREADS_ENV]: 'many' }, 8)).toBe(7);
  });
});

describe('EnrichPool', () => {
  it('gives exactly the rows enrichFile gives on the calling thread', async () => {
    const p = pool();
    const files = paths.map(walked);
    const fromPool = await Promise.all(files.map((f) => p.enrich(f)));
    const direct = await Promise.all(files.map((f) => enrichFile(root, f)));
    expect(fromPool).toEqual(direct);
    expect(fromPool.every((row) => row.error_kind === null && row.page_count === 3)).toBe(true);
    expect(p.restarts).toBe(0);
  }, 60_000);

  it('a file that hangs its thread is one timeout row; the others are read and the pool goes on', async () => {
    const hanging = paths[5]!;
    const p = pool({ maxFileMs: 3_000, faults: { hang: [hanging] } });
    const rows = await Promise.all(paths.map((path) => p.enrich(walked(path))));
    const bad = rows.filter((row) => row.error_kind !== null);
    expect(bad.map((row) => [row.path, row.error_kind])).toEqual([[hanging, 'timeout']]);
    expect(rows.filter((row) => row.page_count === 3)).toHaveLength(paths.length - 1);
    // The stuck thread (with neighbours in flight), then the file alone again.
    expect(p.restarts).toBe(2);
    // Recovered: the replacement thread reads.
    expect((await p.enrich(walked(paths[0]!))).error_kind).toBeNull();
  }, 60_000);

  it('a file that crashes its thread is one corrupt row, its neighbours in flight are not blamed, the pool recovers', async () => {
    // The first file, so that its thread's later files are still queued (in flight) when it dies,
    // whether the thread reads them with blocking calls one after another or interleaved.
    const crashing = paths[0]!;
    const p = pool({ faults: { crash: [crashing] } });
    const rows = await Promise.all(paths.map((path) => p.enrich(walked(path))));
    const bad = rows.filter((row) => row.error_kind !== null);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ path: crashing, error_kind: 'corrupt' });
    expect(bad[0]!.error_message).toMatch(/stopped the reader thread/);
    expect(rows.filter((row) => row.page_count === 3)).toHaveLength(paths.length - 1);
    // Two deaths: the first with neighbours in flight, the second with the file alone.
    expect(p.restarts).toBe(2);
    expect((await p.enrich(walked(paths[1]!))).error_kind).toBeNull();
  }, 60_000);

  it('close() answers what is still queued with an error row and stops the threads', async () => {
    const p = pool({ size: 1, perThread: 1 });
    const pending = paths.map((path) => p.enrich(walked(path)));
    await p.close();
    const rows = await Promise.all(pending);
    expect(rows.some((row) => row.error_kind === 'unreadable')).toBe(true);
    expect((await p.enrich(walked(paths[0]!))).error_message).toMatch(/stopped/);
  }, 60_000);
});

describe('rebuild with the pool', () => {
  it('finishes with one error row per bad file and the same rows as without threads', async () => {
    const read = (dbPath: string) => {
      const db = openDatabase(dbPath, { readonly: true });
      try {
        return new LibraryReader(db).list({ offset: 0, limit: 500, sort: 'file', order: 'asc' }).rows;
      } finally {
        db.close();
      }
    };
    const withPool = join(dir, 'pool.db');
    const without = join(dir, 'plain.db');
    openDatabase(withPool).close();
    openDatabase(without).close();
    const options = { concurrency: 4, maxFileMs: 3_000, force: false };
    const pooled = await runRebuild({
      root,
      dbPath: withPool,
      options: { ...options, enrichThreads: 2 },
      poolMinFiles: 1,
      enrichFaults: { hang: [paths[1]!], crash: [paths[2]!] },
    });
    const plain = await runRebuild({ root, dbPath: without, options: { ...options, enrichThreads: 0 } });
    expect(pooled.fileCount).toBe(paths.length);
    expect(pooled.stats.errors).toBe(2);
    expect(plain.stats.errors).toBe(0);
    const a = read(withPool);
    const b = read(without);
    const errors = a.filter((row) => row.error_kind !== null).map((row) => [row.path, row.error_kind]);
    expect(errors.sort()).toEqual([
      [paths[1], 'timeout'],
      [paths[2], 'corrupt'],
    ]);
    const strip = (rows: typeof a) => rows.filter((row) => row.path !== paths[1] && row.path !== paths[2]).map(({ id: _id, added_at: _a, ...rest }) => rest);
    expect(strip(a)).toEqual(strip(b));
  }, 90_000);
});
