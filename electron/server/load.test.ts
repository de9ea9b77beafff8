// Load: 50 concurrent HTTP clients paging, sorting, searching and opening details against the real
// `longbox serve` (child process, built code) while refreshes are forced and files change, so new
// generations are swapped in under the readers. Must hold: no error response, no unhandled rejection
// or exception in the host's stderr, the host still up; latency and host memory are printed (not asserted).
// CI runs ~10 s; LONGBOX_LOAD_SECONDS=60 for the full run. Skipped with a printed reason when out/ is not built.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SORT_KEYS, type CacheStatus, type ComicPage } from '../../shared/types.js';
import { writeLibrary } from '../library/testing/fixtures.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = path.join(repo, 'bin', 'longbox.js');
const built = ['out/electron/server/cli.js', 'out/electron/library/library-service.js', 'out/electron/library/worker-entry.js'].every((f) =>
  fs.existsSync(path.join(repo, f)),
);
if (!built) console.log('load.test: skipped, the node code is not built (run `npm run build`)');

const SECONDS = Number(process.env.LONGBOX_LOAD_SECONDS ?? 10);
const CLIENTS = 50;
const FILES = 1500;
const WORDS = ['series', 'issue', 'ann', 'bob', 'writer', 'author', '1', '12', 'zzz-none', 'series 3'];

interface Response {
  status: number;
  body: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS + 4 });

function request(port: number, method: string, urlPath: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function rssMb(pid: number | undefined): { rss: number; peak: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
    return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return null;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

describe.skipIf(!built)('load: 50 clients against longbox serve during forced refreshes', () => {
  let tmp: string;
  let lib: string;
  let child: ChildProcess;
  let port: number;
  const stderr: string[] = [];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'longbox-load-'));
    lib = path.join(tmp, 'lib');
    fs.mkdirSync(lib);
    writeLibrary(lib, FILES);
    child = spawn(process.execPath, [bin, 'serve', lib, '--port', '0', '--data-dir', path.join(tmp, 'data'), '--no-watch'], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr!.setEncoding('utf8').on('data', (t: string) => stderr.push(t));
    port = await new Promise<number>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no "serving" line; stderr:\n${stderr.join('')}`)), 30_000);
      child.stdout!.setEncoding('utf8').on('data', (t: string) => {
        out += t;
        const m = /at http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}; stderr:\n${stderr.join('')}`)));
    });
    // Cold start: wait for the first generation.
    const first = await request(port, 'GET', '/api/comics?limit=1');
    expect(first.status).toBe(200);
  }, 120_000);

  afterAll(() => {
    agent.destroy();
    if (child?.exitCode === null) child.kill('SIGKILL');
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it(`serves every request without an error for ${SECONDS} s`, async () => {
    const before = rssMb(child.pid);
    const latencies: number[] = [];
    const failures: string[] = [];
    const generations = new Set<number>();
    let refreshes = 0;
    let busySeen = 0;
    const deadline = Date.now() + SECONDS * 1000;
    let seed = 12345;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };

    const timed = async (method: string, url: string, expected: number): Promise<Response | null> => {
      const started = performance.now();
      try {
        const res = await request(port, method, url);
        latencies.push(performance.now() - started);
        if (res.status !== expected) failures.push(`${method} ${url} → ${res.status} ${res.body.slice(0, 200)}`);
        return res;
      } catch (err) {
        failures.push(`${method} ${url} → ${(err as Error).message}`);
        return null;
      }
    };

    const client = async (n: number) => {
      let ids: number[] = [];
      while (Date.now() < deadline) {
        const kind = random(10);
        if (kind < 5) {
          const sort = SORT_KEYS[random(SORT_KEYS.length)];
          const res = await timed('GET', `/api/comics?offset=${random(FILES + 50)}&limit=${1 + random(100)}&sort=${sort}&order=${random(2) ? 'asc' : 'desc'}`, 200);
          if (res?.status === 200) {
            const page = JSON.parse(res.body) as ComicPage;
            generations.add(page.generation);
            // Never a partial generation: a full page unless the offset is near the end.
            if (page.total < FILES) failures.push(`list total ${page.total} < ${FILES} (generation ${page.generation})`);
            ids = page.items.map((c) => c.id);
          }
        } else if (kind < 8) {
          const q = encodeURIComponent(WORDS[random(WORDS.length)]!);
          await timed('GET', `/api/comics?q=${q}&limit=50&sort=title${n % 3 === 0 ? '&filter=unread' : ''}`, 200);
        } else if (kind < 9 && ids.length > 0) {
          await timed('GET', `/api/comics/${ids[random(ids.length)]}`, 200);
        } else {
          const res = await timed('GET', '/api/cache/stats', 200);
          if (res?.status === 200 && (JSON.parse(res.body) as { enriched_file_cache: CacheStatus }).enriched_file_cache.rebuild_in_progress) busySeen++;
        }
      }
    };

    // Refreshes, forced repeatedly, with a changed file each time so that generations really swap.
    const refresher = async () => {
      let i = 0;
      while (Date.now() < deadline) {
        const file = path.join(lib, 'Series 0', `Series 0 ${String((i % 50) * 5 + 1).padStart(3, '0')}.cbz`);
        const at = new Date(Date.now() + 1000 * ++i);
        fs.utimesSync(file, at, at);
        const res = await request(port, 'POST', '/api/cache/refresh');
        if (res.status !== 202) failures.push(`refresh → ${res.status}`);
        refreshes++;
        await new Promise((r) => setTimeout(r, 150));
      }
    };

    const started = performance.now();
    await Promise.all([...Array.from({ length: CLIENTS }, (_, n) => client(n)), refresher()]);
    const seconds = (performance.now() - started) / 1000;
    // Let the last rebuild finish, then read memory.
    for (let i = 0; i < 200; i++) {
      const s = JSON.parse((await request(port, 'GET', '/api/cache/stats')).body) as { enriched_file_cache: CacheStatus };
      if (!s.enriched_file_cache.rebuild_in_progress) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const after = rssMb(child.pid);
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(
      `load: ${CLIENTS} clients, ${seconds.toFixed(1)} s, ${latencies.length} requests (${Math.round(latencies.length / seconds)}/s), ` +
        `${refreshes} refreshes, ${generations.size} generations seen, stats busy ${busySeen}×; latency ms ` +
        `p50 ${percentile(sorted, 50).toFixed(1)} p99 ${percentile(sorted, 99).toFixed(1)} max ${(sorted.at(-1) ?? NaN).toFixed(1)}; ` +
        `host RSS ${before?.rss ?? '?'} MB → ${after?.rss ?? '?'} MB (peak ${after?.peak ?? '?'} MB)`,
    );
    const log = stderr.join('');
    expect(failures.slice(0, 10)).toEqual([]);
    expect(log).not.toMatch(/unhandled|uncaught|TypeError|RangeError|ReferenceError|ERR_/i);
    expect(child.exitCode).toBeNull();
    expect(generations.size).toBeGreaterThan(1); // swaps really happened under the readers
  }, (SECONDS + 90) * 1000);
});
