// Profiles one rebuild in this process (runRebuild, no worker), phase by phase, with the V8 CPU profiler
// running only around the measured rebuild:
//   npx tsx bench/profile-rebuild.ts [--files 20000] [--mode cold|no-change|touch1|forced] [--out .tmp/rebuild.cpuprofile] [--delta-max-share 0.05]
// (--delta-max-share 0 forces the full write, to compare it with a delta generation)
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
  if (mode !== 'cold' && mode !== 'no-change' && mode !== 'touch1' && mode !== 'forced') throw new Error('--mode: cold, no-change, touch1 or forced');
  const library = await ensureLibrary(REPO_ROOT, Number(values.files));
  // Warm the page cache as the bench does, so the profile shows CPU, not the disk.
  const walked = rawWalk(library.root);
  await tailReadAll(walked.files, walked.sizes, 16);
  const dir = mkdtempSync(join(os.tmpdir(), 'longbox-profile-'));
  const dbPath = join(dir, 'library.db');
  const rebuild = (onProgress?: (phase: RebuildPhase) => void): Promise<RebuildResult> =>
    runRebuild({ root: library.root, dbPath, options: { concurrency: Number(values.concurrency), maxFileMs: 30_000, force: false }, ...(onProgress ? { onProgress } : {}), ...(values['delta-max-share'] !== undefined ? { deltaMaxShare: Number(values['delta-max-share']) } : {}) });
  try {
    if (mode !== 'cold') {
      await rebuild();
      if (mode === 'touch1') touchEvery(library.root, library.paths, 100);
      // The bench's forced rebuild: every file's mtime changes, so every file is read again.
      if (mode === 'forced') touchEvery(library.root, library.paths, 1);
    }
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    const phases: Array<{ phase: RebuildPhase; at: number }> = [];
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    const result = await rebuild((phase) => {
      if (phases[phases.length - 1]?.phase !== phase) phases.push({ phase, at: performance.now() - started });
    });
    const end = performance.now() - started;
    const cpu = process.cpuUsage(cpuStart);
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    mkdirSync(dirname(resolve(values.out)), { recursive: true });
    writeFileSync(values.out, JSON.stringify(profile));
    process.stdout.write(
      `${mode} rebuild of ${result.fileCount} files: ${result.durationMs} ms (${Math.round(result.fileCount / (result.durationMs / 1000))} files/s), ` +
        `CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, ${JSON.stringify(result.stats)}\n`,
    );
    phases.forEach((p, i) => {
      const next = phases[i + 1]?.at ?? end;
      process.stdout.write(`  ${p.phase.padEnd(10)} ${(next - p.at).toFixed(0).padStart(7)} ms\n`);
    });
    process.stdout.write(`profile written to ${values.out}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
