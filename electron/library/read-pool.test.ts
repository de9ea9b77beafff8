// The reader threads (read-pool.ts): the same answers as the in-thread reads, one complete generation
// per answer across swaps, a dead thread replaced (its reads run again, or fail clearly), close() ends
// every thread. No timing assertions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LongboxError } from '../../shared/errors.js';
import type { ComicQuery } from '../../shared/types.js';
import { silentLogger } from './logger.js';
import { defaultReadThreads, ReadPool, READ_THREADS_ENV } from './read-pool.js';
import type { EnrichedRow } from './store/comic-row.js';
import { swapInNextGeneration, writeNextGeneration } from './store/generation-writer.js';
import { openDatabase } from './store/open-database.js';
import type { Db } from './store/db.js';
import { InThreadReads, openReadSide, type CacheReads, type ReadArgs, type ReadName } from './store/read-methods.js';
import { testRow } from './testing/store-rows.js';
import { openUserStore, type UserStore } from './user/user-store.js';

let dir: string;
let db: Db;
let user: UserStore;
let readDb: Db;
let inThread: InThreadReads;
const pools: ReadPool[] = [];
const ROOT = '/library';

function rows(generation: number, count: number): EnrichedRow[] {
  return Array.from({ length: count }, (_, i) => {
    const id = i + 1;
    const series = `Series ${id % 7}`;
    const folder = `Pub ${id % 3}/${series}`;
    const fileName = `${series} ${String(id).padStart(3, '0')}.cbz`;
    return testRow(id, {
      path: `${folder}/${fileName}`,
      folder,
      file_name: fileName,
      series,
      number: String(id),
      number_sort: id,
      title: `g${generation} title ${id}`,
      publisher: `Pub ${id % 3}`,
      year: 1990 + (id % 11),
      // A few duplicates (same fingerprint) and a broken file.
      fingerprint: id % 50 === 0 ? 'fp-dup' : `fp${id}`,
      ...(id === 13 ? { error_kind: 'corrupt' as const, error_message: 'bad', series: null, cover_entry: null } : {}),
    });
  });
}

function publish(generation: number, count: number): void {
  const written = rows(generation, count);
  writeNextGeneration(db, written, generation);
  swapInNextGeneration(db, { generation, nextId: count + 1, builtAt: Date.now(), durationMs: 1 }, {
    fileCount: count,
    errorCount: written.filter((r) => r.error_kind !== null).length,
  });
}

function pool(options: Partial<ConstructorParameters<typeof ReadPool>[0]> = {}): ReadPool {
  const p = new ReadPool({ size: 2, dbFile: join(dir, 'library.db'), userDbFile: user.file, logger: silentLogger, fallback: inThread, ...options });
  pools.push(p);
  return p;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lb-read-pool-'));
  db = openDatabase(join(dir, 'library.db'));
  publish(1, 300);
  user = await openUserStore({ dir });
  // Some reading, so the joins with user.db have rows: read, started, favourite.
  const identity = (id: number) => ({ fingerprint: `fp${id}`, root: ROOT, path: `p${id}`, series: null, number: null });
  for (let id = 1; id <= 40; id += 3) user.updateState(identity(id), { read: true });
  for (let id = 2; id <= 40; id += 5) user.updateState(identity(id), { lastPage: 3 });
  user.updateState(identity(7), { favourite: true });
  readDb = openDatabase(join(dir, 'library.db'), { readonly: true });
  inThread = new InThreadReads(openReadSide(readDb, user.file));
});

afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
  readDb.close();
  db.close();
  await user.close();
  rmSync(dir, { recursive: true, force: true });
});

type Call = { [K in ReadName]: [K, ...ReadArgs<K>] }[ReadName];

const page = (fields: Partial<ComicQuery>): ComicQuery => ({ offset: 0, limit: 100, sort: 'series', order: 'asc', ...fields });

/** Every read, with the arguments the routes send (and a few that fail). */
const CALLS: Call[] = [
  ['listComics', page({})],
  ['listComics', page({ offset: 250 })],
  ['listComics', page({ sort: 'title', order: 'desc', offset: 30 })],
  ['listComics', page({ sort: 'added', order: 'desc' })],
  ['listComics', page({ sort: 'size' })],
  ['listComics', page({ sort: 'file', limit: 500 })],
  ['listComics', page({ q: 'series 3' })],
  ['listComics', page({ q: 'title' })],
  ['listComics', page({ q: 'nothing-like-this' })],
  ['listComics', page({ filter: { unread: true } })],
  ['listComics', page({ filter: { hasError: true } })],
  ['listComics', page({ filter: { duplicates: true } })],
  ['listComics', page({ filter: { formats: ['zip'] }, q: 'g1' })],
  ['listComics', page({ series: 'series-4' })],
  ['listComics', page({ folder: 'Pub 1', recursive: true })],
  ['listComics', page({ folder: 'Pub 2/Series 5' })],
  ['listComics', page({ series: 'no-such-series' })],
  ['listComics', page({ folder: 'No/Such' })],
  ['listComicsJson', page({ q: 'series 3', sort: 'title' })],
  ['getRow', 1],
  ['getRow', 13],
  ['getRow', 9999],
  ['duplicatesOf', 'fp-dup', 50],
  ['identities'],
  ['listSeries', { offset: 0, limit: 60, sort: 'name', order: 'asc' }],
  ['listSeries', { offset: 2, limit: 3, sort: 'issues', order: 'desc' }],
  ['listSeries', { offset: 0, limit: 60, sort: 'year', order: 'asc' }],
  ['listSeries', { offset: 0, limit: 60, sort: 'added', order: 'asc', q: 'series' }],
  ['listFolder', ''],
  ['listFolder', 'Pub 0'],
  ['listFolder', 'Nope'],
  ['home'],
  ['targetOf', { ids: [1, 2, 50, 100] }],
  ['targetOf', { series: 'series-2' }],
  ['targetOf', { folder: 'Pub 1' }],
  ['targetOf', { ids: [1, 123456] }],
];

async function settle(reads: CacheReads, call: Call): Promise<{ value: unknown } | { error: { code: string; message: string } }> {
  const [name, ...args] = call;
  try {
    return { value: await reads.call(name, ...(args as ReadArgs<typeof name>)) };
  } catch (err) {
    return { error: { code: err instanceof LongboxError ? err.code : 'not a LongboxError', message: (err as Error).message } };
  }
}

describe('reader threads', () => {
  it('answer every read exactly as the in-thread reads do (rows, totals, user state, errors and their codes)', async () => {
    const threads = pool();
    await threads.whenReady();
    expect(threads.readyThreads).toBe(2);
    for (const call of CALLS) {
      const expected = await settle(inThread, call);
      const actual = await settle(threads, call);
      expect(actual, JSON.stringify(call)).toEqual(expected);
    }
    // The set really exercises answers and errors (a table that returned nothing would pass otherwise).
    const outcomes = await Promise.all(CALLS.map((c) => settle(threads, c)));
    expect(outcomes.filter((o) => 'error' in o).map((o) => ('error' in o ? o.error.code : ''))).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
    const home = await threads.call('home');
    expect(home.continue.length).toBeGreaterThan(0);
    expect(home.continue[0]?.lastPage).toBe(3);
  });

  it('see the user state written on the main thread by the next read', async () => {
    const threads = pool({ size: 1 });
    await threads.whenReady();
    const unreadBefore = (await threads.call('listComics', page({ filter: { unread: true } }))).total;
    user.updateState({ fingerprint: 'fp299', root: ROOT, path: 'x', series: null, number: null }, { read: true });
    expect((await threads.call('listComics', page({ filter: { unread: true } }))).total).toBe(unreadBefore - 1);
  });

  it('answer each read from one complete generation while generations are swapped in, and the new one after', async () => {
    const threads = pool();
    await threads.whenReady();
    const sizes = new Map<number, number>([[1, 300]]);
    const answers: Array<Promise<{ generation: number; total: number; titles: string[] }>> = [];
    const ask = () => {
      for (let i = 0; i < 12; i++) {
        answers.push(
          threads
            .call('listComics', page({ sort: 'file', limit: 500 }))
            .then((a) => ({ generation: a.generation, total: a.total, titles: a.items.map((c) => c.title ?? '') })),
        );
      }
    };
    for (let generation = 2; generation <= 6; generation++) {
      ask();
      // Written synchronously here while the threads read beside it.
      const count = 300 + generation * 17;
      publish(generation, count);
      sizes.set(generation, count);
      ask();
    }
    const seen = new Set<number>();
    for (const answer of await Promise.all(answers)) {
      seen.add(answer.generation);
      expect(answer.total).toBe(sizes.get(answer.generation));
      expect(answer.titles).toHaveLength(sizes.get(answer.generation)!);
      expect(answer.titles.every((t) => t.startsWith(`g${answer.generation} `))).toBe(true);
    }
    expect(seen.size).toBeGreaterThan(1);
    const after = await threads.call('listComics', page({}));
    expect(after.generation).toBe(6);
    expect((await threads.call('listSeries', { offset: 0, limit: 10, sort: 'name', order: 'asc' })).generation).toBe(6);
  });

  it('replace a killed thread, and the reads it had in flight are answered again', async () => {
    const threads = pool();
    await threads.whenReady();
    const expected = await inThread.call('listComics', page({ q: 'title', limit: 200 }));
    const pending = Array.from({ length: 40 }, () => threads.call('listComics', page({ q: 'title', limit: 200 })));
    await threads.killThread(0);
    for (const answer of await Promise.all(pending)) expect(answer).toEqual(expected);
    expect(threads.restarts).toBe(1);
    await threads.whenReady();
    expect(threads.readyThreads).toBe(2);
    expect(await threads.call('getRow', 1)).toEqual(await inThread.call('getRow', 1));
  });

  it('fail a read that stops a thread every time with a clear error, and keep answering the others', async () => {
    const threads = pool({ faults: { exitOn: ['home'] } });
    await threads.whenReady();
    await expect(threads.call('home')).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/"home" stopped a reader thread 2 times/) });
    expect(threads.restarts).toBe(2);
    expect((await threads.call('listComics', page({}))).total).toBe(300);
  });

  it('give up on threads that cannot start and answer on the calling thread', async () => {
    const threads = pool({ dbFile: join(dir, 'missing.db') });
    await threads.whenReady();
    expect(threads.givenUp).toBe(true);
    expect((await threads.call('listComics', page({}))).total).toBe(300);
  });

  it('answer on the calling thread until a thread is ready (the first rows do not wait for the threads)', async () => {
    const threads = pool();
    expect(threads.readyThreads).toBe(0);
    expect((await threads.call('listComics', page({}))).total).toBe(300);
  });

  it('close() ends every thread and cancels the reads still waiting', async () => {
    const threads = pool();
    await threads.whenReady();
    expect(threads.liveThreads).toBe(2);
    const pending = threads.call('identities');
    const closed = threads.close();
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    await closed;
    expect(threads.liveThreads).toBe(0);
    await expect(threads.call('home')).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('defaultReadThreads', () => {
  it('is one thread below 4 cores, two above, and the environment wins (0 = in-thread)', () => {
    expect(defaultReadThreads({}, 2)).toBe(1);
    expect(defaultReadThreads({}, 16)).toBe(2);
    expect(defaultReadThreads({ [READ_THREADS_ENV]: '0' }, 16)).toBe(0);
    expect(defaultReadThreads({ [READ_THREADS_ENV]: '3' }, 2)).toBe(3);
    expect(defaultReadThreads({ [READ_THREADS_ENV]: 'lots' }, 2)).toBe(1);
  });
});
