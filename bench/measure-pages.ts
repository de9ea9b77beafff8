// Page request latency over HTTP: `longbox serve` in a child process on a small library of CBZ and
// CBR comics whose pages are 2–4 MB JPEGs (made with sharp), read with keep-alive fetch, body read.
// Cold = the first request for a comic since the host started (archive not open, page list not
// made; the OS page cache is warm: the files were just written). Warm = later requests of the same
// comic's pages (archive open in its page worker), full body each time (no If-None-Match).
// Also: GET /api/comics latency while two page loops run, to show page reads stay off the event loop.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { buildRar } from '../scripts/testing/rar-writer.js';
import { buildZip } from '../scripts/testing/zip-writer.js';
import { sleep } from './proc.js';
import { startServeHost, stopServeHost } from './serve-host.js';
import type { PageBenchResult, PageLatency } from './report.js';
import { percentile, summarize } from './stats.js';

export function pageLatency(values: readonly number[]): PageLatency {
  return { ...summarize(values), p95: percentile(values, 95) };
}

/** A scan-like 2400×3600 JPEG: coarse noise, scaled up and softened (≈ 3–4 MB at quality 88). */
async function makePage(index: number): Promise<Buffer> {
  const hue = (index * 53) % 255;
  const noise = await sharp({
    create: { width: 800, height: 1200, channels: 3, background: { r: hue, g: 255 - hue, b: 120 }, noise: { type: 'gaussian', mean: 128, sigma: 70 } },
  })
    .png()
    .toBuffer();
  return sharp(noise).resize(2400, 3600, { kernel: 'cubic' }).blur(0.6).jpeg({ quality: 88 }).toBuffer();
}

/** Two keep-alive clients fetching the given page URLs round-robin until killed; prints once started. */
const PAGER_SCRIPT = `
const urls = process.argv.slice(1);
let started = false;
async function loop(k) {
  for (let i = k; ; i++) {
    const res = await fetch(urls[(i * 7) % urls.length]);
    await res.arrayBuffer();
    if (!started) { started = true; process.stdout.write('started\\n'); }
  }
}
loop(0); loop(1);
`;

interface ComicRow {
  id: number;
  fileName: string;
  fingerprint: string;
  stale?: boolean;
}

async function timedFetch(url: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const res = await fetch(url);
  const body = Buffer.from(await res.arrayBuffer());
  const ms = performance.now() - started;
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${body.toString('utf8', 0, 300)}`);
  return { ms, bytes: body.length };
}

export async function measurePages(options: { repoRoot: string; quick: boolean; log: (line: string) => void }): Promise<PageBenchResult> {
  const { log } = options;
  const pagesPerComic = options.quick ? 4 : 8;
  const comicsPerFormat = options.quick ? 3 : 8;
  const warmRounds = options.quick ? 3 : 6;
  const pages = await Promise.all(Array.from({ length: pagesPerComic }, (_, i) => makePage(i)));
  const pageBytesMean = pages.reduce((n, p) => n + p.length, 0) / pages.length;
  log(`pages: ${pagesPerComic} JPEG pages of ${(pageBytesMean / 1024 ** 2).toFixed(1)} MB mean; ${comicsPerFormat} CBZ + ${comicsPerFormat} CBR (+1 warm-up each)`);

  const home = mkdtempSync(join(os.tmpdir(), 'longbox-bench-pages-'));
  const root = join(home, 'Comics');
  mkdirSync(root);
  // Stored entries, as scanners write comics (JPEG does not deflate); the test RAR writer stores too.
  for (let c = 0; c <= comicsPerFormat; c++) {
    const entries = pages.map((data, i) => ({ name: `page-${String(i + 1).padStart(3, '0')}.jpg`, data }));
    const salt = { name: 'salt.txt', data: Buffer.from(`comic ${c}`) };
    writeFileSync(join(root, `Bench CBZ ${String(c).padStart(2, '0')}.cbz`), buildZip([...entries, salt]));
    writeFileSync(join(root, `Bench CBR ${String(c).padStart(2, '0')}.cbr`), buildRar([...entries, salt], { version: 5 }));
  }
  const host = await startServeHost({ repoRoot: options.repoRoot, root, dataDir: join(home, 'data') });
  try {
    let rows: ComicRow[] = [];
    for (;;) {
      const res = await fetch(`${host.url}/api/comics?limit=100&sort=file`);
      const body = (await res.json()) as { items: ComicRow[]; stale: boolean };
      rows = body.items;
      if (rows.length === 2 * (comicsPerFormat + 1) && !body.stale) break;
      await sleep(100);
    }
    const pageUrl = (row: ComicRow, index: number) => `${host.url}/api/comics/${row.id}/pages/${index}?v=${encodeURIComponent(row.fingerprint)}`;
    const measureFormat = async (ext: 'cbz' | 'cbr') => {
      const comics = rows.filter((row) => row.fileName.toLowerCase().endsWith(`.${ext}`));
      // The first comic only wakes the page workers (thread start, unrar's wasm): not timed.
      await timedFetch(pageUrl(comics[0]!, 0));
      const cold: number[] = [];
      const warm: number[] = [];
      for (const comic of comics.slice(1)) {
        cold.push((await timedFetch(pageUrl(comic, 1))).ms);
        for (let round = 0; round < warmRounds; round++) {
          for (let i = 0; i < pagesPerComic; i++) warm.push((await timedFetch(pageUrl(comic, i))).ms);
        }
      }
      return { cold: pageLatency(cold), warm: pageLatency(warm) };
    };
    const cbz = await measureFormat('cbz');
    const cbr = await measureFormat('cbr');
    log(`pages CBZ: cold p50 ${cbz.cold.p50?.toFixed(1)} / p95 ${cbz.cold.p95?.toFixed(1)} ms, warm p50 ${cbz.warm.p50?.toFixed(1)} / p95 ${cbz.warm.p95?.toFixed(1)} ms`);
    log(`pages CBR: cold p50 ${cbr.cold.p50?.toFixed(1)} / p95 ${cbr.cold.p95?.toFixed(1)} ms, warm p50 ${cbr.warm.p50?.toFixed(1)} / p95 ${cbr.warm.p95?.toFixed(1)} ms`);

    // List latency with and without page traffic.
    const listUrl = `${host.url}/api/comics?limit=100&sort=series`;
    const listCalls = options.quick ? 40 : 150;
    const listIdle: number[] = [];
    for (let i = 0; i < listCalls; i++) listIdle.push((await timedFetch(listUrl)).ms);
    // The page clients run in their own process, so this process's event loop times only the list calls.
    const urls = rows.flatMap((row) => Array.from({ length: pagesPerComic }, (_, i) => pageUrl(row, i)));
    const pager = spawn(process.execPath, ['-e', PAGER_SCRIPT, ...urls], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      pager.stdout!.once('data', () => resolve());
      pager.once('exit', (code) => reject(new Error(`the page client exited (${code})`)));
    });
    const listBusy: number[] = [];
    for (let i = 0; i < listCalls; i++) listBusy.push((await timedFetch(listUrl)).ms);
    pager.kill('SIGKILL');
    const result: PageBenchResult = {
      pagesPerComic,
      comicsPerFormat,
      pageBytesMean,
      cbz,
      cbr,
      listWhilePaging: pageLatency(listBusy),
      listIdle: pageLatency(listIdle),
    };
    log(`GET /api/comics while paging: p50 ${result.listWhilePaging.p50?.toFixed(1)} / p95 ${result.listWhilePaging.p95?.toFixed(1)} ms (idle p50 ${result.listIdle.p50?.toFixed(1)} / p95 ${result.listIdle.p95?.toFixed(1)} ms)`);
    return result;
  } finally {
    await stopServeHost(host);
    rmSync(home, { recursive: true, force: true });
  }
}
