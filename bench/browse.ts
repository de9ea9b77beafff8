// npx tsx bench/browse.ts [--files 20000,100000] [--iterations 200] [--data-home DIR]
// The browse figures alone (bench/measure-browse.ts: series, a series' issues, folders, Home and a page of
// comics; reader threads and in-thread reads; idle and during a rebuild; in process and over HTTP), on
// the bench libraries, without the rest of `npm run bench` (which runs the same measure at every size).
// --data-home reuses (and keeps) a data home whose caches are already built, e.g. one `longbox serve
// --data-dir DIR` built; without it each size builds its cache in a temporary one first.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { libraryDataDir } from '../electron/library/data-dir.js';
import { openLibraryService } from '../electron/library/library-service.js';
import { BENCH_SEED, ensureLibrary } from './libraries.js';
import { measureBrowse } from './measure-browse.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function log(line: string): void {
  process.stderr.write(`[browse ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { files: { type: 'string', default: '20000' }, iterations: { type: 'string', default: '200' }, 'data-home': { type: 'string' } } });
  const iterations = Number(values.iterations);
  const lines: string[] = [`load average at start ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.availableParallelism()} cores)`];
  for (const files of values.files.split(',').map(Number)) {
    const library = await ensureLibrary(REPO_ROOT, files, BENCH_SEED);
    const kept = values['data-home'];
    const dataHome = kept !== undefined ? resolve(kept) : mkdtempSync(join(os.tmpdir(), 'longbox-browse-'));
    try {
      const dataDir = libraryDataDir(dataHome, library.root);
      const started = performance.now();
      const service = await openLibraryService({ root: library.root, dataDir, watch: false, prefetchCovers: false });
      await service.whenIdle();
      await service.close();
      log(`${files}: cache built in ${((performance.now() - started) / 1000).toFixed(1)} s (not timed below)`);
      lines.push(`load average before ${files}: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
      lines.push(...(await measureBrowse({ library, dataDir, iterations, log })));
    } finally {
      if (kept === undefined) rmSync(dataHome, { recursive: true, force: true });
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`browse bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
