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

  it('one thread below 4 cores, a quarter of the cores up to 4 above, the variable overrides', () => {
    expect(defaultFormatThreads({}, 2)).toBe(1);
    expect(defaultFormatThreads({}, 8)).toBe(2);
    expect(defaultFormatThreads({}, 32)).toBe(4);
    expect(defaultFormatThreads({ [FORMAT_THREADS_ENV]: '3' }, 2)).toBe(3);
    expect(defaultFormatThreads({ [FORMAT_THREADS_ENV]: '0' }, 2)).toBe(1);
    expect(defaultFormatThreads({ [FORMAT_THREADS_ENV]: 'lots' }, 16)).toBe(4);
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
