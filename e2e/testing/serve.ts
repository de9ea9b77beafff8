// Generated libraries and a `longbox serve` process per test: start, read the printed URL, stop.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateLibrary } from '../../scripts/lib/dev-library.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(REPO_ROOT, 'bin', 'longbox.js');
const SERVING_LINE = /^Longbox serving (.+) at (http:\/\/127\.0\.0\.1:\d+\S*)$/m;

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `longbox-e2e-${prefix}-`));
}

export interface GeneratedLibrary {
  root: string;
  files: string[];
  broken: string[];
}

/** A fresh library in its own temp dir (small ones take well under a second). */
export async function makeLibrary(options: { files: number; broken?: number; seed?: number }): Promise<GeneratedLibrary> {
  const root = path.join(await tempDir('lib'), 'Comics');
  const result = await generateLibrary({ out: root, files: options.files, broken: options.broken ?? 0, seed: options.seed ?? 7 });
  return { root, files: result.files, broken: result.broken };
}

/** Adds comics to an existing library, in a sub-folder so their names do not collide. */
export async function addComics(root: string, folder: string, count: number, seed = 99): Promise<string[]> {
  const result = await generateLibrary({ out: path.join(root, folder), files: count, seed });
  return result.files.map((f) => `${folder}/${f}`);
}

export interface ServedLibrary {
  /** The printed URL (with `?token=` when a token was given). */
  url: string;
  root: string;
  dataDir: string;
  /** Everything the host printed so far (stdout + stderr), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface ServeOptions {
  dataDir?: string;
  watch?: boolean;
  token?: string;
  startTimeoutMs?: number;
}

export function assertBuilt(): void {
  if (!existsSync(path.join(REPO_ROOT, 'out', 'electron', 'server', 'cli.js')) || !existsSync(path.join(REPO_ROOT, 'out', 'renderer', 'index.html'))) {
    throw new Error('Longbox is not built: run `npm run build` before `playwright test`.');
  }
}

export async function serveLibrary(root: string, options: ServeOptions = {}): Promise<ServedLibrary> {
  assertBuilt();
  const dataDir = options.dataDir ?? (await tempDir('data'));
  const args = [CLI, 'serve', root, '--port', '0', '--data-dir', dataDir];
  if (options.watch === false) args.push('--no-watch');
  if (options.token) args.push('--token', options.token);
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  let output = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`longbox serve did not print its URL in time:\n${output}`));
    }, options.startTimeoutMs ?? 30_000);
    const onData = (chunk: string) => {
      output += chunk;
      const match = SERVING_LINE.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[2]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: string) => {
      output += chunk;
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`longbox serve exited (${code ?? signal}) before serving:\n${output}`));
    });
  });
  return {
    url,
    root,
    dataDir,
    output: () => output,
    stop: () => stopProcess(child),
  };
}

/** Builds a library's cache without serving it (`longbox scan`). */
export async function scanLibrary(root: string, dataDir: string): Promise<void> {
  assertBuilt();
  const child = spawn(process.execPath, [CLI, 'scan', root, '--data-dir', dataDir], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  if (code !== 0) throw new Error(`longbox scan exited with ${code}:\n${stderr}`);
}

/** An absolute address on a served library's host, e.g. `apiUrl(server, '/api/comics?limit=1')`. */
export function apiUrl(server: ServedLibrary, pathAndQuery: string): string {
  return `${new URL(server.url).origin}${pathAndQuery}`;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** The 20,000-file library generated once per run by global-setup.ts. */
export function sharedLargeLibrary(): { root: string; files: number } {
  const root = process.env.LONGBOX_E2E_LARGE_LIBRARY;
  const files = Number(process.env.LONGBOX_E2E_LARGE_FILES ?? 0);
  if (!root) throw new Error('LONGBOX_E2E_LARGE_LIBRARY is not set: global-setup.ts did not run');
  return { root, files };
}
