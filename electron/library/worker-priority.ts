// The rebuild worker runs below the host and the UI: on a machine with few cores the worker (and its
// threads) otherwise competes with the host's event loop for the CPU, and every list request during a
// rebuild waits for a time slice. The host lowers the worker's priority right after spawning it (both
// transports: child_process.fork and Electron's utilityProcess), and the worker lowers its own threads
// at start-up, because on Linux a nice value belongs to one thread: setpriority(pid) changes only the
// main thread, and threads started before it (V8's platform workers) keep theirs, so both sides walk
// /proc/<pid>/task there (utilityProcess reports its pid only once its threads run). Threads started later
// (libuv's pool, worker_threads, libvips) inherit the value of the thread that creates them.
import { readdirSync } from 'node:fs';
import os from 'node:os';
import type { Logger } from './logger.js';
import { messageOf } from '../../shared/errors.js';

/**
 * Environment variable: `normal` leaves the worker at the host's priority (to measure what the lowering
 * changes, or for a user who wants the rebuild to take every cycle). Anything else = background.
 */
export const WORKER_PRIORITY_ENV = 'LONGBOX_WORKER_PRIORITY';
/** Set by the host in the worker's environment: the priority the worker gives all its threads. */
export const WORKER_THREAD_PRIORITY_ENV = 'LONGBOX_WORKER_THREAD_PRIORITY';

/**
 * The priority for the worker given the host's own: 10 steps below it (PRIORITY_BELOW_NORMAL for a
 * normal host, i.e. BELOW_NORMAL_PRIORITY_CLASS on Windows), never above 19 (the lowest) and never
 * higher than PRIORITY_BELOW_NORMAL. Lowering needs no privilege on any OS; raising it back would.
 */
export function backgroundPriority(hostPriority: number): number {
  const { PRIORITY_LOW, PRIORITY_BELOW_NORMAL } = os.constants.priority;
  return Math.min(PRIORITY_LOW, Math.max(PRIORITY_BELOW_NORMAL, hostPriority + PRIORITY_BELOW_NORMAL));
}

/** The priority the host gives its worker, or null when the environment asks for none. */
export function workerPriorityFor(env: Readonly<Record<string, string | undefined>> = process.env): number | null {
  if (env[WORKER_PRIORITY_ENV] === 'normal') return null;
  let own = 0;
  try {
    own = os.getPriority();
  } catch {
    // Not readable (sandbox): assume normal.
  }
  return backgroundPriority(own);
}

/**
 * Host side: lower the started worker, all of its threads that exist by now included (Linux). A failure
 * is logged and harmless (the worker then merely competes at normal priority). Returns the priority
 * set, or null.
 */
export function lowerWorkerPriority(pid: number | undefined, logger: Logger, env: Readonly<Record<string, string | undefined>> = process.env): number | null {
  const priority = workerPriorityFor(env);
  if (pid === undefined || priority === null) return null;
  const problems = lowerThreadsOf(pid, priority);
  if (problems.length > 0) logger.warn(`[engine pid=${pid}] could not lower its priority: ${problems.join('; ')}`);
  return problems.length === 0 ? priority : null;
}

/**
 * Every thread of process `pid` to `priority` (Linux: each task in /proc/<pid>/task, a thread that
 * exits meanwhile is skipped; elsewhere setpriority on the process already covers its threads). A
 * thread whose value is already lower (higher nice) is left alone. Errors are returned, not thrown.
 */
export function lowerThreadsOf(pid: number, priority: number): string[] {
  const problems: string[] = [];
  const apply = (id: number, isMain: boolean) => {
    try {
      if (os.getPriority(id) < priority) os.setPriority(id, priority);
    } catch (error) {
      // ESRCH: a thread gone between the listing and the call.
      if (isMain || (error as { code?: unknown }).code !== 'ESRCH') problems.push(`${id}: ${messageOf(error)}`);
    }
  };
  apply(pid, true);
  if (process.platform === 'linux') {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      // No /proc (a container without it): the main thread is done, later threads inherit from it.
    }
    for (const task of tasks) {
      const tid = Number(task);
      if (Number.isInteger(tid) && tid !== pid) apply(tid, false);
    }
  }
  return problems;
}

/** Worker side: the priority named by the host, else the main thread's own (already lowered by the host). */
export function ownTargetPriority(env: Readonly<Record<string, string | undefined>> = process.env): number | null {
  const named = Number(env[WORKER_THREAD_PRIORITY_ENV]);
  if (env[WORKER_THREAD_PRIORITY_ENV] !== undefined && Number.isInteger(named)) return named;
  try {
    return os.getPriority(process.pid);
  } catch {
    return null;
  }
}
