// Process-level probes: /proc memory figures, child processes, RSS sampling, event-loop delay.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { EventLoopDelay } from './report.js';

/** A `kB` field of /proc/<pid>/status (VmHWM, VmRSS…) in bytes; null when the process is gone. */
export function procStatusBytes(pid: number, field: 'VmHWM' | 'VmRSS' | 'VmPeak'): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Direct children of `pid`, from /proc/<pid>/task/<tid>/children (Linux ≥ 3.5). */
export function childPids(pid: number): number[] {
  const pids: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
        if (text) pids.push(...text.split(/\s+/).map(Number));
      } catch {
        // thread ended
      }
    }
  } catch {
    // process ended or no /proc
  }
  return [...new Set(pids)];
}

/** Samples process.memoryUsage.rss() every `intervalMs` and keeps the maximum. */
export function startRssSampler(intervalMs = 50): { peak(): number; stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  }, intervalMs);
  timer.unref();
  return {
    peak: () => Math.max(peak, process.memoryUsage.rss()),
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

/** Event-loop delay of this process over a window (1 ms resolution), in ms. */
export function startEventLoopMonitor(): { stop(): EventLoopDelay } {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const started = performance.now();
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      const toMs = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0);
      return {
        p50: toMs(histogram.percentile(50)),
        p99: toMs(histogram.percentile(99)),
        max: toMs(histogram.max),
        mean: toMs(histogram.mean),
        windowMs: performance.now() - started,
      };
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Lets timers and I/O callbacks run (an awaited synchronous call only yields to microtasks). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The `--import` argument that preloads the event-loop probe (bench/eld-probe.mjs). */
export function probeImportArgs(repoRoot: string): string[] {
  return ['--import', pathToFileURL(join(repoRoot, 'bench', 'eld-probe.mjs')).href];
}

/** Asks a probed process for the window since its last snapshot (SIGUSR2) and reads the answer. */
export async function probeSnapshot(pid: number, file: string, previousSeq: number): Promise<(EventLoopDelay & { seq: number }) | null> {
  try {
    process.kill(pid, 'SIGUSR2');
  } catch {
    return null;
  }
  for (let i = 0; i < 300; i++) {
    await sleep(10);
    try {
      const snap = JSON.parse(readFileSync(file, 'utf8')) as EventLoopDelay & { seq: number };
      if (snap.seq > previousSeq) return snap;
    } catch {
      // not written yet, or half written
    }
  }
  return null;
}

export interface ControlProbe {
  /** Starts a window. */
  begin(): Promise<void>;
  /** Ends the window: the idle process's own event-loop delay over it (machine noise). */
  end(): Promise<EventLoopDelay | null>;
  stop(): void;
}

/**
 * An idle `node` process with the probe preloaded: its event-loop delay over a window is what the
 * machine itself (scheduler, other processes on the same CPUs) adds, to read the host figures against.
 */
export async function startControlProbe(repoRoot: string): Promise<ControlProbe> {
  const file = join(tmpdir(), `longbox-bench-control-${process.pid}-${Date.now()}.json`);
  const child = spawn(process.execPath, [...probeImportArgs(repoRoot), '-e', 'setInterval(() => {}, 1 << 30)'], {
    stdio: 'ignore',
    env: { ...process.env, NODE_OPTIONS: '', LONGBOX_BENCH_ELD_FILE: file },
  });
  const pid = child.pid!;
  let seq = 0;
  // The probe writes seq 0 once its SIGUSR2 handler is installed; signalling earlier would kill it.
  for (let i = 0; i < 500; i++) {
    try {
      JSON.parse(readFileSync(file, 'utf8'));
      break;
    } catch {
      await sleep(10);
    }
  }
  const strip = (snap: (EventLoopDelay & { seq: number }) | null): EventLoopDelay | null =>
    snap ? { p50: snap.p50, p99: snap.p99, max: snap.max, mean: snap.mean, windowMs: snap.windowMs } : null;
  return {
    async begin() {
      const snap = await probeSnapshot(pid, file, seq);
      if (snap) seq = snap.seq;
    },
    async end() {
      const snap = await probeSnapshot(pid, file, seq);
      if (snap) seq = snap.seq;
      return strip(snap);
    },
    stop() {
      child.kill('SIGKILL');
      rmSync(file, { force: true });
    },
  };
}
