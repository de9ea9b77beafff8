// Browse figures (issue 13): p99 of a series shelf page, a series' issues, a folder listing and Home, in
// process idle and while the same service rebuilds (1 % of the files touched, so the rebuild reads and
// writes a whole generation), over HTTP during that rebuild, and what the series/folder tables add to
// the generation write. Reported as lines of the bench report's notes (see bench/README.md).
import http from 'node:http';
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

type Kind = 'series page' | 'series issues' | 'folder' | 'home';
const KINDS: readonly Kind[] = ['series page', 'series issues', 'folder', 'home'];

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

export async function measureBrowse(options: BrowseOptions): Promise<string[]> {
  const { library, dataDir, iterations, log } = options;
  const service: LibraryService = await openLibraryService({ root: library.root, dataDir, watch: false, rebuildOnOpen: false, prefetchCovers: false });
  const host = createHttpHost({ service, library: { root: library.root, isSample: false } });
  const { port } = await host.listen(0, '127.0.0.1');
  const lines: string[] = [];
  try {
    await service.whenIdle();
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

    let i = 0;
    const inProcess: Record<Kind, () => Promise<unknown>> = {
      'series page': () => service.listSeries({ offset: ((i * 37) % Math.max(1, total - 60)) | 0, limit: 60, sort: i % 2 ? 'name' : 'added', order: 'asc' }),
      'series issues': () => service.listComics({ offset: 0, limit: 100, sort: 'series', order: 'asc', series: series[i % series.length]!.key }),
      folder: () => service.listFolder(folderPaths[i % folderPaths.length]!),
      home: () => service.getHome(),
    };
    const overHttp: Record<Kind, () => Promise<void>> = {
      'series page': () => get(port, `/api/series?offset=${(i * 37) % Math.max(1, total - 60)}&limit=60&sort=${i % 2 ? 'name' : 'added'}`),
      'series issues': () => get(port, `/api/comics?series=${encodeURIComponent(series[i % series.length]!.key)}&limit=100`),
      folder: () => get(port, `/api/folders?path=${encodeURIComponent(folderPaths[i % folderPaths.length]!)}`),
      home: () => get(port, '/api/home'),
    };
    const run = async (calls: Record<Kind, () => Promise<unknown>>, until?: () => boolean): Promise<Record<Kind, number[]>> => {
      const times: Record<Kind, number[]> = { 'series page': [], 'series issues': [], folder: [], home: [] };
      for (let n = 0; n < iterations && (until ? !until() : true); n++) {
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
    const fmt = (times: Record<Kind, number[]>) => KINDS.map((k) => `${k} p50 ${percentile(times[k], 50)?.toFixed(2)} p99 ${percentile(times[k], 99)?.toFixed(2)} ms`).join('; ');

    const idle = await run(inProcess);
    lines.push(`browse ${library.total}: ${total} series; in process idle (n=${idle.home.length}): ${fmt(idle)}`);
    const idleHttp = await run(overHttp);
    lines.push(`browse ${library.total}: HTTP idle: ${fmt(idleHttp)}`);

    // During a rebuild that writes a whole generation.
    const touched = touchEvery(library.root, library.paths, 100);
    service.refresh('bench');
    const rebuilding = () => !service.getStatus().rebuild_in_progress;
    const during = await run(inProcess, rebuilding);
    const duringHttp = await run(overHttp, rebuilding);
    await service.whenIdle();
    lines.push(`browse ${library.total}: in process during a rebuild (${touched} files touched, n=${during.home.length}): ${fmt(during)}`);
    lines.push(`browse ${library.total}: HTTP during the rebuild (n=${duringHttp.home.length}): ${fmt(duringHttp)}`);
    log(lines.slice(-4).join('\n'));
  } finally {
    await host.close();
    await service.close();
  }

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
        (rebuildMs ? `, ${((browseMs / rebuildMs) * 100).toFixed(1)} % of the last full rebuild's ${rebuildMs} ms)` : ')'),
    );
    log(lines[lines.length - 1]!);
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
  return lines;
}
