// The rebuild worker's memory settings (issue 16.2: the worker's peak bounded, bench/README.md "Worker
// memory"). Two levers, each switchable by an environment variable for A/B runs (the host passes them
// through the worker's allow-listed environment, worker-launch.ts / node-launcher.ts):
// - V8's heap growing factor. By default V8 lets the old generation grow to a multiple (up to ≈ 4×) of
//   what survived the last full GC before it collects again. A rebuild promotes a steady stream of
//   short-lived objects (rows waiting for their batch, parsed XML, tail buffers), so the heap peaked at
//   a multiple of the live walk + plan and grew with the library. With a factor of 1 + P/100 the old
//   generation stays near its live size, from the enriching phase on, for more full GCs: 1.5 with a full
//   GC when it is applied (below) kept the 100k forced rebuild's heap at ≤ 100 MB for no more CPU than
//   1.2 had without that GC; 1.2 with it bounded the heap ≈ 20 MB lower but cost ≈ 15–30 % more CPU
//   (bench/README.md "Issue 16.2: compact walk and plan").
// - SQLite's page cache of the worker's connection (better-sqlite3's default is 16 MB, main and temp
//   schema each); the writer appends in walk order and its sorts spill to temp files beyond it.
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Db } from './store/db.js';

/** `--heap-growing-percent` for the worker's isolate (0 = V8's own heuristics). */
export const WORKER_HEAP_GROWING_PERCENT = 50;
export const HEAP_GROWING_ENV = 'LONGBOX_WORKER_HEAP_GROWING';
/**
 * glibc's malloc arenas for the worker process (Linux). By default glibc gives threads up to 8 arenas
 * per core, and the worker runs many threads that allocate natively (the main thread's SQLite and
 * Buffers, 16 libuv threads, the WASM format thread, V8's helpers): freed memory stays in each arena,
 * ≈ 40 MB of the 100k peak (bench/README.md "Issue 16.2: compact walk and plan"). Read by glibc at
 * process start, so the host sets it in the worker's environment (worker-handle.ts workerEnv); an
 * explicit MALLOC_ARENA_MAX in the host's environment wins. Other C libraries ignore it.
 */
export const WORKER_MALLOC_ARENAS = 2;
export const MALLOC_ARENAS_ENV = 'MALLOC_ARENA_MAX';

/** Page cache of the rebuild's connection, KiB, for the main and the temp schema each. */
export const WORKER_CACHE_KIB = 4096;
export const CACHE_KIB_ENV = 'LONGBOX_WORKER_CACHE_KIB';

type Env = Readonly<Record<string, string | undefined>>;

function setting(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  return Number.isInteger(value) && value >= 0 ? value : fallback;
}

/**
 * Applies the heap setting to this isolate (V8 uses the growing factor when a full GC sets the next
 * limit, so a full GC follows at once). The worker applies it when a rebuild starts enriching and releases it when the rebuild
 * ends: the walk and the plan allocate mostly objects that stay live (their peak hardly moves with the
 * factor), and a rescan that finds nothing to read should not pay the extra full GCs.
 */
export function applyWorkerHeapSettings(env: Env = process.env): number {
  const percent = setting(env, HEAP_GROWING_ENV, WORKER_HEAP_GROWING_PERCENT);
  if (percent > 0) {
    v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
    collectGarbageNow();
  }
  return percent;
}

let fullGc: (() => void) | null = null;

/**
 * One full GC, so that the factor bounds the old generation from now on: V8 sets the old generation's
 * next limit at the end of each full GC, and in a worker that already rebuilt, the last one ran under
 * V8's own factor (released after that rebuild, or a rescan since), so its limit let the heap reach
 * ≈ 2–4× the live walk and plan before the factor ever applied (100k forced rebuild after the cold
 * index: heap used 85 → 199 MB, bench/README.md "Issue 16.2: compact walk and plan"). It costs one
 * mark of the live heap (tens of ms at 100k), only for a rebuild that reads ≥ HEAP_LIMIT_MIN_FILES.
 */
function collectGarbageNow(): void {
  if (!fullGc) {
    v8.setFlagsFromString('--expose-gc');
    fullGc = runInNewContext('gc') as () => void;
  }
  fullGc();
}

/**
 * The worker limits the heap only for a rebuild that reads at least this many files: a 1 % rescan of
 * 100k (1,001 files) ran 1.43–1.66 s with V8's factor and 1.55–1.82 s with 1.2 (bench/README.md).
 */
export const HEAP_LIMIT_MIN_FILES = 5000;

/** Back to V8's own growing factor (0 = unset). */
export function releaseWorkerHeapSettings(): void {
  v8.setFlagsFromString('--heap-growing-percent=0');
}

/** Sets the rebuild connection's page caches. */
export function limitRebuildDbMemory(db: Db, env: Env = process.env): void {
  const kib = setting(env, CACHE_KIB_ENV, WORKER_CACHE_KIB);
  if (kib === 0) return;
  db.pragma(`cache_size = -${kib}`);
  db.pragma(`temp.cache_size = -${kib}`);
}
