// The real LibraryService in this process (its rebuilds in a forked worker): cold index, rescans,
// listComics latency idle and during a forced rebuild, event-loop delay, start-up to first rows,
// memory and database size.
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openLibraryService, type LibraryService } from '../electron/library/library-service.js';
import { createNodeLauncher } from '../electron/library/node-launcher.js';
import type { WorkerHandle, WorkerLauncher } from '../electron/library/worker-protocol.js';
import type { BenchLibrary } from './libraries.js';
import { childPids, procStatusBytes, startEventLoopMonitor, startRssSampler, type ControlProbe } from './proc.js';
import { measureDuringRebuild, measureIdle, queryFor, type LoopBudget, type Reader, type SearchTerms } from './queries.js';
import type { EventLoopDelay, LatencyRun, SizeResult } from './report.js';
import { median, summarize, type Summary } from './stats.js';
import { touchEvery } from './touch.js';

export interface InProcessOptions {
  library: BenchLibrary;
  dataDir: string;
  terms: SearchTerms;
  budget: LoopBudget;
  rescanRuns: number;
  startupRuns: number;
  control: ControlProbe;
  log: (line: string) => void;
}

export interface InProcessResult {
  coldIndex: Omit<SizeResult['coldIndex'], 'ratioToFloor'>;
  workerStartMs: number;
  rescan: SizeResult['rescan'];
  latency: LatencyRun;
  queries: SizeResult['queries'];
  eventLoop: { coldIndex: EventLoopDelay; controlColdIndex: EventLoopDelay | null; rebuildWithReaders: EventLoopDelay };
  startup: Summary;
  memory: { rssPeakBytes: number; workerHwmBytes: number | null; dbBytes: number };
}

/**
 * Forks the worker and waits for its `ready`, so the cold-index figure measures the engine and not
 * tsx compiling the worker's sources (the shipped app runs compiled JS and starts the worker early).
 */
export async function prestartedWorker(): Promise<{ launcher: WorkerLauncher; handle: WorkerHandle; startMs: number }> {
  const started = performance.now();
  const handle = createNodeLauncher()();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the rebuild worker did not report ready within 30 s')), 30_000);
    handle.onMessage((message) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve();
      }
    });
    handle.onExit((code, signal) => reject(new Error(`the rebuild worker exited before ready (${signal ?? code})`)));
  });
  const startMs = performance.now() - started;
  let used = false;
  return {
    handle,
    startMs,
    launcher: () => {
      if (used) return createNodeLauncher()();
      used = true;
      return handle;
    },
  };
}

function inProcessReader(service: LibraryService): Reader {
  return async (query) => {
    const page = await service.listComics(query);
    return { rows: page.items.length, total: page.total, generation: page.generation, stale: page.stale };
  };
}

function checkRebuilt(service: LibraryService, what: string): void {
  const status = service.getStatus();
  if (status.last_error) throw new Error(`${what} failed: ${status.last_error.code} ${status.last_error.message}`);
  if (!status.is_populated) throw new Error(`${what}: the cache has no generation`);
}

async function timedRefresh(service: LibraryService, what: string): Promise<number> {
  const started = performance.now();
  service.refresh('bench');
  await service.whenIdle();
  const ms = performance.now() - started;
  checkRebuilt(service, what);
  return ms;
}

export function databaseBytes(dataDir: string): number {
  let total = 0;
  for (const suffix of ['', '-wal', '-shm']) {
    const file = join(dataDir, `library.db${suffix}`);
    if (existsSync(file)) total += statSync(file).size;
  }
  return total;
}

/** Only a cold index on an empty data dir (for the dropped-page-cache figure). */
export async function measureIndexOnly(library: BenchLibrary, dataDir: string, beforeOpen?: () => void): Promise<{ ms: number; workerMs: number | null }> {
  rmSync(dataDir, { recursive: true, force: true });
  const worker = await prestartedWorker();
  beforeOpen?.();
  const started = performance.now();
  const service = await openLibraryService({ root: library.root, dataDir, watch: false, launcher: worker.launcher });
  try {
    await service.whenIdle();
    const ms = performance.now() - started;
    checkRebuilt(service, 'cold index');
    return { ms, workerMs: service.getStatus().last_duration_ms };
  } finally {
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function measureInProcess(options: InProcessOptions): Promise<InProcessResult> {
  const { library, dataDir, terms, budget, log } = options;
  rmSync(dataDir, { recursive: true, force: true });

  // 1. Cold index.
  const worker = await prestartedWorker();
  await options.control.begin();
  const rss = startRssSampler();
  const eldCold = startEventLoopMonitor();
  const coldStarted = performance.now();
  const service = await openLibraryService({ root: library.root, dataDir, watch: false, launcher: worker.launcher });
  let coldIndex: InProcessResult['coldIndex'];
  let rescan: SizeResult['rescan'];
  let latency: LatencyRun;
  let eldReaders: EventLoopDelay;
  let queries: SizeResult['queries'];
  let eventLoopCold: EventLoopDelay;
  let controlCold: EventLoopDelay | null;
  let workerHwmBytes: number | null = null;
  try {
    await service.whenIdle();
    const coldMs = performance.now() - coldStarted;
    eventLoopCold = eldCold.stop();
    controlCold = await options.control.end();
    checkRebuilt(service, 'cold index');
    const status = service.getStatus();
    coldIndex = {
      ms: coldMs,
      workerMs: status.last_duration_ms,
      filesPerSecond: status.file_count / (coldMs / 1000),
      fileCount: status.file_count,
      errorCount: status.error_count,
    };
    log(`cold index ${coldMs.toFixed(0)} ms (worker ${status.last_duration_ms} ms), ${status.file_count} rows, ${status.error_count} errors`);

    // 2. Rescans: nothing changed, then 1 % of the files touched.
    const noChangeRuns: number[] = [];
    for (let i = 0; i < options.rescanRuns; i++) noChangeRuns.push(await timedRefresh(service, 'no-change rescan'));
    const touchedFiles = touchEvery(library.root, library.paths, 100);
    const touched1pctMs = await timedRefresh(service, '1% rescan');
    rescan = { noChangeMs: median(noChangeRuns)!, noChangeRunsMs: noChangeRuns, touched1pctMs, touchedFiles };
    log(`no-change rescan ${noChangeRuns.map((m) => m.toFixed(0)).join(', ')} ms; ${touchedFiles} touched: ${touched1pctMs.toFixed(0)} ms`);

    // 3. Latency idle.
    const reader = inProcessReader(service);
    const total = status.file_count;
    const idle = await measureIdle(reader, total, terms, budget);
    queries = { common: { q: terms.common, total: idle.totals.search_common }, rare: { q: terms.rare, total: idle.totals.search_rare } };

    // 4. Latency during a forced rebuild: every file touched, so the worker opens and lists all of them
    //    (their metadata is reused when the listing is unchanged: enrich-signature.ts).
    touchEvery(library.root, library.paths, 1);
    let rebuilding = true;
    const eld = startEventLoopMonitor();
    const rebuildStarted = performance.now();
    service.refresh('bench');
    const idleAgain = service.whenIdle().then(() => {
      rebuilding = false;
      return performance.now() - rebuildStarted;
    });
    const during = await measureDuringRebuild(reader, total, terms, () => rebuilding);
    const rebuildMs = await idleAgain;
    eldReaders = eld.stop();
    checkRebuilt(service, 'forced rebuild');
    latency = { idle: idle.latency, duringRebuild: during.latency, rebuildMs, staleSeen: during.staleSeen, generationsSeen: during.generationsSeen };
    log(`forced rebuild ${rebuildMs.toFixed(0)} ms with readers (${during.latency.page_first.count * 4} queries; generations ${during.generationsSeen.join('→')})`);

    const workerPid = worker.handle.pid ?? childPids(process.pid)[0];
    if (workerPid !== undefined) workerHwmBytes = procStatusBytes(workerPid, 'VmHWM');
  } catch (err) {
    await service.close().catch(() => {});
    rss.stop();
    throw err;
  }
  await service.close();
  const rssPeakBytes = rss.stop();

  // 5. Start-up on the built cache: open + first page (the start-up rebuild runs as in the app).
  const startups: number[] = [];
  for (let i = 0; i < options.startupRuns; i++) {
    const started = performance.now();
    const again = await openLibraryService({ root: library.root, dataDir, watch: false });
    try {
      const page = await again.listComics(queryFor('page_first', coldIndex.fileCount, terms));
      startups.push(performance.now() - started);
      if (page.items.length === 0) throw new Error('start-up: the first page has no rows');
      await again.whenIdle();
    } finally {
      await again.close();
    }
  }
  log(`start-up to first rows: ${startups.map((m) => m.toFixed(0)).join(', ')} ms`);
  return {
    coldIndex,
    workerStartMs: worker.startMs,
    rescan,
    latency,
    queries,
    eventLoop: { coldIndex: eventLoopCold, controlColdIndex: controlCold, rebuildWithReaders: eldReaders },
    startup: summarize(startups),
    memory: { rssPeakBytes, workerHwmBytes, dbBytes: databaseBytes(dataDir) },
  };
}
