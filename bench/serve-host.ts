// `longbox serve` in a child process, as the HTTP measurements run it (measure-http.ts, measure-pages.ts):
// started on a free port without the watcher, its URL read from the line it prints, its stderr kept
// for error messages, stopped with SIGTERM (SIGKILL after 10 s).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { sleep } from './proc.js';

export interface ServeHost {
  child: ChildProcess;
  pid: number;
  /** Without a trailing slash. */
  url: string;
  /** performance.now() at spawn and when the URL was printed. */
  spawnedAt: number;
  listeningAt: number;
  /** The last 4,000 characters the host wrote to stderr. */
  stderrTail(): string;
}

export interface ServeHostOptions {
  repoRoot: string;
  /** The library folder to serve. */
  root: string;
  dataDir: string;
  /** Node flags before the script (e.g. the event-loop probe's --import). */
  nodeArgs?: readonly string[];
  /** Added to this process's environment (NODE_OPTIONS is always dropped: tsx's loader must not leak into the host). */
  env?: Readonly<Record<string, string>>;
}

export async function startServeHost(options: ServeHostOptions): Promise<ServeHost> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  delete env.NODE_OPTIONS;
  const args = [...(options.nodeArgs ?? []), join(options.repoRoot, 'bin', 'longbox.js'), 'serve', options.root, '--port', '0', '--data-dir', options.dataDir, '--no-watch'];
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`longbox serve did not start within 60 s:\n${stderr}`)), 60_000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      stdout += chunk;
      const match = /Longbox serving .* at (http:\/\/\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!.replace(/\/$/, ''));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`longbox serve exited (${signal ?? code}) before listening:\n${stderr}`));
    });
  });
  return { child, pid: child.pid!, url, spawnedAt, listeningAt: performance.now(), stderrTail: () => stderr };
}

export async function stopServeHost(host: ServeHost): Promise<void> {
  if (host.child.exitCode !== null || host.child.signalCode !== null) return;
  const exited = new Promise<void>((r) => host.child.once('exit', () => r()));
  host.child.kill('SIGTERM');
  const timeout = sleep(10_000).then(() => 'timeout' as const);
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    host.child.kill('SIGKILL');
    await exited;
  }
}
