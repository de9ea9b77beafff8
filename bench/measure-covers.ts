// Cover thumbnails per second: realistic 1600×2400 JPEG pages through the engine's cover store (its
// default concurrency), against a minimal sharp pipeline doing the same resize with one job per core.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createCoverStore } from '../electron/library/covers/cover-store.js';
import type { CoverResult } from './report.js';

const PAGE_WIDTH = 1600;
const PAGE_HEIGHT = 2400;
const THUMB_WIDTH = 300;

/** A scanned-page-like JPEG: flat colour areas plus blurred noise (≈ the size of a real page). */
async function makePage(index: number): Promise<Buffer> {
  const hue = (index * 67) % 255;
  const noise = await sharp({
    create: { width: PAGE_WIDTH / 4, height: PAGE_HEIGHT / 4, channels: 3, background: { r: hue, g: 255 - hue, b: 128 }, noise: { type: 'gaussian', mean: 128, sigma: 60 } },
  })
    .png()
    .toBuffer();
  return sharp(noise).resize(PAGE_WIDTH, PAGE_HEIGHT, { kernel: 'cubic' }).blur(1.2).jpeg({ quality: 88 }).toBuffer();
}

async function runLimited(count: number, limit: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

async function floorRate(sources: readonly Buffer[], count: number): Promise<number> {
  const jobs = os.availableParallelism();
  const started = performance.now();
  await runLimited(count, jobs, async (i) => {
    await sharp(sources[i % sources.length]!).resize({ width: THUMB_WIDTH, withoutEnlargement: true }).jpeg({ quality: 80 }).toBuffer();
  });
  return count / ((performance.now() - started) / 1000);
}

async function storeRate(sources: readonly Buffer[], count: number, round: number): Promise<{ perSecond: number; contentType: string; bytesMean: number }> {
  const dir = mkdtempSync(join(os.tmpdir(), 'longbox-bench-covers-'));
  const store = createCoverStore({ dir });
  try {
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: count }, (_, i) => store.getCover(`bench-${round}-${i}`, async () => sources[i % sources.length]!)),
    );
    const perSecond = count / ((performance.now() - started) / 1000);
    const generated = store.stats().generated;
    if (generated !== count) throw new Error(`cover store made ${generated} thumbnails for ${count} requests`);
    return { perSecond, contentType: results[0]!.contentType, bytesMean: results.reduce((n, r) => n + r.data.length, 0) / count };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureCovers(options: { thumbnails: number; log: (line: string) => void }): Promise<CoverResult> {
  const sourceCount = 6;
  const sources: Buffer[] = [];
  for (let i = 0; i < sourceCount; i++) sources.push(await makePage(i));
  const previousConcurrency = sharp.concurrency();
  // libvips' operation cache would serve repeated identical inputs: off for both pipelines.
  sharp.cache(false);
  sharp.concurrency(1);
  try {
    const warm = Math.min(4, options.thumbnails);
    await floorRate(sources, warm);
    const floors: number[] = [];
    const stores: Array<Awaited<ReturnType<typeof storeRate>>> = [];
    for (let round = 0; round < 2; round++) {
      floors.push(await floorRate(sources, options.thumbnails));
      stores.push(await storeRate(sources, options.thumbnails, round));
    }
    const floorPerSecond = Math.max(...floors);
    const best = stores.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
    options.log(`covers: store ${stores.map((s) => s.perSecond.toFixed(1)).join(', ')}/s; floor ${floors.map((f) => f.toFixed(1)).join(', ')}/s`);
    return {
      sourceCount,
      sourceBytesMean: sources.reduce((n, b) => n + b.length, 0) / sourceCount,
      thumbnails: options.thumbnails,
      perSecond: best.perSecond,
      contentType: best.contentType,
      thumbnailBytesMean: best.bytesMean,
      floorPerSecond,
      ratioToFloor: best.perSecond / floorPerSecond,
    };
  } finally {
    sharp.cache(true);
    sharp.concurrency(previousConcurrency);
  }
}
