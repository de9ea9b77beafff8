// npm run bench -- [--files 2000,20000,100000] [--out bench-results/latest.json] [--quick] [--seed N] [--no-http] [--cold]
// Measures responsiveness, rebuild throughput and memory against the machine's own floors and the
// targets of docs/architecture.md §8; prints a table and writes a JSON report. See bench/README.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { libraryDataDir } from '../electron/library/data-dir.js';
import { bulkInsert, pageCacheResidency, rawWalk, tailReadAll, tryDropCaches, warmWholeFiles } from './baselines.js';
import { BENCH_SEED, ensureLibrary } from './libraries.js';
import { measureCovers } from './measure-covers.js';
import { hostIsBuilt, measureHttp } from './measure-http.js';
import { measurePages } from './measure-pages.js';
import { measureBrowse } from './measure-browse.js';
import { measureWorkerGrowth } from './measure-worker-growth.js';
import { measureIndexOnly, measureInProcess } from './measure-service.js';
import { startControlProbe } from './proc.js';
import { pickSearchTerms, type LoopBudget } from './queries.js';
import { REPORT_SCHEMA_VERSION, formatReport, writeReport, type BenchReport, type MachineInfo, type SizeResult, type StepError } from './report.js';
import { median, minimum } from './stats.js';
import { evaluateTargets } from './targets.js';

const USAGE = 'usage: npm run bench -- [--files 2000,20000,100000] [--out bench-results/latest.json] [--quick] [--seed N] [--no-http] [--cold]';
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface CliOptions {
  sizes: number[];
  out: string;
  quick: boolean;
  seed: number;
  http: boolean;
  /** Also measure floor and index with the page cache dropped (root only; slow, and it empties every process's cache). */
  cold: boolean;
}

function parseCli(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      files: { type: 'string' },
      out: { type: 'string' },
      quick: { type: 'boolean', default: false },
      seed: { type: 'string' },
      'no-http': { type: 'boolean', default: false },
      cold: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const quick = values.quick === true;
  const sizes = (values.files ?? (quick ? '2000' : '2000,20000')).split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n < 100) throw new Error(`--files: expected sizes ≥ 100, got "${s}"\n${USAGE}`);
    return n;
  });
  if (quick && sizes.some((n) => n > 2000)) throw new Error(`--quick runs 2,000 files only\n${USAGE}`);
  const seed = values.seed === undefined ? BENCH_SEED : Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed: expected an integer\n${USAGE}`);
  return { sizes, out: resolve(values.out ?? 'bench-results/latest.json'), quick, seed, http: values['no-http'] !== true, cold: values.cold === true };
}

function log(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

/** Runs one bench step; a step that throws is recorded in `errors` (and logged) and yields null. */
async function step<T>(errors: StepError[], name: string, files: number | null, work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    errors.push({ step: name, files, message });
    log(`step "${name}"${files ? ` @ ${files}` : ''} FAILED (the rest of the run goes on): ${message}`);
    return null;
  }
}

/** One worker over this many rebuilds, at sizes up to WORKER_GROWTH_MAX_FILES (8 × a 100k rebuild is too long). */
const WORKER_GROWTH_REBUILDS = 8;
const WORKER_GROWTH_MAX_FILES = 20_000;

function packageVersion(name: string): string | null {
  try {
    return (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function machineInfo(): MachineInfo {
  const db = new Database(':memory:');
  const sqlite = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  db.close();
  const head = git(['rev-parse', 'HEAD']);
  const dirty = git(['status', '--porcelain']);
  return {
    hostname: os.hostname(),
    platform: `${os.platform()} ${os.arch()}`,
    kernel: os.release(),
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryBytes: os.totalmem(),
    node: process.versions.node,
    electron: packageVersion('electron'),
    sqlite,
    betterSqlite3: packageVersion('better-sqlite3') ?? 'unknown',
    sharp: sharp.versions.sharp ?? packageVersion('sharp'),
    libvips: sharp.versions.vips ?? null,
    gitHead: head && /^[0-9a-f]{40}$/.test(head) ? head : null,
    gitDirty: dirty === null ? null : dirty.length > 0,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** `node -e ""` spawn → exit: what any host start costs before it runs a line of Longbox. */
function nodeStartMs(runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
    times.push(performance.now() - started);
  }
  return median(times)!;
}

async function measureSize(files: number, cli: CliOptions, notes: string[], errors: StepError[], dropCaches: boolean): Promise<SizeResult> {
  const loadStart = os.loadavg();
  log(`--- ${files.toLocaleString('en-US')} files ---`);
  let lastShown = 0;
  const library = await ensureLibrary(REPO_ROOT, files, cli.seed, (done, total) => {
    if (done - lastShown >= 5000 || done === total) {
      lastShown = done;
      log(`generating library: ${done}/${total} (not timed)`);
    }
  });
  log(`library ${library.root}: ${library.total} files, ${(library.bytes / 1024 ** 3).toFixed(2)} GB${library.generatedNow ? `, generated in ${(library.generationMs / 1000).toFixed(0)} s` : ' (cached)'}`);

  // Baselines: best of a few runs (a floor is the best this machine does).
  const runs = cli.quick ? 2 : files >= 100_000 ? 2 : 3;
  const walkRuns: number[] = [];
  const tailRuns: number[] = [];
  const insertRuns: number[] = [];
  let tailFailures = 0;
  // One untimed pass first, so every timed figure of this size starts from the same warm page cache.
  let walked = rawWalk(library.root);
  // Whole files, not just the tails the floor reads: the index reads heads and ComicInfo.xml too.
  const warmMs = await warmWholeFiles(walked.files);
  await tailReadAll(walked.files, walked.sizes, 16);
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    walked = rawWalk(library.root);
    walkRuns.push(performance.now() - started);
    const tails = await tailReadAll(walked.files, walked.sizes, 16);
    tailRuns.push(tails.ms);
    tailFailures = tails.failures;
    insertRuns.push(bulkInsert(library.paths));
  }
  if (walked.files.length !== library.total) notes.push(`${files}: the raw walk found ${walked.files.length} files, the generator wrote ${library.total}`);
  const walkMs = minimum(walkRuns)!;
  const tailReadMs = minimum(tailRuns)!;
  const insertMs = minimum(insertRuns)!;
  const floorMs = walkMs + tailReadMs + insertMs;
  log(`floor ${floorMs.toFixed(0)} ms = walk ${walkMs.toFixed(0)} + tail reads ${tailReadMs.toFixed(0)} + insert ${insertMs.toFixed(0)}`);

  const terms = pickSearchTerms(library.paths);
  const budget: LoopBudget = cli.quick ? { maxIterations: 100, maxMs: 800 } : { maxIterations: 400, maxMs: 3000 };
  // What the page cache holds of the library right before the cold index (fincore, a sample of files).
  const residentBeforeIndex = pageCacheResidency(walked.files);
  log(`page cache: warmed in ${(warmMs / 1000).toFixed(1)} s; ${residentBeforeIndex === null ? 'residency unknown (no fincore)' : `${(residentBeforeIndex * 100).toFixed(1)} % of the library's bytes resident before the index`}`);
  const dataHome = mkdtempSync(join(os.tmpdir(), 'longbox-bench-data-'));
  const control = await startControlProbe(REPO_ROOT);
  try {
    const dataDir = libraryDataDir(dataHome, library.root);
    const inProcess = await measureInProcess({
      library,
      dataDir,
      terms,
      budget,
      rescanRuns: cli.quick ? 2 : 3,
      startupRuns: cli.quick ? 2 : 3,
      control,
      log,
    });
    let http: Awaited<ReturnType<typeof measureHttp>> | null = null;
    if (cli.http && hostIsBuilt(REPO_ROOT)) {
      http = await step(errors, 'HTTP host', files, () => measureHttp({ repoRoot: REPO_ROOT, library, dataHome, terms, budget, startupRuns: cli.quick ? 2 : 3, control, log }));
    } else if (cli.http && !notes.some((n) => n.startsWith('HTTP'))) {
      notes.push('HTTP figures skipped: out/electron/server/cli.js is missing (run `npm run build` first)');
    }
    // Series, folders, Home and bulk state (issue 13): figures as notes, see bench/README.md.
    notes.push(...((await step(errors, 'browse queries', files, () => measureBrowse({ library, dataDir, iterations: cli.quick ? 30 : 200, log }))) ?? []));
    const workerGrowth =
      files <= WORKER_GROWTH_MAX_FILES && !cli.quick
        ? await step(errors, `worker over ${WORKER_GROWTH_REBUILDS} rebuilds`, files, () =>
            measureWorkerGrowth(library, join(dataHome, 'growth'), WORKER_GROWTH_REBUILDS, log),
          )
        : null;
    let coldCache: SizeResult['coldCache'] = null;
    if (dropCaches) {
      // Last, so the warm figures above are not disturbed: floor and index from a dropped page cache.
      tryDropCaches();
      const started = performance.now();
      const coldWalk = rawWalk(library.root);
      const coldWalkMs = performance.now() - started;
      const coldTails = await tailReadAll(coldWalk.files, coldWalk.sizes, 16);
      const coldFloorMs = coldWalkMs + coldTails.ms + insertMs;
      const index = await measureIndexOnly(library, join(dataHome, 'cold-cache'), () => tryDropCaches());
      coldCache = {
        walkMs: coldWalkMs,
        tailReadMs: coldTails.ms,
        floorMs: coldFloorMs,
        indexMs: index.ms,
        workerMs: index.workerMs,
        filesPerSecond: library.total / (index.ms / 1000),
        ratioToFloor: index.ms / coldFloorMs,
      };
      log(`dropped page cache: floor ${coldFloorMs.toFixed(0)} ms (walk ${coldWalkMs.toFixed(0)}, tail reads ${coldTails.ms.toFixed(0)}); index ${index.ms.toFixed(0)} ms`);
    }
    return {
      files,
      total: library.total,
      broken: library.broken,
      bytes: library.bytes,
      libraryRoot: library.root,
      baselines: { walkMs, walkRunsMs: walkRuns, tailReadMs, tailReadRunsMs: tailRuns, tailReadFailures: tailFailures, insertMs, insertRunsMs: insertRuns, floorMs },
      coldIndex: { ...inProcess.coldIndex, ratioToFloor: inProcess.coldIndex.ms / floorMs },
      coldCache,
      rescan: inProcess.rescan,
      latency: { inProcess: inProcess.latency, http: http?.latency ?? null },
      eventLoop: {
        inProcessColdIndex: inProcess.eventLoop.coldIndex,
        inProcessRebuildWithReaders: inProcess.eventLoop.rebuildWithReaders,
        httpHostRebuild: http?.eventLoop ?? null,
        controlColdIndex: inProcess.eventLoop.controlColdIndex,
        controlHttpRebuild: http?.controlEventLoop ?? null,
      },
      startup: {
        inProcessFirstRows: inProcess.startup,
        httpSpawnToListening: http?.spawnToListening ?? null,
        httpSpawnToFirstRows: http?.spawnToFirstRows ?? null,
      },
      memory: {
        inProcessHostRssPeakBytes: inProcess.memory.rssPeakBytes,
        inProcessWorkerHwmBytes: inProcess.memory.workerHwmBytes,
        httpHostHwmBytes: http?.hostHwmBytes ?? null,
        httpWorkerHwmBytes: http?.workerHwmBytes ?? null,
        dbBytes: inProcess.memory.dbBytes,
        workerGrowth,
      },
      loadAverage: { start: loadStart, end: os.loadavg() },
      pageCache: { warmMs, residentBeforeIndex },
      queries: inProcess.queries,
    };
  } finally {
    control.stop();
    rmSync(dataHome, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const cli = parseCli(process.argv.slice(2));
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  const notes: string[] = [];
  const cache = cli.cold
    ? tryDropCaches()
    : { attempted: false, worked: false, note: 'WARM page cache for every figure (run with --cold to add dropped-cache floor and index figures)' };
  log(cache.note);
  if (cli.cold && cache.worked) cache.note = 'WARM page cache for every figure except the "dropped page cache" rows (echo 3 > /proc/sys/vm/drop_caches worked)';
  const nodeStart = nodeStartMs(5);
  const errors: StepError[] = [];
  const sizes: SizeResult[] = [];
  for (const files of cli.sizes) {
    const size = await step(errors, 'library size', files, () => measureSize(files, cli, notes, errors, cache.worked));
    if (size) sizes.push(size);
  }
  log('--- cover thumbnails ---');
  const covers = await step(errors, 'cover thumbnails', null, () => measureCovers({ thumbnails: cli.quick ? 24 : 60, log }));
  let pages: BenchReport['pages'] = null;
  if (cli.http && hostIsBuilt(REPO_ROOT)) {
    log('--- page requests over HTTP ---');
    pages = await step(errors, 'page requests over HTTP', null, () => measurePages({ repoRoot: REPO_ROOT, quick: cli.quick, log }));
  }
  notes.push('in-process figures come from the bench process itself (it also ran the baselines): its RSS includes them; the HTTP host VmHWM is the clean host figure');
  notes.push('cold index is timed from openLibraryService with the worker already forked and ready (tsx compiling the worker sources is not part of the engine)');
  const partial = { sizes, covers, nodeStartMs: nodeStart };
  const report: BenchReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    startedAt,
    finishedAt: new Date().toISOString(),
    durationMs: performance.now() - started,
    options: { sizes: cli.sizes, quick: cli.quick, seed: cli.seed, http: cli.http, cold: cli.cold },
    machine,
    pageCache: { dropAttempted: cache.attempted, dropWorked: cache.worked, note: cache.note },
    nodeStartMs: nodeStart,
    sizes,
    covers,
    pages,
    targets: evaluateTargets(partial),
    notes,
    errors,
  };
  writeReport(cli.out, report);
  process.stdout.write(`${formatReport(report)}\n\nreport written to ${cli.out}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
