// The real `longbox serve` (bin/longbox.js → out/, built by `npm run build:node`) as a child process,
// over a small generated library, with a temporary data home. Skipped with a printed reason when the
// node code is not built (`npm test` builds before running vitest).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheStatus, ComicDetail, ComicPage } from '../../shared/types.js';
import { rawRequest, SseClient } from './testing/raw-http.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = path.join(repo, 'bin', 'longbox.js');
const built = ['out/electron/server/cli.js', 'out/electron/library/library-service.js'].every((f) =>
  fs.existsSync(path.join(repo, f)),
);
if (!built) console.warn('serve.integration.test: skipped, the node code is not built (run `npm run build:node`)');

const FILES = 40;
const BROKEN = 2;

interface Served {
  child: ChildProcess;
  port: number;
  stderr: string[];
  exited: Promise<number | null>;
}

function startServe(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [bin, 'serve', ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (t: string) => stderr.push(t));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no "serving" line; stderr:\n${stderr.join('')}`)), 30_000);
    child.stdout?.setEncoding('utf8').on('data', (t: string) => {
      out += t;
      const m = /^Longbox serving (.+) at http:\/\/127\.0\.0\.1:(\d+)\n/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({ child, port: Number(m[2]), stderr, exited });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before listening; stderr:\n${stderr.join('')}`));
    });
  });
}

async function stats(port: number): Promise<CacheStatus> {
  const res = await rawRequest(port, { path: '/api/cache/stats' });
  expect(res.status).toBe(200);
  return (JSON.parse(res.text) as { enriched_file_cache: CacheStatus }).enriched_file_cache;
}

async function until(predicate: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(!built)('longbox serve (real engine, child process)', () => {
  let tmp: string;
  let lib: string;
  let home: string;
  let served: Served;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'longbox-serve-'));
    lib = path.join(tmp, 'lib');
    home = path.join(tmp, 'home');
    const { generateLibrary } = await import('../../scripts/lib/dev-library.js');
    await generateLibrary({ out: lib, files: FILES, broken: BROKEN, seed: 7 });
    served = await startServe([lib, '--port', '0', '--data-dir', home, '--no-watch']);
  }, 120_000);

  afterAll(() => {
    if (served?.child.exitCode === null) served.child.kill('SIGKILL');
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('answers /api/cache/stats in the seed-compatible shape', async () => {
    const s = await stats(served.port);
    for (const key of ['file_count', 'age_seconds', 'is_populated', 'rebuild_in_progress', 'generation', 'phase']) {
      expect(s).toHaveProperty(key);
    }
    expect(s.library_root).toBe(lib);
  });

  it('lists comics once the first generation is in (a cold start waits for it)', async () => {
    const res = await rawRequest(served.port, { path: '/api/comics?limit=10&sort=file' });
    expect(res.status).toBe(200);
    const page = JSON.parse(res.text) as ComicPage;
    expect(Object.keys(page).sort()).toEqual(['generation', 'items', 'offset', 'stale', 'total']);
    expect(page.total).toBe(FILES + BROKEN);
    expect(page.items).toHaveLength(10);
    expect(page.generation).toBeGreaterThan(0);
    const detail = await rawRequest(served.port, { path: `/api/comics/${page.items[0].id}` });
    expect(detail.status).toBe(200);
    expect((JSON.parse(detail.text) as ComicDetail).id).toBe(page.items[0].id);
    expect((await rawRequest(served.port, { path: '/api/comics/999999' })).status).toBe(404);
    await until(async () => (await stats(served.port)).is_populated);
  });

  it('serves a cover for a readable comic', async () => {
    const res = await rawRequest(served.port, { path: '/api/comics?limit=1&filter=ok' });
    const [comic] = (JSON.parse(res.text) as ComicPage).items;
    const cover = await rawRequest(served.port, { path: `/api/comics/${comic.id}/cover?v=${comic.fingerprint}` });
    expect(cover.status).toBe(200);
    expect(cover.headers['content-type']).toMatch(/^image\//);
    expect(cover.body.length).toBeGreaterThan(100);
  });

  it('POST /api/cache/refresh flips rebuild_in_progress to true, then back to false', async () => {
    await until(async () => !(await stats(served.port)).rebuild_in_progress);
    const sse = new SseClient(served.port, '/api/events');
    await sse.waitFor(() => sse.events.length >= 1);
    const before = sse.events.length;
    const res = await rawRequest(served.port, { method: 'POST', path: '/api/cache/refresh' });
    expect(res.status).toBe(202);
    expect(JSON.parse(res.text)).toMatchObject({ accepted: true, enriched_file_cache: { rebuild_in_progress: true } });
    const statuses = (): CacheStatus[] =>
      sse.events.slice(before).filter((e) => e.event === 'status').map((e) => JSON.parse(e.data) as CacheStatus);
    await sse.waitFor(() => statuses().some((s) => s.rebuild_in_progress), 30_000);
    await sse.waitFor(() => {
      const seen = statuses();
      const started = seen.findIndex((s) => s.rebuild_in_progress);
      return started >= 0 && seen.slice(started).some((s) => !s.rebuild_in_progress);
    }, 30_000);
    sse.close();
    expect((await stats(served.port)).rebuild_in_progress).toBe(false);
  });

  it('exits 0 on SIGTERM and releases the rebuild lock', async () => {
    served.child.kill('SIGTERM');
    expect(await served.exited).toBe(0);
    const dataDirs = fs.readdirSync(path.join(home, 'libraries'));
    expect(dataDirs).toHaveLength(1);
    expect(fs.existsSync(path.join(home, 'libraries', dataDirs[0], 'rebuild.lock'))).toBe(false);
  });
});

describe.skipIf(!built)('longbox CLI refusals (real binary)', () => {
  it('refuses a non-loopback host without a token (exit 2)', () => {
    const r = spawnSync(process.execPath, [bin, 'serve', '--host', '0.0.0.0'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/without a token/);
  });

  it('refuses a missing folder (exit 2)', () => {
    const r = spawnSync(process.execPath, [bin, 'serve', path.join(os.tmpdir(), 'longbox-no-such-folder')], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no such folder/);
  });
});
