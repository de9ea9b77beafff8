// What the rebuild's memory consists of, phase by phase: runRebuild in this process (as the worker runs
// it, without the worker's IPC), process.memoryUsage() sampled every 20 ms and at every phase change;
// per phase the peak RSS, JS heap used, external, and what the RSS consisted of at its peak: V8's
// committed heap (young / old generation), external (Buffers, ArrayBuffers, WASM memories of this
// isolate), and the rest (SQLite's page caches and sorters, malloc, code, other threads' isolates).
// Then rebuilds again (every file touched) in the same process: what stays behind.
//   node --expose-gc --import tsx bench/memory-phases.ts [--files 20000] [--rebuilds 3] [--threads 0]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { closeWasmWorker } from '../electron/library/archive/wasm-worker.js';
import { runRebuild } from '../electron/library/rebuild-job.js';
import { applyWorkerHeapSettings, HEAP_GROWING_ENV, HEAP_LIMIT_MIN_FILES, releaseWorkerHeapSettings, WORKER_CACHE_KIB, WORKER_HEAP_GROWING_PERCENT } from '../electron/library/worker-memory.js';
import { openDatabase } from '../electron/library/store/open-database.js';
import { ensureLibrary } from './libraries.js';
import { touchEvery } from './touch.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MB = 1024 ** 2;

interface Peak {
  rss: number;
  heapUsed: number;
  external: number;
  /** At the RSS peak: V8's committed heap, its young and old generation, external and ArrayBuffers. */
  atRss: { heapTotal: number; young: number; old: number; external: number; arrayBuffers: number };
}

/** Committed bytes of V8's young generation (new space) and of everything else in the heap. */
function heapSpaces(): { young: number; old: number } {
  let young = 0;
  let old = 0;
  for (const space of v8.getHeapSpaceStatistics()) {
    if (space.space_name === 'new_space' || space.space_name === 'new_large_object_space') young += space.space_size;
    else old += space.space_size;
  }
  return { young, old };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      files: { type: 'string', default: '20000' },
      rebuilds: { type: 'string', default: '3' },
      threads: { type: 'string', default: '0' },
    },
  });
  const library = await ensureLibrary(REPO_ROOT, Number(values.files));
  const dir = mkdtempSync(join(os.tmpdir(), 'longbox-memory-'));
  const dbPath = join(dir, 'library.db');
  openDatabase(dbPath).close();
  // The worker applies its heap setting from the enriching phase on (worker-entry.ts); LONGBOX_WORKER_HEAP_GROWING=0 for V8's default.
  const growing = Number(process.env[HEAP_GROWING_ENV] ?? WORKER_HEAP_GROWING_PERCENT);
  const gc = (globalThis as { gc?: () => void }).gc;
  const mb = (b: number) => (b / MB).toFixed(0);
  const fmt = (p: Peak) =>
    `rss ${mb(p.rss)} MB, heap ${mb(p.heapUsed)} MB, external ${mb(p.external)} MB` +
    ` | at the rss peak: V8 heap ${mb(p.atRss.heapTotal)} (young ${mb(p.atRss.young)}, old ${mb(p.atRss.old)}), external ${mb(p.atRss.external)} (ArrayBuffers ${mb(p.atRss.arrayBuffers)}), rest ${mb(p.rss - p.atRss.heapTotal - p.atRss.external)} MB`;
  const sample = (): Peak => {
    const m = process.memoryUsage();
    return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, atRss: { heapTotal: m.heapTotal, ...heapSpaces(), external: m.external, arrayBuffers: m.arrayBuffers } };
  };
  gc?.();
  process.stdout.write(`load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; heap growing percent ${growing || 'V8 default'} (from the enriching phase on), SQLite cache ${process.env.LONGBOX_WORKER_CACHE_KIB ?? WORKER_CACHE_KIB} KiB; before: ${fmt(sample())}\n`);
  try {
    for (let i = 0; i < Number(values.rebuilds); i++) {
      if (i > 0) touchEvery(library.root, library.paths, 1);
      const peaks = new Map<string, Peak>();
      let phase = 'start';
      const note = () => {
        const s = sample();
        const p = peaks.get(phase);
        if (!p) return void peaks.set(phase, s);
        peaks.set(phase, { rss: Math.max(p.rss, s.rss), heapUsed: Math.max(p.heapUsed, s.heapUsed), external: Math.max(p.external, s.external), atRss: s.rss > p.rss ? s.atRss : p.atRss });
      };
      const timer = setInterval(note, 20);
      const started = performance.now();
      const cpuStart = process.cpuUsage();
      const result = await runRebuild({
        root: library.root,
        dbPath,
        options: { concurrency: 16, maxFileMs: 30_000, force: false, enrichThreads: Number(values.threads) },
        onProgress: (next, done, total) => {
          if (next === 'enriching' && phase !== 'enriching' && total - done >= HEAP_LIMIT_MIN_FILES) applyWorkerHeapSettings();
          note();
          if (next !== phase) {
            phase = next;
            note();
          }
        },
      });
      clearInterval(timer);
      note();
      // As the worker does after each rebuild (worker-entry.ts; the format worker once it idles 30 s).
      releaseWorkerHeapSettings();
      await closeWasmWorker();
      const ms = performance.now() - started;
      const cpu = process.cpuUsage(cpuStart);
      process.stdout.write(
        `rebuild ${i + 1}: ${result.fileCount} files in ${ms.toFixed(0)} ms, CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (load ${os.loadavg()[0]!.toFixed(1)})\n`,
      );
      for (const [name, p] of peaks) process.stdout.write(`  ${name.padEnd(10)} peak ${fmt(p)}\n`);
      gc?.();
      process.stdout.write(`  after, gc'd: ${fmt(sample())}, arrayBuffers ${(process.memoryUsage().arrayBuffers / MB).toFixed(0)} MB\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
