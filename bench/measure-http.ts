// The headless host as a user runs it: `node bin/longbox.js serve <folder>` in a child process, timed
// from spawn to first rows, and read with plain keep-alive `fetch` from this process, idle and while
// it rebuilds. Its event-loop delay comes from a probe preloaded with --import (eld-probe.mjs).
import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { comicQueryToParams } from '../shared/query.js';
import type { CacheStatus } from '../shared/types.js';
import type { BenchLibrary } from './libraries.js';
import { childPids, probeImportArgs, probeSnapshot, procStatusBytes, sleep, type ControlProbe } from './proc.js';
import { startServeHost, stopServeHost, type ServeHost } from './serve-host.js';
import { measureDuringRebuild, measureIdle, queryFor, type LoopBudget, type Reader, type SearchTerms } from './queries.js';
import { QUERY_KINDS } from './report.js';
import type { EventLoopDelay, LatencyRun } from './report.js';
import { summarize, type Summary } from './stats.js';
import { touchEvery } from './touch.js';

export interface HttpOptions {
  repoRoot: string;
  library: BenchLibrary;
  /** The --data-dir home the in-process run already built the cache in. */
  dataHome: string;
  terms: SearchTerms;
  budget: LoopBudget;
  startupRuns: number;
  control: ControlProbe;
  log: (line: string) => void;
}

export interface HttpResult {
  spawnToListening: Summary;
  spawnToFirstRows: Summary;
  latency: LatencyRun;
  eventLoop: EventLoopDelay | null;
  /** An idle node process over the same window. */
  controlEventLoop: EventLoopDelay | null;
  hostHwmBytes: number | null;
  workerHwmBytes: number | null;
}

/** Whether `npm run build` has produced the CLI the host runs. */
export function hostIsBuilt(repoRoot: string): boolean {
  return existsSync(join(repoRoot, 'out', 'electron', 'server', 'cli.js'));
}

function startHost(options: HttpOptions, probeFile: string | null): Promise<ServeHost> {
  return startServeHost({
    repoRoot: options.repoRoot,
    root: options.library.root,
    dataDir: options.dataHome,
    ...(probeFile ? { nodeArgs: probeImportArgs(options.repoRoot), env: { LONGBOX_BENCH_ELD_FILE: probeFile } } : {}),
  });
}

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  const body = (await res.json()) as T;
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  return body;
}

async function status(host: ServeHost): Promise<CacheStatus> {
  return (await getJson<{ enriched_file_cache: CacheStatus }>(`${host.url}/api/cache/stats`)).enriched_file_cache;
}

async function waitIdle(host: ServeHost, timeoutMs = 600_000): Promise<CacheStatus> {
  const started = performance.now();
  for (;;) {
    const s = await status(host);
    if (!s.rebuild_in_progress) return s;
    if (performance.now() - started > timeoutMs) throw new Error('the host did not finish its rebuild in time');
    await sleep(50);
  }
}

const comicsPath = (query: Parameters<Reader>[0]) => `/api/comics?${comicQueryToParams(query).toString()}`;

function httpReader(url: string): Reader {
  return async (query) => {
    const page = await getJson<{ items: unknown[]; total: number; generation: number; stale: boolean }>(`${url}${comicsPath(query)}`);
    return { rows: page.items.length, total: page.total, generation: page.generation, stale: page.stale };
  };
}

interface BareServer {
  url: string;
  stop(): void;
}

/** bare-server.mjs answering the four idle queries with the bodies the host gave for them. */
async function startBareServer(options: HttpOptions, host: ServeHost, total: number): Promise<BareServer> {
  const bodies: Record<string, string> = {};
  for (const kind of QUERY_KINDS) {
    const path = comicsPath(queryFor(kind, total, options.terms));
    bodies[path] = await (await fetch(`${host.url}${path}`)).text();
  }
  const file = join(options.dataHome, `bare-bodies-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(bodies));
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, [join(options.repoRoot, 'bench', 'bare-server.mjs'), file], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const match = /bare server at (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`bare-server.mjs exited (${code}) before listening`)));
  });
  return {
    url,
    stop: () => {
      child.kill();
      rmSync(file, { force: true });
    },
  };
}

export async function measureHttp(options: HttpOptions): Promise<HttpResult> {
  const { log } = options;
  // 1. Start-up on the existing cache: spawn → listening → first rows.
  const toListening: number[] = [];
  const toRows: number[] = [];
  const firstPage = `/api/comics?limit=100`;
  for (let i = 0; i < options.startupRuns; i++) {
    const host = await startHost(options, null);
    try {
      for (;;) {
        const page = await getJson<{ items: unknown[] }>(`${host.url}${firstPage}`);
        if (page.items.length > 0) break;
      }
      toRows.push(performance.now() - host.spawnedAt);
      toListening.push(host.listeningAt - host.spawnedAt);
      await waitIdle(host);
    } finally {
      await stopServeHost(host);
    }
  }
  log(`HTTP start → first rows ${toRows.map((m) => m.toFixed(0)).join(', ')} ms (listening ${toListening.map((m) => m.toFixed(0)).join(', ')} ms)`);

  // 2. Latency idle and during a forced rebuild, with the event-loop probe in the host.
  const probeFile = join(options.dataHome, `eld-${process.pid}.json`);
  rmSync(probeFile, { force: true });
  const host = await startHost(options, probeFile);
  try {
    const initial = await waitIdle(host);
    if (!initial.is_populated) throw new Error('the host has no generation');
    const reader = httpReader(host.url);
    const total = initial.file_count;
    const bare = await startBareServer(options, host, total);
    const idle = await measureIdle(reader, total, options.terms, options.budget, httpReader(bare.url)).finally(() => bare.stop());

    touchEvery(options.library.root, options.library.paths, 1);
    const before = await probeSnapshot(host.pid, probeFile, 0);
    await options.control.begin();
    let rebuilding = true;
    const rebuildStarted = performance.now();
    await getJson(`${host.url}/api/cache/refresh`, { method: 'POST' });
    const finished = (async () => {
      // The refresh handler starts the job before it answers, so the first poll already sees it.
      await waitIdle(host);
      rebuilding = false;
      return performance.now() - rebuildStarted;
    })();
    const during = await measureDuringRebuild(reader, total, options.terms, () => rebuilding);
    const rebuildMs = await finished;
    const after = before ? await probeSnapshot(host.pid, probeFile, before.seq) : null;
    const controlEventLoop = await options.control.end();
    const final = await status(host);
    if (final.last_error) throw new Error(`the host's rebuild failed: ${final.last_error.message}`);
    log(`HTTP forced rebuild ${rebuildMs.toFixed(0)} ms with readers; host event-loop p99 ${after?.p99.toFixed(2)} ms, max ${after?.max.toFixed(1)} ms (idle control process: p99 ${controlEventLoop?.p99.toFixed(2)} ms, max ${controlEventLoop?.max.toFixed(1)} ms)`);

    const workers = childPids(host.pid);
    const workerHwm = workers.map((pid) => procStatusBytes(pid, 'VmHWM')).filter((b): b is number => b !== null);
    return {
      spawnToListening: summarize(toListening),
      spawnToFirstRows: summarize(toRows),
      latency: { idle: idle.latency, ...(idle.control ? { bareIdle: idle.control } : {}), duringRebuild: during.latency, rebuildMs, staleSeen: during.staleSeen, generationsSeen: during.generationsSeen },
      eventLoop: after ? { p50: after.p50, p99: after.p99, max: after.max, mean: after.mean, windowMs: after.windowMs } : null,
      controlEventLoop,
      hostHwmBytes: procStatusBytes(host.pid, 'VmHWM'),
      workerHwmBytes: workerHwm.length > 0 ? Math.max(...workerHwm) : null,
    };
  } catch (err) {
    throw new Error(`${(err as Error).message}\nhost stderr:\n${host.stderrTail()}`, { cause: err });
  } finally {
    await stopServeHost(host);
    rmSync(probeFile, { force: true });
  }
}
