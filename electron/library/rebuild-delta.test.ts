// A rescan of a real folder written as a delta gives exactly what the full rewrite gives, for every
// kind of file change (add, remove, change, move, rename-case, one that moves a row across the sort
// orders); a delta that fails is rolled back and the rebuild falls back to the full rewrite.
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRebuild, type RebuildInput } from './rebuild-job.js';
import { openDatabase } from './store/open-database.js';
import { writeComic } from './testing/fixtures.js';
import { mulberry32 } from './sample/prng.js';

let dir: string;
let root: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lb-delta-job-'));
  root = join(dir, 'library');
  mkdirSync(root);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SERIES = ['Saga', 'X-Men', 'Batman', 'Paper Girls'];

function rebuild(dbPath: string, extra: Partial<RebuildInput> = {}) {
  // One read at a time: new ids are handed out in walk order, the same in both databases.
  return runRebuild({ root, dbPath, options: { concurrency: 1, maxFileMs: 10_000, force: false, enrichThreads: 0 }, now: () => 1_700_000_000_000, ...extra });
}

function snapshot(dbPath: string) {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    const search = (q: string) => db.prepare('SELECT rowid FROM comics_fts WHERE comics_fts MATCH ? ORDER BY rowid').all(`"${q}"*`);
    return {
      comics: db.prepare('SELECT * FROM comics ORDER BY id').all(),
      search: ['saga', 'men', 'bat', 'paper', 'issue', 'ann', 'moved'].map(search),
      series: db.prepare('SELECT * FROM series ORDER BY id').all(),
      folders: db.prepare('SELECT * FROM folders ORDER BY path').all(),
      meta: db.prepare(`SELECT key, value FROM meta WHERE key IN ('generation', 'file_count', 'error_count', 'next_id') ORDER BY key`).all(),
    };
  } finally {
    db.close();
  }
}

function writeStart(count: number): string[] {
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const series = SERIES[i % SERIES.length]!;
    const rel = `${series}/${series} ${String(i + 1).padStart(3, '0')}.cbz`;
    writeComic(root, rel, { series, number: String(i + 1), title: `Issue ${i + 1}`, writer: i % 2 ? 'Ann Writer' : 'Bob Author' });
    paths.push(rel);
  }
  return paths;
}

describe('delta rebuilds', () => {
  it('every kind of file change gives the rows, ranks, search, series and folders of the full rewrite', async () => {
    const paths = writeStart(200);
    const deltaDb = join(dir, 'delta.db');
    const fullDb = join(dir, 'full.db');
    await rebuild(deltaDb);
    await rebuild(fullDb);
    expect(snapshot(deltaDb)).toEqual(snapshot(fullDb));

    const rng = mulberry32(3);
    for (let round = 0; round < 3; round++) {
      const stamp = 1_600_000_000 + round * 1000;
      for (let i = 0; i < 4; i++) {
        const k = rng.int(0, paths.length - 1);
        const rel = paths[k]!;
        switch (rng.pick(['remove', 'change', 'move', 'rename-case', 'cross', 'touch'] as const)) {
          case 'remove':
            unlinkSync(join(root, rel));
            paths.splice(k, 1);
            break;
          case 'change':
            writeComic(root, rel, { series: rng.pick(SERIES), number: String(rng.int(1, 300)), title: `Changed ${round}`, salt: `${rel}${round}` });
            utimesSync(join(root, rel), stamp + i, stamp + i);
            break;
          case 'move': {
            const to = `Moved/${round}-${i} ${rel.split('/').pop()!}`;
            mkdirSync(dirname(join(root, to)), { recursive: true });
            renameSync(join(root, rel), join(root, to));
            paths[k] = to;
            break;
          }
          case 'rename-case': {
            const to = rel.toLowerCase() === rel ? rel.toUpperCase() : rel.toLowerCase();
            mkdirSync(dirname(join(root, to)), { recursive: true });
            renameSync(join(root, rel), join(root, to));
            paths[k] = to;
            break;
          }
          case 'cross':
            // From the end of the title and series orders to the front.
            writeComic(root, rel, { series: 'AAA First', number: '0', title: 'AAA', salt: `${rel}${round}` });
            utimesSync(join(root, rel), stamp + i, stamp + i);
            break;
          case 'touch':
            utimesSync(join(root, rel), stamp + i, stamp + i);
            break;
        }
      }
      const added = `Saga/Saga ${900 + round}.cbz`;
      writeComic(root, added, { series: 'Saga', number: String(900 + round) });
      paths.push(added);

      const delta = await rebuild(deltaDb, { deltaMaxShare: 1 });
      const full = await rebuild(fullDb, { deltaMaxShare: 0 });
      expect(delta.stats.write).toBe('delta');
      expect(delta.stats.deltaError).toBeUndefined();
      expect(full.stats.write).toBe('full');
      expect({ ...delta.stats, write: 'full' }).toEqual(full.stats);
      expect(delta.fileCount).toBe(full.fileCount);
      expect(snapshot(deltaDb)).toEqual(snapshot(fullDb));
    }
  });

  it('a delta that fails rolls back and the rebuild writes the full generation instead', async () => {
    writeStart(40);
    const deltaDb = join(dir, 'delta.db');
    const fullDb = join(dir, 'full.db');
    await rebuild(deltaDb);
    await rebuild(fullDb);
    writeComic(root, 'Saga/Saga 500.cbz', { series: 'Saga', number: '500' });
    unlinkSync(join(root, 'Batman/Batman 003.cbz'));
    const failed = await rebuild(deltaDb, {
      deltaMaxShare: 1,
      deltaHooks: {
        beforeStep: (step) => {
          if (step === 'series') throw new Error('injected');
        },
      },
    });
    expect(failed.stats).toMatchObject({ write: 'full', deltaError: 'injected' });
    await rebuild(fullDb, { deltaMaxShare: 0 });
    expect(snapshot(deltaDb)).toEqual(snapshot(fullDb));
  });
});
