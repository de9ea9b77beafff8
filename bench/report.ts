// The benchmark report: its JSON shape (a TypeScript type and a zod schema that validates every
// report before it is written), and the readable table printed on stdout.
// Over 400 lines: the type and the schema are the same shape written twice (side by side, so a new
// figure is added to both); deriving the type from the schema (z.infer) would make it one.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Summary } from './stats.js';

export const REPORT_SCHEMA_VERSION = 1;

export const QUERY_KINDS = ['page_first', 'page_deep', 'search_common', 'search_rare'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

export type LatencyByQuery = Record<QueryKind, Summary>;

/** The rebuild worker's memory over several rebuilds of one library (bench/measure-worker-growth.ts). */
export interface WorkerGrowth {
  rebuilds: number;
  /** Worker VmHWM after rebuild 1 (the cold index) and after the last one. */
  hwmAfterFirstBytes: number;
  hwmAfterLastBytes: number;
  /** Worker VmRSS after each rebuild (what it keeps between rebuilds). */
  rssAfterEachBytes: number[];
  /** Wall time of each rebuild, ms. */
  rebuildMs: number[];
}

export interface EventLoopDelay {
  /** Milliseconds; monitorEventLoopDelay with a 1 ms resolution. */
  p50: number;
  p99: number;
  max: number;
  mean: number;
  /** Wall time the histogram covered, ms. */
  windowMs: number;
}

export interface LatencyRun {
  idle: LatencyByQuery;
  /**
   * HTTP only: a bare node server answering the same bodies, sampled right after each idle sample of
   * the host (bench/bare-server.mjs): the machine's and the client's share of the idle figure.
   */
  bareIdle?: LatencyByQuery;
  /** Readers hitting the live generation while the same service rebuilds it (100 % of files touched). */
  duringRebuild: LatencyByQuery;
  /** How long that rebuild took (refresh → idle), ms. */
  rebuildMs: number;
  /** Whether the readers saw `stale: true` (they read the old generation during the rebuild). */
  staleSeen: boolean;
  /** Generations the readers saw, in order (old, then new after the swap). */
  generationsSeen: number[];
}

export interface SizeResult {
  /** Readable comics requested from the generator. */
  files: number;
  /** Files in the library (readable + broken): every one becomes a row. */
  total: number;
  broken: number;
  bytes: number;
  libraryRoot: string;
  baselines: {
    walkMs: number;
    walkRunsMs: number[];
    /** Central-directory tail reads of every file, 16 in flight, no database. */
    tailReadMs: number;
    tailReadRunsMs: number[];
    /** Files whose tail held no ZIP end record (the broken ones). */
    tailReadFailures: number;
    insertMs: number;
    insertRunsMs: number[];
    /** walk + tail reads + insert. */
    floorMs: number;
  };
  coldIndex: {
    /** openLibraryService on an empty data dir → first generation swapped in (includes forking the worker). */
    ms: number;
    /** The worker's own duration for the job. */
    workerMs: number | null;
    filesPerSecond: number;
    ratioToFloor: number;
    fileCount: number;
    errorCount: number;
  };
  /**
   * The same floor and index with the page cache dropped before each figure (`--cold`, needs root);
   * null when not measured. The insert baseline is CPU-bound and reused from the warm figures.
   */
  coldCache: {
    walkMs: number;
    tailReadMs: number;
    floorMs: number;
    indexMs: number;
    workerMs: number | null;
    filesPerSecond: number;
    ratioToFloor: number;
  } | null;
  rescan: {
    noChangeMs: number;
    noChangeRunsMs: number[];
    touched1pctMs: number;
    touchedFiles: number;
  };
  latency: {
    inProcess: LatencyRun;
    http: LatencyRun | null;
  };
  eventLoop: {
    /** The bench process (owner of the service) during the cold index, no readers. */
    inProcessColdIndex: EventLoopDelay;
    /** The bench process during the forced rebuild with the reader loop running. */
    inProcessRebuildWithReaders: EventLoopDelay;
    /** The `longbox serve` process during its forced rebuild with HTTP readers (preloaded probe). */
    httpHostRebuild: EventLoopDelay | null;
    /** An idle `node` process over the cold-index window: what the machine itself adds. */
    controlColdIndex: EventLoopDelay | null;
    /** An idle `node` process over the HTTP host's rebuild window. */
    controlHttpRebuild: EventLoopDelay | null;
  };
  startup: {
    /** openLibraryService on the built data dir + first listComics, ms. */
    inProcessFirstRows: Summary;
    /** spawn of `node bin/longbox.js serve` → the "serving" line. */
    httpSpawnToListening: Summary | null;
    /** spawn → first GET /api/comics?limit=100 with rows. */
    httpSpawnToFirstRows: Summary | null;
  };
  memory: {
    /** Max of process.memoryUsage().rss sampled every 50 ms in the bench process while it owned the service. */
    inProcessHostRssPeakBytes: number;
    /** VmHWM of the worker the in-process service forked (its lifetime peak). */
    inProcessWorkerHwmBytes: number | null;
    /** VmHWM of the `longbox serve` process after its forced rebuild and reader load. */
    httpHostHwmBytes: number | null;
    httpWorkerHwmBytes: number | null;
    /** library.db + -wal + -shm after the runs. */
    dbBytes: number;
    /** One worker over several rebuilds (bench/measure-worker-growth.ts); null/absent when not measured. */
    workerGrowth?: WorkerGrowth | null;
  };
  /** os.loadavg() when this size's measurements started and ended (the machine may be shared). */
  loadAverage?: { start: number[]; end: number[] };
  /** The untimed whole-file read before the floors, and the library's bytes cached before the cold index (fincore sample). */
  pageCache?: { warmMs: number; residentBeforeIndex: number | null };
  queries: {
    common: { q: string; total: number };
    rare: { q: string; total: number };
  };
}

export interface CoverResult {
  /** 1600×2400 JPEG pages, made with sharp for this run. */
  sourceCount: number;
  sourceBytesMean: number;
  thumbnails: number;
  /** Through createCoverStore (covers.ts) with its default concurrency. */
  perSecond: number;
  contentType: string;
  thumbnailBytesMean: number;
  /** A minimal sharp pipeline (resize to 300 px wide, JPEG), one job per core, for the ratio. */
  floorPerSecond: number;
  ratioToFloor: number;
}

export interface PageLatency extends Summary {
  p95: number | null;
}

/** Page requests over HTTP (bench/measure-pages.ts). */
export interface PageBenchResult {
  pagesPerComic: number;
  comicsPerFormat: number;
  pageBytesMean: number;
  cbz: { cold: PageLatency; warm: PageLatency };
  cbr: { cold: PageLatency; warm: PageLatency };
  /** GET /api/comics?limit=100 while two clients fetch pages back to back. */
  listWhilePaging: PageLatency;
  /** The same with no page traffic, for comparison. */
  listIdle: PageLatency;
}

export interface TargetResult {
  id: string;
  description: string;
  /** Library size the figure was measured at (null for size-independent figures). */
  files: number | null;
  value: number | null;
  comparator: '<=' | '>=';
  limit: number;
  unit: string;
  /** null when the figure was not measured. */
  pass: boolean | null;
  /** value / limit. */
  ratio: number | null;
}

export interface MachineInfo {
  hostname: string;
  platform: string;
  kernel: string;
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  node: string;
  electron: string | null;
  sqlite: string;
  betterSqlite3: string;
  sharp: string | null;
  libvips: string | null;
  gitHead: string | null;
  gitDirty: boolean | null;
  loadAverageAtStart: number[];
}

export interface BenchReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  options: { sizes: number[]; quick: boolean; seed: number; http: boolean; cold: boolean };
  machine: MachineInfo;
  pageCache: { dropAttempted: boolean; dropWorked: boolean; note: string };
  /** `node -e ""` spawn → exit, the floor for any host start. */
  nodeStartMs: number;
  sizes: SizeResult[];
  covers: CoverResult | null;
  /** Absent in reports from before page serving; null when the HTTP host was not built or --no-http. */
  pages?: PageBenchResult | null;
  targets: TargetResult[];
  notes: string[];
  /**
   * Steps that failed (absent in older reports): a failed step is reported here and its figures are
   * missing (null), the rest of the run is still written.
   */
  errors?: StepError[];
}

/** A bench step that threw: which one (and at which size), and its message. */
export interface StepError {
  step: string;
  files: number | null;
  message: string;
}

// ---- zod schema ----------------------------------------------------------------------------

const ms = z.number().finite().nonnegative();
const nullableMs = ms.nullable();
const summarySchema = z
  .object({ count: z.number().int().nonnegative(), p50: nullableMs, p99: nullableMs, max: nullableMs, mean: nullableMs })
  .strict()
  .refine((s) => (s.count === 0) === (s.p50 === null), { message: 'an empty summary has null figures, a non-empty one has numbers' })
  .refine((s) => s.p50 === null || (s.p50 <= s.p99! && s.p99! <= s.max!), { message: 'p50 ≤ p99 ≤ max' });
const latencyByQuerySchema = z.object(Object.fromEntries(QUERY_KINDS.map((k) => [k, summarySchema])) as Record<QueryKind, typeof summarySchema>).strict();
const eventLoopSchema = z.object({ p50: ms, p99: ms, max: ms, mean: ms, windowMs: ms }).strict();
const latencyRunSchema = z
  .object({
    idle: latencyByQuerySchema,
    bareIdle: latencyByQuerySchema.optional(),
    duringRebuild: latencyByQuerySchema,
    rebuildMs: ms,
    staleSeen: z.boolean(),
    generationsSeen: z.array(z.number().int().nonnegative()),
  })
  .strict();
const bytes = z.number().int().nonnegative();

const sizeResultSchema = z
  .object({
    files: z.number().int().positive(),
    total: z.number().int().positive(),
    broken: z.number().int().nonnegative(),
    bytes,
    libraryRoot: z.string().min(1),
    baselines: z
      .object({
        walkMs: ms,
        walkRunsMs: z.array(ms).min(1),
        tailReadMs: ms,
        tailReadRunsMs: z.array(ms).min(1),
        tailReadFailures: z.number().int().nonnegative(),
        insertMs: ms,
        insertRunsMs: z.array(ms).min(1),
        floorMs: ms,
      })
      .strict(),
    coldIndex: z
      .object({
        ms,
        workerMs: nullableMs,
        filesPerSecond: z.number().finite().positive(),
        ratioToFloor: z.number().finite().positive(),
        fileCount: z.number().int().nonnegative(),
        errorCount: z.number().int().nonnegative(),
      })
      .strict(),
    coldCache: z
      .object({
        walkMs: ms,
        tailReadMs: ms,
        floorMs: ms,
        indexMs: ms,
        workerMs: nullableMs,
        filesPerSecond: z.number().finite().positive(),
        ratioToFloor: z.number().finite().positive(),
      })
      .strict()
      .nullable(),
    rescan: z.object({ noChangeMs: ms, noChangeRunsMs: z.array(ms).min(1), touched1pctMs: ms, touchedFiles: z.number().int().positive() }).strict(),
    latency: z.object({ inProcess: latencyRunSchema, http: latencyRunSchema.nullable() }).strict(),
    eventLoop: z
      .object({
        inProcessColdIndex: eventLoopSchema,
        inProcessRebuildWithReaders: eventLoopSchema,
        httpHostRebuild: eventLoopSchema.nullable(),
        controlColdIndex: eventLoopSchema.nullable(),
        controlHttpRebuild: eventLoopSchema.nullable(),
      })
      .strict(),
    startup: z
      .object({ inProcessFirstRows: summarySchema, httpSpawnToListening: summarySchema.nullable(), httpSpawnToFirstRows: summarySchema.nullable() })
      .strict(),
    memory: z
      .object({
        inProcessHostRssPeakBytes: bytes,
        inProcessWorkerHwmBytes: bytes.nullable(),
        httpHostHwmBytes: bytes.nullable(),
        httpWorkerHwmBytes: bytes.nullable(),
        dbBytes: bytes,
        workerGrowth: z
          .object({
            rebuilds: z.number().int().positive(),
            hwmAfterFirstBytes: bytes,
            hwmAfterLastBytes: bytes,
            rssAfterEachBytes: z.array(bytes),
            rebuildMs: z.array(ms),
          })
          .strict()
          .nullable()
          .optional(),
      })
      .strict(),
    loadAverage: z.object({ start: z.array(z.number().nonnegative()), end: z.array(z.number().nonnegative()) }).strict().optional(),
    pageCache: z.object({ warmMs: ms, residentBeforeIndex: z.number().min(0).max(1).nullable() }).strict().optional(),
    queries: z
      .object({
        common: z.object({ q: z.string().min(1), total: z.number().int().nonnegative() }).strict(),
        rare: z.object({ q: z.string().min(1), total: z.number().int().nonnegative() }).strict(),
      })
      .strict(),
  })
  .strict();

const coverResultSchema = z
  .object({
    sourceCount: z.number().int().positive(),
    sourceBytesMean: z.number().nonnegative(),
    thumbnails: z.number().int().positive(),
    perSecond: z.number().finite().positive(),
    contentType: z.string().min(1),
    thumbnailBytesMean: z.number().nonnegative(),
    floorPerSecond: z.number().finite().positive(),
    ratioToFloor: z.number().finite().positive(),
  })
  .strict();

const pageLatencySchema = z
  .object({ count: z.number().int().nonnegative(), p50: nullableMs, p95: nullableMs, p99: nullableMs, max: nullableMs, mean: nullableMs })
  .strict();
const pageBenchSchema = z
  .object({
    pagesPerComic: z.number().int().positive(),
    comicsPerFormat: z.number().int().positive(),
    pageBytesMean: z.number().nonnegative(),
    cbz: z.object({ cold: pageLatencySchema, warm: pageLatencySchema }).strict(),
    cbr: z.object({ cold: pageLatencySchema, warm: pageLatencySchema }).strict(),
    listWhilePaging: pageLatencySchema,
    listIdle: pageLatencySchema,
  })
  .strict();

const targetResultSchema = z
  .object({
    id: z.string().min(1),
    description: z.string().min(1),
    files: z.number().int().positive().nullable(),
    value: z.number().finite().nullable(),
    comparator: z.enum(['<=', '>=']),
    limit: z.number().finite(),
    unit: z.string(),
    pass: z.boolean().nullable(),
    ratio: z.number().finite().nullable(),
  })
  .strict()
  .refine((t) => (t.value === null) === (t.pass === null), { message: 'pass is null exactly when value is null' });

export const benchReportSchema = z
  .object({
    schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime(),
    durationMs: ms,
    options: z.object({ sizes: z.array(z.number().int().positive()).min(1), quick: z.boolean(), seed: z.number().int(), http: z.boolean(), cold: z.boolean() }).strict(),
    machine: z
      .object({
        hostname: z.string(),
        platform: z.string(),
        kernel: z.string(),
        cpus: z.number().int().positive(),
        cpuModel: z.string(),
        memoryBytes: bytes,
        node: z.string().min(1),
        electron: z.string().nullable(),
        sqlite: z.string().min(1),
        betterSqlite3: z.string().min(1),
        sharp: z.string().nullable(),
        libvips: z.string().nullable(),
        gitHead: z.string().regex(/^[0-9a-f]{40}$/).nullable(),
        gitDirty: z.boolean().nullable(),
        loadAverageAtStart: z.array(z.number().nonnegative()),
      })
      .strict(),
    pageCache: z.object({ dropAttempted: z.boolean(), dropWorked: z.boolean(), note: z.string() }).strict(),
    nodeStartMs: ms,
    sizes: z.array(sizeResultSchema),
    covers: coverResultSchema.nullable(),
    pages: pageBenchSchema.nullable().optional(),
    targets: z.array(targetResultSchema),
    notes: z.array(z.string()),
    errors: z.array(z.object({ step: z.string().min(1), files: z.number().int().positive().nullable(), message: z.string() }).strict()).optional(),
  })
  .strict()
  .refine((r) => r.sizes.length > 0 || (r.errors?.length ?? 0) > 0, { path: ['sizes'], message: 'no size measured and no failed step that says why' });

/** Validates a report; throws with every issue listed when it does not match the schema. */
export function validateReport(report: unknown): BenchReport {
  const parsed = benchReportSchema.safeParse(report);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('\n  ');
    throw new Error(`benchmark report does not match its schema:\n  ${issues}`);
  }
  return parsed.data as BenchReport;
}

export function writeReport(path: string, report: BenchReport): void {
  const valid = validateReport(report);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(valid, null, 2) + '\n');
}

// ---- table ---------------------------------------------------------------------------------

function fmtMs(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

function fmtBytes(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (value >= 1024 ** 3) return `${(value / 1024 ** 3).toFixed(2)} GB`;
  return `${(value / 1024 ** 2).toFixed(0)} MB`;
}

function fmtNum(value: number | null | undefined, decimals = 0): string {
  if (value === null || value === undefined) return '—';
  return value.toLocaleString('en-US', { maximumFractionDigits: decimals, minimumFractionDigits: decimals });
}

function latencyCell(s: Summary | undefined): string {
  if (!s || s.count === 0) return '—';
  return `${fmtMs(s.p50)} / ${fmtMs(s.p99)} / ${fmtMs(s.max)}`;
}

function eldCell(e: EventLoopDelay | null): string {
  return e ? `${fmtMs(e.p99)} / ${fmtMs(e.max)}` : '—';
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The report's names of the queries, in its row order. */
const QUERY_LABELS: ReadonlyArray<readonly [QueryKind, string]> = [
  ['page_first', 'page 0'],
  ['page_deep', 'deep page'],
  ['search_common', 'search common'],
  ['search_rare', 'search rare'],
];

export function formatReport(report: BenchReport): string {
  const sizes = report.sizes;
  const header = ['figure', ...sizes.map((s) => `${fmtNum(s.total)} files`)];
  const row = (label: string, cell: (s: SizeResult) => string): string[] => [label, ...sizes.map(cell)];
  const q = (kind: QueryKind, where: 'inProcess' | 'http', phase: 'idle' | 'duringRebuild') => (s: SizeResult) => {
    const run = s.latency[where];
    return run ? latencyCell(run[phase][kind]) : '—';
  };
  /** A heading, then each query idle and during a rebuild. */
  const queryRows = (heading: string, where: 'inProcess' | 'http'): string[][] => [
    [heading, ...sizes.map(() => '')],
    ...(['idle', 'duringRebuild'] as const).flatMap((phase) =>
      QUERY_LABELS.map(([kind, label]) => row(`  ${label}, ${phase === 'idle' ? 'idle' : 'rebuilding'}`, q(kind, where, phase))),
    ),
  ];
  const rows: string[][] = [
    row('baseline: walk + stat', (s) => fmtMs(s.baselines.walkMs)),
    row('baseline: ZIP tail reads (16 in flight)', (s) => fmtMs(s.baselines.tailReadMs)),
    row('baseline: SQLite bulk insert', (s) => fmtMs(s.baselines.insertMs)),
    row('physical floor (sum)', (s) => fmtMs(s.baselines.floorMs)),
    row('index, fresh data dir (service, worker)', (s) => fmtMs(s.coldIndex.ms)),
    row('  files/s', (s) => fmtNum(s.coldIndex.filesPerSecond)),
    row('  ratio to floor', (s) => `${s.coldIndex.ratioToFloor.toFixed(2)}×`),
    row('dropped page cache: walk + stat', (s) => fmtMs(s.coldCache?.walkMs)),
    row('  ZIP tail reads (16 in flight)', (s) => fmtMs(s.coldCache?.tailReadMs)),
    row('  floor (+ warm insert)', (s) => fmtMs(s.coldCache?.floorMs)),
    row('  index, fresh data dir', (s) => fmtMs(s.coldCache?.indexMs)),
    row('  files/s', (s) => fmtNum(s.coldCache?.filesPerSecond)),
    row('  ratio to floor', (s) => (s.coldCache ? `${s.coldCache.ratioToFloor.toFixed(2)}×` : '—')),
    row('no-change rescan', (s) => fmtMs(s.rescan.noChangeMs)),
    row('rescan, 1% touched', (s) => fmtMs(s.rescan.touched1pctMs)),
    row('forced rebuild (100% touched)', (s) => fmtMs(s.latency.inProcess.rebuildMs)),
    ...queryRows('listComics p50 / p99 / max (in process)', 'inProcess'),
    ...queryRows('GET /api/comics p50 / p99 / max (HTTP)', 'http'),
    ['  the same bodies from a bare node server, idle (interleaved)', ...sizes.map(() => '')],
    ...QUERY_LABELS.map(([kind, label]) => row(`    ${label}`, (s) => latencyCell(s.latency.http?.bareIdle?.[kind]))),
    ['event-loop delay p99 / max', ...sizes.map(() => '')],
    row('  in process, cold index', (s) => eldCell(s.eventLoop.inProcessColdIndex)),
    row('  in process, rebuild + readers', (s) => eldCell(s.eventLoop.inProcessRebuildWithReaders)),
    row('  HTTP host, rebuild + readers', (s) => eldCell(s.eventLoop.httpHostRebuild)),
    row('  idle control process, cold index', (s) => eldCell(s.eventLoop.controlColdIndex)),
    row('  idle control process, HTTP rebuild', (s) => eldCell(s.eventLoop.controlHttpRebuild)),
    ['start with a cache → first rows (p50)', ...sizes.map(() => '')],
    row('  in process (open + listComics)', (s) => fmtMs(s.startup.inProcessFirstRows.p50)),
    row('  HTTP: spawn → listening', (s) => fmtMs(s.startup.httpSpawnToListening?.p50)),
    row('  HTTP: spawn → first rows', (s) => fmtMs(s.startup.httpSpawnToFirstRows?.p50)),
    ['memory', ...sizes.map(() => '')],
    row('  in-process host RSS peak', (s) => fmtBytes(s.memory.inProcessHostRssPeakBytes)),
    row('  in-process worker VmHWM', (s) => fmtBytes(s.memory.inProcessWorkerHwmBytes)),
    row('  HTTP host VmHWM', (s) => fmtBytes(s.memory.httpHostHwmBytes)),
    row('  HTTP worker VmHWM', (s) => fmtBytes(s.memory.httpWorkerHwmBytes)),
    row('  library.db on disk', (s) => fmtBytes(s.memory.dbBytes)),
    row('  worker VmHWM after 1 rebuild', (s) => fmtBytes(s.memory.workerGrowth?.hwmAfterFirstBytes)),
    row('  worker VmHWM after N rebuilds', (s) => (s.memory.workerGrowth ? `${fmtBytes(s.memory.workerGrowth.hwmAfterLastBytes)} (N=${s.memory.workerGrowth.rebuilds})` : '—')),
    row('library in page cache before the index', (s) => (s.pageCache?.residentBeforeIndex == null ? '—' : `${(s.pageCache.residentBeforeIndex * 100).toFixed(1)} %`)),
    row('load average at start / end (1 min)', (s) => (s.loadAverage ? `${s.loadAverage.start[0]!.toFixed(1)} / ${s.loadAverage.end[0]!.toFixed(1)}` : '—')),
  ];
  const out: string[] = [];
  const m = report.machine;
  out.push(
    `Longbox bench — ${m.cpus}× ${m.cpuModel}, ${fmtBytes(m.memoryBytes)}, node ${m.node}, SQLite ${m.sqlite}, git ${m.gitHead?.slice(0, 10) ?? '?'}${m.gitDirty ? ' (dirty)' : ''}`,
  );
  out.push(`page cache: ${report.pageCache.note}; node start ${fmtMs(report.nodeStartMs)}`);
  out.push('');
  out.push(table(header, rows));
  if (report.covers) {
    const c = report.covers;
    out.push('');
    out.push(
      `cover thumbnails (1600×2400 JPEG → ${c.contentType}): ${c.perSecond.toFixed(1)}/s through createCoverStore; ` +
        `minimal sharp pipeline ${c.floorPerSecond.toFixed(1)}/s; ratio ${c.ratioToFloor.toFixed(2)}×`,
    );
  }
  if (report.pages) {
    const p = report.pages;
    const fmt = (l: PageLatency) => `p50 ${l.p50 === null ? '—' : fmtMs(l.p50)} / p95 ${l.p95 === null ? '—' : fmtMs(l.p95)}`;
    out.push('');
    out.push(`page requests over HTTP (${p.pagesPerComic}-page comics, ${(p.pageBytesMean / 1024 ** 2).toFixed(1)} MB JPEG pages, ${p.comicsPerFormat} comics per format):`);
    out.push(`  CBZ cold ${fmt(p.cbz.cold)}, warm ${fmt(p.cbz.warm)}; CBR cold ${fmt(p.cbr.cold)}, warm ${fmt(p.cbr.warm)}`);
    out.push(`  GET /api/comics while two clients page: ${fmt(p.listWhilePaging)} (no page traffic: ${fmt(p.listIdle)})`);
  }
  out.push('');
  const targetRows = report.targets.map((t) => [
    t.pass === null ? 'n/a ' : t.pass ? 'PASS' : 'FAIL',
    t.description + (t.files ? ` @ ${fmtNum(t.files)}` : ''),
    t.value === null ? '—' : `${fmtNum(t.value, t.value < 100 ? 2 : 0)} ${t.unit}`,
    `${t.comparator} ${fmtNum(t.limit, t.limit < 100 ? 2 : 0)} ${t.unit}`,
    t.ratio === null ? '—' : `${t.ratio.toFixed(2)}`,
  ]);
  out.push(table(['', 'target (docs/architecture.md §8)', 'measured', 'limit', 'value/limit'], targetRows));
  const passed = report.targets.filter((t) => t.pass === true).length;
  const failed = report.targets.filter((t) => t.pass === false).length;
  out.push('');
  out.push(`${passed} targets met, ${failed} missed, ${report.targets.length - passed - failed} not measured; total bench time ${fmtMs(report.durationMs)}`);
  for (const note of report.notes) out.push(`note: ${note}`);
  for (const e of report.errors ?? []) out.push(`ERROR in step "${e.step}"${e.files ? ` @ ${fmtNum(e.files)}` : ''}: ${e.message}`);
  return out.join('\n');
}
