// Profiles one rebuild in this process (runRebuild, no worker), phase by phase, with the V8 CPU profiler
// running only around the measured rebuild:
//   npx tsx bench/profile-rebuild.ts [--files 20000] [--mode cold|no-change|touch1|forced|reread] [--out .tmp/rebuild.cpuprofile|none] [--delta-max-share 0.05]
// (`forced` is the bench's: every file touched, metadata reused where the listing is unchanged; `reread`:
// the same with `force`, every file read in full; --delta-max-share 0 forces the full write, to compare it with a delta generation; --out none: no CPU
// profiler, for memory figures). The heap setting is the worker's (worker-entry.ts: from the enriching
// phase on, for a pass that reads ≥ HEAP_LIMIT_MIN_FILES), and the memory is printed per phase
// (bench/memory-sampler.ts: peak RSS and what it consisted of) with the process's VmHWM at the end;
// LONGBOX_PROFILE_GC=1: a full GC at each phase change, so the phase's starting heap is what is live.
//   npx tsx bench/profile-summary.ts .tmp/rebuild.cpuprofile 30
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { RebuildPhase } from '../shared/types.js';
import { runRebuild, type RebuildResult } from '../electron/library/rebuild-job.js';
import { ensureLibrary } from './libraries.js';
import { rawWalk, tailReadAll } from './baselines.js';
import { touchEvery } from './touch.js';
import { MemorySampler } from './memory-sampler.js';
import { applyWorkerHeapSettings, HEAP_LIMIT_MIN_FILES, releaseWorkerHeapSettings } from '../electron/library/worker-memory.js';
import { procStatusBytes } from './proc.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      files: { type: 'string', default: '20000' },
      mode: { type: 'string', default: 'cold' },
      concurrency: { type: 'string', default: '16' },
      out: { type: 'string', default: '.tmp/rebuild.cpuprofile' },
      'delta-max-share': { type: 'string' },
    },
  });
  const mode = values.mode;
  if (mode !== 'cold' && mode !== 'no-change' && mode !== 'touch1' && mode !== 'forced' && mode !== 'reread') throw new Error('--mode: cold, no-change, touch1, forced or reread');
  const library = await ensureLibrary(REPO_ROOT, Number(values.files));
  // Warm the page cache as the bench does, so the profile shows CPU, not the disk.
  const walked = rawWalk(library.root);
  await tailReadAll(walked.files, walked.sizes, 16);
  const dir = mkdtempSync(join(os.tmpdir(), 'longbox-profile-'));
  const dbPath = join(dir, 'library.db');
  const rebuild = (onProgress?: (phase: RebuildPhase, done: number, total: number) => void, force = false): Promise<RebuildResult> =>
    runRebuild({ root: library.root, dbPath, options: { concurrency: Number(values.concurrency), maxFileMs: 30_000, force }, ...(onProgress ? { onProgress } : {}), ...(values['delta-max-share'] !== undefined ? { deltaMaxShare: Number(values['delta-max-share']) } : {}) });
  // As the worker does (worker-entry.ts): V8's heap factor 1.2 from the enriching phase on for a pass
  // that reads many files, released when the rebuild ends.
  const workerHeap = (onProgress?: (phase: RebuildPhase, done: number, total: number) => void) => {
    let checked = false;
    return (phase: RebuildPhase, done: number, total: number) => {
      if (phase === 'enriching' && !checked) {
        checked = true;
        if (total - done >= HEAP_LIMIT_MIN_FILES) applyWorkerHeapSettings();
      }
      onProgress?.(phase, done, total);
    };
  };
  try {
    if (mode !== 'cold') {
      await rebuild(workerHeap()).finally(releaseWorkerHeapSettings);
      if (mode === 'touch1') touchEvery(library.root, library.paths, 100);
      // The bench's forced rebuild: every file's mtime changes, so every file is opened again.
      if (mode === 'forced' || mode === 'reread') touchEvery(library.root, library.paths, 1);
    }
    const profiling = values.out !== 'none';
    const session = new Session();
    if (profiling) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 500 });
      await session.post('Profiler.start');
    }
    const hwmBefore = procStatusBytes(process.pid, 'VmHWM');
    const memory = new MemorySampler({ gcAtPhases: process.env.LONGBOX_PROFILE_GC === '1' });
    memory.start('start');
    const phases: Array<{ phase: RebuildPhase; at: number }> = [];
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    const result = await rebuild(
      workerHeap((phase) => {
        if (phases[phases.length - 1]?.phase !== phase) {
          phases.push({ phase, at: performance.now() - started });
          memory.phase(phase);
        }
      }),
      mode === 'reread',
    );
    const end = performance.now() - started;
    const cpu = process.cpuUsage(cpuStart);
    memory.stop();
    releaseWorkerHeapSettings();
    if (profiling) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      mkdirSync(dirname(resolve(values.out)), { recursive: true });
      writeFileSync(values.out, JSON.stringify(profile));
    }
    process.stdout.write(
      `${mode} rebuild of ${result.fileCount} files: ${result.durationMs} ms (${Math.round(result.fileCount / (result.durationMs / 1000))} files/s), ` +
        `CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, ${JSON.stringify(result.stats)}\n`,
    );
    phases.forEach((p, i) => {
      const next = phases[i + 1]?.at ?? end;
      process.stdout.write(`  ${p.phase.padEnd(10)} ${(next - p.at).toFixed(0).padStart(7)} ms\n`);
    });
    process.stdout.write(memory.report());
    const mbOf = (b: number | null) => (b === null ? '?' : `${(b / 1024 ** 2).toFixed(0)} MB`);
    process.stdout.write(`VmHWM ${mbOf(hwmBefore)} before this rebuild (warm-up${mode === 'cold' ? '' : ' and the first rebuild'}), ${mbOf(procStatusBytes(process.pid, 'VmHWM'))} after; load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
    if (profiling) process.stdout.write(`profile written to ${values.out}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
