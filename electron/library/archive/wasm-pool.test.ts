// The format-thread pool: its size per machine, and requests spread over its threads with the same
// answers as one thread gives.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultFormatThreads, FORMAT_THREADS_ENV, WasmWorkerPool } from './wasm-worker.js';

const entries = [{ name: 'ComicInfo.xml', data: new TextEncoder().encode('<ComicInfo><Series>Saga</Series></ComicInfo>') }];

describe('WasmWorkerPool', () => {
  let pool: WasmWorkerPool | null = null;
  afterEach(async () => {
    await pool?.close();
    pool = null;
  });

  it.each([
    [{}, 2, 1],
    [{}, 8, 2],
    [{}, 32, 4],
    [{ [FORMAT_THREADS_ENV]: '3' }, 2, 3],
    [{ [FORMAT_THREADS_ENV]: '0' }, 2, 1],
    [{ [FORMAT_THREADS_ENV]: 'lots' }, 16, 4],
  ])('threads for env %o on %i cores: %i (one below 4 cores, a quarter up to 4 above, the variable overrides)', (env, cores, threads) => {
    expect(defaultFormatThreads(env, cores)).toBe(threads);
  });

  it('sends each request to the thread with the fewest queued, and every answer is whole', async () => {
    pool = new WasmWorkerPool(2);
    const created = [1, 2, 3, 4].map(() => pool!.run({ op: '7z-create', entries, level: 1 }));
    expect(pool.loads).toEqual([2, 2]);
    const archives = await Promise.all(created);
    expect(pool.loads).toEqual([0, 0]);
    for (const result of archives) {
      expect(result.rc).toBe(0);
      expect(Buffer.from(result.archive).subarray(0, 2).toString('latin1')).toBe('7z');
    }
  });
});
