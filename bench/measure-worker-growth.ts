// Does the rebuild worker's memory grow across rebuilds in one long-lived process (issue 16: 215–223 MB
// after one 20k rebuild, 387–400 MB after eight)? One service, one worker: the cold index is rebuild 1,
// then forced rebuilds (every file touched) up to `rebuilds`; VmHWM and VmRSS of the worker after each.
import { rmSync } from 'node:fs';
import { openLibraryService } from '../electron/library/library-service.js';
import type { BenchLibrary } from './libraries.js';
import { prestartedWorker } from './measure-service.js';
import { procStatusBytes } from './proc.js';
import type { WorkerGrowth } from './report.js';
import { touchEvery } from './touch.js';

export async function measureWorkerGrowth(library: BenchLibrary, dataDir: string, rebuilds: number, log: (line: string) => void): Promise<WorkerGrowth> {
  rmSync(dataDir, { recursive: true, force: true });
  const worker = await prestartedWorker();
  const pid = worker.handle.pid;
  if (pid === undefined) throw new Error('the rebuild worker has no pid');
  const hwm: number[] = [];
  const rss: number[] = [];
  const times: number[] = [];
  let started = performance.now();
  const service = await openLibraryService({ root: library.root, dataDir, watch: false, launcher: worker.launcher });
  try {
    for (let i = 0; i < rebuilds; i++) {
      if (i > 0) {
        touchEvery(library.root, library.paths, 1);
        started = performance.now();
        service.refresh('bench');
      }
      await service.whenIdle();
      times.push(performance.now() - started);
      const error = service.getStatus().last_error;
      if (error) throw new Error(`rebuild ${i + 1} failed: ${error.code} ${error.message}`);
      hwm.push(procStatusBytes(pid, 'VmHWM') ?? 0);
      rss.push(procStatusBytes(pid, 'VmRSS') ?? 0);
    }
  } finally {
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const mb = (b: number) => `${(b / 1024 ** 2).toFixed(0)} MB`;
  log(`worker over ${rebuilds} rebuilds: VmHWM ${mb(hwm[0]!)} → ${mb(hwm.at(-1)!)}; VmRSS after each ${rss.map(mb).join(', ')}`);
  return { rebuilds, hwmAfterFirstBytes: hwm[0]!, hwmAfterLastBytes: hwm.at(-1)!, rssAfterEachBytes: rss, rebuildMs: times };
}
