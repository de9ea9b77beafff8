// A complete, valid benchmark report for the schema and target tests (numbers are made up).
import type { BenchReport, LatencyByQuery, SizeResult } from '../report.js';
import { summarize } from '../stats.js';

function latency(ms: number): LatencyByQuery {
  return {
    page_first: summarize([ms, ms, ms * 2]),
    page_deep: summarize([ms, ms * 1.5]),
    search_common: summarize([ms * 10, ms * 12]),
    search_rare: summarize([ms * 2]),
  };
}

export function sampleSize(total = 20_020): SizeResult {
  return {
    files: 20_000,
    total,
    broken: 20,
    bytes: 2_700_000_000,
    libraryRoot: '/tmp/lib',
    baselines: { walkMs: 250, walkRunsMs: [250, 260], tailReadMs: 1100, tailReadRunsMs: [1100, 1200], tailReadFailures: 20, insertMs: 150, insertRunsMs: [150], floorMs: 1500 },
    coldIndex: { ms: 2400, workerMs: 2300, filesPerSecond: 8341, ratioToFloor: 1.6, fileCount: total, errorCount: 20 },
    coldCache: { walkMs: 2800, tailReadMs: 8800, floorMs: 11_750, indexMs: 14_000, workerMs: 13_800, filesPerSecond: 1430, ratioToFloor: 1.19 },
    rescan: { noChangeMs: 300, noChangeRunsMs: [300, 310, 290], touched1pctMs: 420, touchedFiles: 201 },
    latency: {
      inProcess: { idle: latency(0.5), duringRebuild: latency(0.8), rebuildMs: 2500, staleSeen: true, generationsSeen: [3, 4] },
      http: { idle: latency(1), duringRebuild: latency(2), rebuildMs: 2600, staleSeen: true, generationsSeen: [4, 5] },
    },
    eventLoop: {
      inProcessColdIndex: { p50: 1, p99: 1.5, max: 8, mean: 1.05, windowMs: 2400 },
      inProcessRebuildWithReaders: { p50: 1, p99: 4, max: 12, mean: 1.3, windowMs: 2500 },
      httpHostRebuild: { p50: 1, p99: 2, max: 9, mean: 1.1, windowMs: 2600 },
      controlColdIndex: { p50: 1, p99: 1.2, max: 5, mean: 1.01, windowMs: 2400 },
      controlHttpRebuild: null,
    },
    startup: {
      inProcessFirstRows: summarize([40, 42, 45]),
      httpSpawnToListening: summarize([150, 160, 170]),
      httpSpawnToFirstRows: summarize([170, 180, 190]),
    },
    memory: {
      inProcessHostRssPeakBytes: 200 * 1024 * 1024,
      inProcessWorkerHwmBytes: 150 * 1024 * 1024,
      httpHostHwmBytes: 120 * 1024 * 1024,
      httpWorkerHwmBytes: 140 * 1024 * 1024,
      dbBytes: 30 * 1024 * 1024,
    },
    queries: { common: { q: 'amazing', total: 900 }, rare: { q: 'zephyr', total: 3 } },
  };
}

export function sampleReport(): BenchReport {
  return {
    schemaVersion: 1,
    startedAt: '2025-01-01T10:00:00.000Z',
    finishedAt: '2025-01-01T10:05:00.000Z',
    durationMs: 300_000,
    options: { sizes: [20_000], quick: false, seed: 1, http: true, cold: true },
    machine: {
      hostname: 'box',
      platform: 'linux x64',
      kernel: '6.1.0',
      cpus: 2,
      cpuModel: 'Some CPU',
      memoryBytes: 24 * 1024 ** 3,
      node: '20.20.2',
      electron: '41.10.0',
      sqlite: '3.50.0',
      betterSqlite3: '12.6.2',
      sharp: '0.35.5',
      libvips: '8.17.0',
      gitHead: 'a'.repeat(40),
      gitDirty: false,
      loadAverageAtStart: [0.5, 0.4, 0.3],
    },
    pageCache: { dropAttempted: true, dropWorked: false, note: 'warm' },
    nodeStartMs: 105,
    sizes: [sampleSize()],
    covers: { sourceCount: 6, sourceBytesMean: 600_000, thumbnails: 60, perSecond: 70, contentType: 'image/jpeg', thumbnailBytesMean: 20_000, floorPerSecond: 75, ratioToFloor: 0.93 },
    targets: [],
    notes: [],
  };
}
