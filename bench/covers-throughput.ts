// Measures cover thumbnails per second through the real CoverStore: 1600×2400 JPEG → 300 px wide,
// JPEG and WebP output, `--jobs` sharp jobs at once (default: available cores), loadImage from memory.
//   npx tsx bench/covers-throughput.ts [--count 200] [--jobs 2]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { createCoverStore, type CoverFormat } from '../electron/library/covers/cover-store.js';
import { mulberry32 } from '../electron/library/sample/prng.js';

/** A scan-like 1600×2400 JPEG: flat colors, shapes and fine noise, ~1–2 MB at quality 90 like real scans. */
async function scanLikeJpeg(seed: number): Promise<Buffer> {
  const rng = mulberry32(seed);
  const W = 1600;
  const H = 2400;
  const shapes: string[] = [];
  for (let i = 0; i < 40; i++) {
    const color = `hsl(${rng.int(0, 359)},${rng.int(30, 90)}%,${rng.int(20, 80)}%)`;
    shapes.push(`<circle cx="${rng.int(0, W)}" cy="${rng.int(0, H)}" r="${rng.int(40, 400)}" fill="${color}" opacity="0.8"/>`);
  }
  const base = await sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="${W}" height="${H}" fill="#f4ecd8"/>${shapes.join('')}</svg>`))
    .removeAlpha()
    .raw()
    .toBuffer();
  const noise = rng.bytes(base.length);
  for (let i = 0; i < base.length; i++) base[i] = Math.max(0, Math.min(255, base[i] + ((noise[i] & 31) - 16)));
  return sharp(base, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}

async function run(format: CoverFormat, count: number, jobs: number, images: Buffer[]): Promise<{ perSecond: number; avgBytes: number; cpuMs: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'longbox-bench-covers-'));
  try {
    const store = createCoverStore({ dir, concurrency: jobs, format });
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    let bytes = 0;
    await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const { data } = await store.getCover(`bench${format}${String(i).padStart(6, '0')}`, async () => images[i % images.length]);
        bytes += data.length;
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    await store.close();
    return { perSecond: count / seconds, avgBytes: bytes / count, cpuMs: (cpu.user + cpu.system) / 1000 / count };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: 'string' }, jobs: { type: 'string' } } });
  const count = Number(values.count ?? 200);
  const jobs = Number(values.jobs ?? os.availableParallelism());
  const images = await Promise.all(Array.from({ length: 8 }, (_, i) => scanLikeJpeg(i + 1)));
  const inputKb = images.reduce((a, b) => a + b.length, 0) / images.length / 1024;
  const load = os.loadavg()[0];
  process.stdout.write(`load average ${load.toFixed(1)} on ${os.availableParallelism()} cores${load > os.availableParallelism() ? ' (busy machine: figures are low)' : ''}\n`);
  process.stdout.write(`input: 8 distinct 1600×2400 JPEGs, ${inputKb.toFixed(0)} KiB on average; ${count} covers per run, ${jobs} jobs\n`);
  await run('jpeg', Math.min(20, count), jobs, images); // warm-up
  for (const format of ['jpeg', 'webp'] as const) {
    const { perSecond, avgBytes, cpuMs } = await run(format, count, jobs, images);
    // CPU time per thumbnail (all threads) says what `jobs` idle cores could do when the machine is busy.
    process.stdout.write(
      `${format}: ${perSecond.toFixed(1)} thumbnails/s, ${(avgBytes / 1024).toFixed(1)} KiB each, ${cpuMs.toFixed(1)} CPU-ms each ` +
        `(≈ ${((jobs * 1000) / cpuMs).toFixed(0)}/s on ${jobs} idle cores)\n`,
    );
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
