import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { adaptWorkerChild, type UtilityChildLike } from '../worker-launch.js';
import { silentLogger } from './logger.js';
import { createNodeLauncher } from './node-launcher.js';
import { workerEnv } from './worker-handle.js';
import { backgroundPriority, WORKER_PRIORITY_ENV, WORKER_THREAD_PRIORITY_ENV, workerPriorityFor } from './worker-priority.js';
import type { WorkerHandle, WorkerMessage } from './worker-protocol.js';

const { PRIORITY_BELOW_NORMAL, PRIORITY_LOW } = os.constants.priority;
const expected = backgroundPriority(os.getPriority());

/** Linux: the nice value of every thread of `pid` (field 19 of /proc/<pid>/task/<tid>/stat). */
function threadNiceValues(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[16]);
  });
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('backgroundPriority', () => {
  it('puts the worker below the host, within the range every OS accepts', () => {
    expect(backgroundPriority(0)).toBe(PRIORITY_BELOW_NORMAL);
    expect(backgroundPriority(5)).toBe(15);
    expect(backgroundPriority(15)).toBe(PRIORITY_LOW);
    // A host above normal still gets a worker below normal, never one above it.
    expect(backgroundPriority(-14)).toBe(PRIORITY_BELOW_NORMAL);
  });

  it(`${WORKER_PRIORITY_ENV}=normal asks for no lowering, and the worker's environment says which value its threads get`, () => {
    expect(workerPriorityFor({ [WORKER_PRIORITY_ENV]: 'normal' })).toBeNull();
    expect(workerPriorityFor({})).toBe(expected);
    expect(workerEnv({ PATH: '/bin' }, 'linux')[WORKER_THREAD_PRIORITY_ENV]).toBe(String(expected));
    expect(workerEnv({ PATH: '/bin', [WORKER_PRIORITY_ENV]: 'normal' }, 'linux')).not.toHaveProperty(WORKER_THREAD_PRIORITY_ENV);
  });
});

describe('the rebuild worker runs below the host', () => {
  it('child_process.fork: the worker process and (on Linux) each of its threads', async () => {
    const handle: WorkerHandle = createNodeLauncher()();
    cleanups.push(() => handle.kill());
    const ready = await new Promise<WorkerMessage>((resolve) => handle.onMessage((m) => m.type === 'ready' && resolve(m)));
    expect(ready.type).toBe('ready');
    const pid = handle.pid!;
    expect(os.getPriority(pid)).toBe(expected);
    expect(os.getPriority(pid)).toBeGreaterThan(os.getPriority());
    if (process.platform === 'linux') {
      const values = threadNiceValues(pid);
      // The main thread plus V8's platform threads at least, all started before the host's call.
      expect(values.length).toBeGreaterThan(1);
      expect(values).toEqual(values.map(() => expected));
    }
  }, 60_000);

  it("utilityProcess: the adapter lowers the child once it reports 'spawn' (when its pid exists)", async () => {
    // A real process stands in for the utility child, so the priority can be read back.
    // It is up (its V8 threads running, as a utility child's are by 'spawn') once it prints.
    const sleeper = spawn(process.execPath, ['-e', 'console.log("up"); setTimeout(() => {}, 30000)'], { stdio: ['ignore', 'pipe', 'ignore'] });
    cleanups.push(() => sleeper.kill('SIGKILL'));
    await new Promise((resolve) => sleeper.stdout.once('data', resolve));
    class Child extends EventEmitter implements UtilityChildLike {
      pid: number | undefined = undefined;
      readonly stdout = null;
      readonly stderr = null;
      postMessage(): void {}
      kill(): boolean {
        return true;
      }
    }
    const child = new Child();
    adaptWorkerChild(child, silentLogger);
    const before = os.getPriority(sleeper.pid!);
    child.pid = sleeper.pid;
    child.emit('spawn');
    expect(before).toBe(os.getPriority());
    expect(os.getPriority(sleeper.pid!)).toBe(expected);
    if (process.platform === 'linux') {
      const values = threadNiceValues(sleeper.pid!);
      expect(values.length).toBeGreaterThan(1);
      expect(values).toEqual(values.map(() => expected));
    }
  });
});
