// Browse figures (issue 13): p99 of a series shelf page, a series' issues, a folder listing and Home (and
// a page of comics, for issue 16's comparison), in process idle and while the same service rebuilds (1 %
// of the files touched, so the rebuild reads and writes a whole generation), over HTTP idle and during
// that rebuild, and what the series/folder tables add to the generation write. Every figure is taken
// twice in the same run: reads in reader threads (the default) and on the host's main thread
// (readThreads 0), with the host's event-loop delay. Reported as lines of the report's notes (bench/README.md).
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { openLibraryService, type LibraryService } from '../electron/library/library-service.js';
import { createHttpHost } from '../electron/server/http-server.js';
import { writeNextBrowseTables } from '../electron/library/store/browse-tables.js';
import { dropLeftovers, readLiveRows, readMetaNumber, writeNextGeneration } from '../electron/library/store/generation-writer.js';
import { openDatabase } from '../electron/library/store/open-database.js';
import { withGenerationFields } from '../electron/library/store/ranks.js';
import type { SeriesSummary } from '../shared/types.js';
import type { BenchLibrary } from './libraries.js';
import { percentile } from './stats.js';
import { touchEvery } from './touch.js';

type Kind = 'comics page' | 'series page' | 'series issues' | 'folder' | 'home';
const KINDS: readonly Kind[] = ['comics page', 'series page', 'series issues', 'folder', 'home'];
/** Issue 13's targets for the browse reads (p99, ms): in process, and over HTTP during a rebuild. */
const TARGET_IN_PROCESS_MS = 5;
const TARGET_HTTP_REBUILD_MS = 10;

export interface BrowseOptions {
  library: BenchLibrary;
  /** A data dir whose cache is already built (the in-process measurement leaves one). */
  dataDir: string;
  iterations: number;
  log(line: string): void;
}

function get(port: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${path}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
  });
}

type Times = Record<Kind, number[]>;

/** The bench process's own event-loop delay over a phase: in process, the bench is the host. */
function loopDelay(): { stop(): string } {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      return `host loop delay p99 ${(histogram.percentile(99) / 1e6).toFixed(1)} max ${(histogram.max / 1e6).toFixed(1)} ms`;
    },
  };
}

/**
 * One read mode (reader threads, or every read on the host's main thread: readThreads 0) measured idle
 * and during a rebuild that writes a whole generation, in process and over HTTP (a new connection per
 * request, as an outside client).
 */
async function measureMode(options: BrowseOptions, readThreads: number | undefined, label: string): Promise<string[]> {
  const { library, dataDir, iterations, log } = options;
  const service: LibraryService = await openLibraryService({
    root: library.root,
    dataDir,
    watch: false,
    rebuildOnOpen: false,
    prefetchCovers: false,
    ...(readThreads !== undefined ? { readThreads } : {}),
  });
  const host = createHttpHost({ service, library: { root: library.root, isSample: false } });
  const { port } = await host.listen(0, '127.0.0.1');
  const lines: string[] = [];
  const n = library.total;
  try {
    await service.whenIdle();
    await service.readPool?.whenReady();
    const threads = service.readPool?.readyThreads ?? 0;
    const all = (await service.listSeries({ offset: 0, limit: 500, sort: 'name', order: 'asc' })).items;
    const total = (await service.listSeries({ offset: 0, limit: 1, sort: 'name', order: 'asc' })).total;
    const series: SeriesSummary[] = all.filter((s) => s.issue_count > 1);
    // Some reading: every 5th series read, a few comics started (Continue reading / On deck have work).
    for (let i = 0; i < series.length; i += 5) await service.setReadState({ series: series[i]!.key, read: true });
    const started = await service.listComics({ offset: 0, limit: 20, sort: 'added', order: 'desc', filter: { hasError: false } });
    for (const c of started.items) await service.setUserState(c.id, { lastPage: 2 });
    const folders = (await service.listFolder('')).folders.flatMap((f) => [f.path]);
    const deeper = (await Promise.all(folders.slice(0, 5).map((f) => service.listFolder(f)))).flatMap((l) => l.folders.map((f) => f.path));
    const folderPaths = [...folders, ...deeper];
    const comics = service.getStatus().file_count;

    let i = 0;
    const offset = () => (i * 997) % Math.max(1, comics - 100);
    const inProcess: Record<Kind, () => Promise<unknown>> = {
      'comics page': () => service.listComics({ offset: offset(), limit: 100, sort: 'series', order: 'asc' }),
      'series page': () => service.listSeries({ offset: ((i * 37) % Math.max(1, total - 60)) | 0, limit: 60, sort: i % 2 ? 'name' : 'added', order: 'asc' }),
      'series issues': () => service.listComics({ offset: 0, limit: 100, sort: 'series', order: 'asc', series: series[i % series.length]!.key }),
      folder: () => service.listFolder(folderPaths[i % folderPaths.length]!),
      home: () => service.getHome(),
    };
    const overHttp: Record<Kind, () => Promise<void>> = {
      'comics page': () => get(port, `/api/comics?offset=${offset()}&limit=100`),
      'series page': () => get(port, `/api/series?offset=${(i * 37) % Math.max(1, total - 60)}&limit=60&sort=${i % 2 ? 'name' : 'added'}`),
      'series issues': () => get(port, `/api/comics?series=${encodeURIComponent(series[i % series.length]!.key)}&limit=100`),
      folder: () => get(port, `/api/folders?path=${encodeURIComponent(folderPaths[i % folderPaths.length]!)}`),
      home: () => get(port, '/api/home'),
    };
    const run = async (calls: Record<Kind, () => Promise<unknown>>, until?: () => boolean): Promise<Times> => {
      const times: Times = { 'comics page': [], 'series page': [], 'series issues': [], folder: [], home: [] };
      for (let k = 0; k < iterations && (until ? !until() : true); k++) {
        for (const kind of KINDS) {
          i++;
          const t = performance.now();
          await calls[kind]();
          times[kind].push(performance.now() - t);
        }
        // Let the event loop breathe (worker messages, SSE) as a real UI would between requests.
        await new Promise((r) => setImmediate(r));
      }
      return times;
    };
    const p99 = (times: Times, kind: Kind) => percentile(times[kind], 99) ?? NaN;
    const fmt = (times: Times) => KINDS.map((k) => `${k} p50 ${percentile(times[k], 50)?.toFixed(2)} p99 ${p99(times, k).toFixed(2)}`).join('; ');
    /** Worst p99 of the issue-13 kinds (the comics page is measured for the comparison, not the target). */
    const verdict = (times: Times, target: number) => {
      const worst = Math.max(...KINDS.filter((k) => k !== 'comics page').map((k) => p99(times, k)));
      return `worst browse p99 ${worst.toFixed(2)} ms ${worst <= target ? '≤' : '>'} ${target} ms target`;
    };
    const tag = `browse ${n} [${label}${threads > 0 ? `, ${threads} reader thread(s)` : ''}]`;

    let probe = loopDelay();
    const idle = await run(inProcess);
    lines.push(`${tag}: ${total} series; in process idle (n=${idle.home.length}, ms): ${fmt(idle)}; ${verdict(idle, TARGET_IN_PROCESS_MS)}; ${probe.stop()}`);
    probe = loopDelay();
    const idleHttp = await run(overHttp);
    lines.push(`${tag}: HTTP idle (ms): ${fmt(idleHttp)}; ${probe.stop()}`);

    // During a rebuild that writes a whole generation.
    const touched = touchEvery(library.root, library.paths, 100);
    service.refresh('bench');
    const finished = () => !service.getStatus().rebuild_in_progress;
    probe = loopDelay();
    const during = await run(inProcess, finished);
    const duringLoop = probe.stop();
    probe = loopDelay();
    const duringHttp = await run(overHttp, finished);
    const duringHttpLoop = probe.stop();
    await service.whenIdle();
    lines.push(`${tag}: in process during a rebuild (${touched} files touched, n=${during.home.length}, ms): ${fmt(during)}; ${verdict(during, TARGET_IN_PROCESS_MS)}; ${duringLoop}`);
    lines.push(`${tag}: HTTP during the rebuild (n=${duringHttp.home.length}, ms): ${fmt(duringHttp)}; ${verdict(duringHttp, TARGET_HTTP_REBUILD_MS)}; ${duringHttpLoop}`);
    log(lines.join('\n'));
  } finally {
    await host.close();
    await service.close();
  }
  return lines;
}

export async function measureBrowse(options: BrowseOptions): Promise<string[]> {
  const { library, dataDir, log } = options;
  // Both read modes in the same run, the product's default (reader threads) first.
  const lines = [...(await measureMode(options, undefined, 'reader threads')), ...(await measureMode(options, 0, 'in-thread reads'))];

  // What the series and folder tables add to writing a generation: the same rows written to a scratch
  // database with and without them.
  const source = openDatabase(join(dataDir, 'library.db'), { readonly: true });
  const rows = readLiveRows(source);
  const rebuildMs = readMetaNumber(source, 'last_duration_ms');
  source.close();
  const scratchDir = mkdtempSync(join(os.tmpdir(), 'longbox-bench-browse-'));
  try {
    const db = openDatabase(join(scratchDir, 'library.db'));
    let t = performance.now();
    writeNextGeneration(db, rows, 1);
    const withBrowse = performance.now() - t;
    dropLeftovers(db);
    const stored = withGenerationFields(rows);
    t = performance.now();
    writeNextBrowseTables(db, stored, 2);
    const browseMs = performance.now() - t;
    db.close();
    lines.push(
      `browse ${library.total}: generation write ${withBrowse.toFixed(0)} ms, of which series+folder tables ${browseMs.toFixed(0)} ms (${((browseMs / withBrowse) * 100).toFixed(1)} % of the write` +
        (rebuildMs ? `, ${((browseMs / rebuildMs) * 100).toFixed(1)} % of the last full rebuild's ${rebuildMs} ms)` : ')') +
        `; target ≤ 10 % of the rebuild: ${rebuildMs && browseMs / rebuildMs <= 0.1 ? 'met' : 'not met'}`,
    );
    log(lines[lines.length - 1]!);
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
  return lines;
}
