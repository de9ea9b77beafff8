import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { workerEnv } from './worker-handle.js';
import {
  applyWorkerHeapSettings,
  CACHE_KIB_ENV,
  HEAP_GROWING_ENV,
  limitRebuildDbMemory,
  MALLOC_ARENAS_ENV,
  releaseWorkerHeapSettings,
  WORKER_CACHE_KIB,
  WORKER_HEAP_GROWING_PERCENT,
  WORKER_MALLOC_ARENAS,
} from './worker-memory.js';

const cacheSizes = (db: Database.Database) => [db.pragma('cache_size', { simple: true }), db.pragma('temp.cache_size', { simple: true })];

describe('the rebuild worker memory settings', () => {
  it('sets the page cache of the main and the temp schema, or the variable’s size, or leaves SQLite’s with 0', () => {
    const db = new Database(':memory:');
    try {
      const defaults = cacheSizes(db);
      limitRebuildDbMemory(db, { [CACHE_KIB_ENV]: '0' });
      expect(cacheSizes(db)).toEqual(defaults);
      limitRebuildDbMemory(db, {});
      expect(cacheSizes(db)).toEqual([-WORKER_CACHE_KIB, -WORKER_CACHE_KIB]);
      limitRebuildDbMemory(db, { [CACHE_KIB_ENV]: '16000' });
      expect(cacheSizes(db)).toEqual([-16000, -16000]);
      limitRebuildDbMemory(db, { [CACHE_KIB_ENV]: 'lots' });
      expect(cacheSizes(db)).toEqual([-WORKER_CACHE_KIB, -WORKER_CACHE_KIB]);
    } finally {
      db.close();
    }
  });

  it('the heap growing factor: the default, V8’s own with 0', () => {
    expect(applyWorkerHeapSettings({ [HEAP_GROWING_ENV]: '0' })).toBe(0);
    expect(applyWorkerHeapSettings({})).toBe(WORKER_HEAP_GROWING_PERCENT);
    releaseWorkerHeapSettings();
  });

  it('applying the factor collects the garbage at once (so the old generation’s next limit is set under it)', async () => {
    const weak = ((): WeakRef<object> => new WeakRef({ garbage: new Array(1000).fill('x') }))();
    // A WeakRef's target stays alive until the task that made or read it ends.
    await new Promise((resolve) => setImmediate(resolve));
    applyWorkerHeapSettings({});
    releaseWorkerHeapSettings();
    expect(weak.deref()).toBeUndefined();
  });

  it('the host passes an override through the worker’s allow-listed environment, and nothing when unset', () => {
    expect(workerEnv({ PATH: '/bin', [HEAP_GROWING_ENV]: '0', [CACHE_KIB_ENV]: '16000' }, 'linux')).toMatchObject({ [HEAP_GROWING_ENV]: '0', [CACHE_KIB_ENV]: '16000' });
    const env = workerEnv({ PATH: '/bin' }, 'linux');
    expect(env[HEAP_GROWING_ENV]).toBeUndefined();
    expect(env[CACHE_KIB_ENV]).toBeUndefined();
  });

  it('the worker gets few malloc arenas on Linux (the host’s own value wins), nothing elsewhere', () => {
    expect(workerEnv({ PATH: '/bin' }, 'linux')[MALLOC_ARENAS_ENV]).toBe(String(WORKER_MALLOC_ARENAS));
    expect(workerEnv({ PATH: '/bin', [MALLOC_ARENAS_ENV]: '8' }, 'linux')[MALLOC_ARENAS_ENV]).toBe('8');
    expect(workerEnv({ PATH: '/bin' }, 'darwin')[MALLOC_ARENAS_ENV]).toBeUndefined();
  });
});
