import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CoverError, createCoverStore, type CoverStore } from './cover-store.js';

const FP = 'ab12cd34ef56ab12cd34ef56ab12cd34';
let bigJpeg: Buffer;
let root: string;
let dir: string;
let counter = 0;
const stores: CoverStore[] = [];

function store(options: Partial<Parameters<typeof createCoverStore>[0]> = {}): CoverStore {
  const s = createCoverStore({ dir, concurrency: 2, ...options });
  stores.push(s);
  return s;
}

function fingerprint(n: number): string {
  return `${n.toString(16).padStart(4, '0')}f00dfeed${n}`;
}

function listFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(folder, path.join(d.parentPath, d.name)));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await sleep(5);
  if (!condition()) throw new Error('condition not met in time');
}

/** loadImage functions by name, each taking 10 ms, that record in `order` which the store called when. */
function orderRecorder(): { order: string[]; load: (name: string) => () => Promise<Buffer> } {
  const order: string[] = [];
  const load = (name: string) => async (): Promise<Buffer> => {
    order.push(name);
    await sleep(10);
    return bigJpeg;
  };
  return { order, load };
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'longbox-covers-'));
  const svg = Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="2400"><rect width="1600" height="2400" fill="#2a4d9c"/>' +
      '<circle cx="800" cy="1200" r="600" fill="#f5c518"/><rect x="100" y="100" width="1400" height="300" fill="#c0392b"/></svg>',
  );
  bigJpeg = await sharp(svg).jpeg({ quality: 85 }).toBuffer();
});

beforeEach(() => {
  dir = path.join(root, `store-${counter++}`);
});

afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  rmSync(root, { recursive: true, force: true });
});

describe('cover store', () => {
  it('makes a 300 px wide thumbnail, keeps the aspect and caches it under a 2-level fan-out', async () => {
    const s = store();
    const result = await s.getCover(FP, async () => bigJpeg);
    expect(result.contentType).toBe('image/jpeg');
    expect([...result.data.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    const meta = await sharp(result.data).metadata();
    expect([meta.width, meta.height]).toEqual([300, 450]);
    expect(s.pathFor(FP)).toBe(path.join(dir, 'ab', `${FP}.jpg`));
    expect(listFiles(dir)).toEqual([path.join('ab', `${FP}.jpg`)]);
  });

  it('writes WebP when asked', async () => {
    const result = await store({ format: 'webp' }).getCover(FP, async () => bigJpeg);
    expect(result.contentType).toBe('image/webp');
    expect(result.data.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(result.data.subarray(8, 12).toString('latin1')).toBe('WEBP');
    expect((await sharp(result.data).metadata()).width).toBe(300);
    expect(listFiles(dir)).toEqual([path.join('ab', `${FP}.webp`)]);
  });

  it('serves a cached cover from disk without calling loadImage, also after a restart', async () => {
    const first = await store().getCover(FP, async () => bigJpeg);
    let calls = 0;
    const load = async (): Promise<Buffer> => {
      calls++;
      return bigJpeg;
    };
    const again = await store().getCover(FP, load);
    expect(calls).toBe(0);
    expect(again.data.equals(first.data)).toBe(true);
  });

  it('shares one job between concurrent requests for one fingerprint', async () => {
    const s = store();
    let calls = 0;
    const load = async (): Promise<Buffer> => {
      calls++;
      await sleep(30);
      return bigJpeg;
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => s.getCover(FP, load)));
    expect(calls).toBe(1);
    for (const r of results) expect(r.data.equals(results[0].data)).toBe(true);
    expect(s.stats().generated).toBe(1);
  });

  it('rejects a broken image with a clear error, caches nothing and does not retry it', async () => {
    const s = store();
    let calls = 0;
    const load = async (): Promise<Buffer> => {
      calls++;
      return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 7)]);
    };
    const failure = await s.getCover(FP, load).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(CoverError);
    expect((failure as CoverError).kind).toBe('decode');
    expect((failure as CoverError).message).toMatch(new RegExp(`Cover ${FP}: the cover image could not be decoded: .+`));
    await expect(s.getCover(FP, load)).rejects.toThrow(/could not be decoded/);
    expect(calls).toBe(1);
    expect(listFiles(dir)).toEqual([]);
    expect(s.stats().badImages).toBe(1);
    // Empty input and non-images are decode failures too.
    await expect(s.getCover(fingerprint(1), async () => Buffer.alloc(0))).rejects.toThrow(/empty/);
    await expect(s.getCover(fingerprint(2), async () => Buffer.from('not an image at all'))).rejects.toThrow(/could not be decoded/);
  });

  it('refuses images over the pixel limit', async () => {
    const s = store({ maxInputPixels: 1000 * 1000 });
    await expect(s.getCover(FP, async () => bigJpeg)).rejects.toMatchObject({ kind: 'decode', message: expect.stringMatching(/pixel limit/i) });
  });

  it('reports a failing loadImage as a load error and retries it after loadRetryMs', async () => {
    const s = store({ loadRetryMs: 50 });
    let calls = 0;
    const load = async (): Promise<Buffer> => {
      calls++;
      if (calls === 1) throw new Error('ENOENT: the library root is offline');
      return bigJpeg;
    };
    await expect(s.getCover(FP, load)).rejects.toMatchObject({ kind: 'load', message: expect.stringContaining('offline') });
    await expect(s.getCover(FP, load)).rejects.toMatchObject({ kind: 'load' });
    expect(calls).toBe(1);
    await sleep(60);
    expect((await s.getCover(FP, load)).data.length).toBeGreaterThan(0);
    expect(calls).toBe(2);
  });

  it('times out a loadImage that never settles', async () => {
    const s = store({ loadTimeoutMs: 30 });
    await expect(s.getCover(FP, () => new Promise<Buffer>(() => undefined))).rejects.toThrow(/longer than 30 ms/);
  });

  it('rejects fingerprints that are not safe file names', async () => {
    const s = store();
    for (const bad of ['../../etc/passwd', 'a/b', '', '.hidden', 'x'.repeat(300)]) {
      await expect(s.getCover(bad, async () => bigJpeg)).rejects.toMatchObject({ kind: 'invalid-fingerprint' });
    }
    expect(listFiles(root).some((f) => f.includes('passwd'))).toBe(false);
  });

  it('runs at most `concurrency` jobs at once', async () => {
    const s = store({ concurrency: 2 });
    let inFlight = 0;
    let maxInFlight = 0;
    const load = async (): Promise<Buffer> => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await sleep(25);
      inFlight--;
      return bigJpeg;
    };
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => s.getCover(fingerprint(i), load)));
    expect(results).toHaveLength(8);
    expect(maxInFlight).toBe(2);
    expect(listFiles(dir)).toHaveLength(8);
  });

  it('serves the newest request first (LIFO) and getCover before prefetch', async () => {
    const s = store({ concurrency: 1 });
    const { order, load } = orderRecorder();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const blocker = s.getCover(fingerprint(100), async () => {
      order.push('blocker');
      await gate;
      return bigJpeg;
    });
    await until(() => order.includes('blocker'));
    s.prefetch([
      { fingerprint: fingerprint(200), loadImage: load('prefetch-1') },
      { fingerprint: fingerprint(201), loadImage: load('prefetch-2') },
    ]);
    const a = s.getCover(fingerprint(101), load('a'));
    const b = s.getCover(fingerprint(102), load('b'));
    const c = s.getCover(fingerprint(103), load('c'));
    await until(() => s.stats().queued === 5);
    release();
    await Promise.all([blocker, a, b, c]);
    await until(() => order.length === 6);
    expect(order).toEqual(['blocker', 'c', 'b', 'a', 'prefetch-1', 'prefetch-2']);
  });

  it('prefetches in the background with one job less than concurrency, skips cached covers, swallows failures', async () => {
    const s = store({ concurrency: 2 });
    await s.getCover(fingerprint(0), async () => bigJpeg);
    let inFlight = 0;
    let maxInFlight = 0;
    let calls = 0;
    const load = async (): Promise<Buffer> => {
      calls++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await sleep(10);
      inFlight--;
      return bigJpeg;
    };
    s.prefetch([
      { fingerprint: fingerprint(0), loadImage: load }, // already cached
      ...Array.from({ length: 5 }, (_, i) => ({ fingerprint: fingerprint(i + 1), loadImage: load })),
      { fingerprint: fingerprint(9), loadImage: async () => Buffer.from('garbage') },
    ]);
    await until(() => s.stats().queued === 0 && s.stats().running === 0);
    expect(calls).toBe(5);
    expect(maxInFlight).toBe(1);
    expect(listFiles(dir)).toHaveLength(6);
    // A prefetched cover is then served from disk.
    await s.getCover(fingerprint(3), async () => {
      throw new Error('should not load');
    });
    expect(s.stats().badImages).toBe(1);
  });

  it('lets getCover take over a queued prefetch item', async () => {
    const s = store({ concurrency: 1 });
    const { order, load } = orderRecorder();
    s.prefetch(Array.from({ length: 4 }, (_, i) => ({ fingerprint: fingerprint(300 + i), loadImage: load(`p${i}`) })));
    const wanted = await s.getCover(fingerprint(303), load('wanted'));
    expect(wanted.data.length).toBeGreaterThan(0);
    await until(() => s.stats().queued === 0 && s.stats().running === 0);
    expect(order).toEqual(['p0', 'wanted', 'p1', 'p2']); // p3 is not made twice
    expect(listFiles(dir)).toHaveLength(4);
  });

  it('cancelPrefetch() drops queued prefetch work', async () => {
    const s = store({ concurrency: 1 });
    const started: number[] = [];
    s.prefetch(
      Array.from({ length: 6 }, (_, i) => ({
        fingerprint: fingerprint(400 + i),
        loadImage: async () => {
          started.push(i);
          await sleep(20);
          return bigJpeg;
        },
      })),
    );
    await until(() => started.length === 1);
    expect(s.stats().queued).toBe(5);
    s.cancelPrefetch();
    expect(s.stats().queued).toBe(0);
    await until(() => s.stats().running === 0);
    await sleep(30);
    expect(started).toEqual([0]);
    expect(listFiles(dir)).toHaveLength(1);
  });

  it('close() rejects queued requests, lets running jobs finish and leaves no temp files', async () => {
    const s = createCoverStore({ dir, concurrency: 1 });
    let started = 0;
    const slow = async (): Promise<Buffer> => {
      started++;
      await sleep(40);
      return bigJpeg;
    };
    const running = s.getCover(fingerprint(1), slow);
    await until(() => started === 1);
    const queued = s.getCover(fingerprint(2), slow).catch((err: unknown) => err);
    await until(() => s.stats().queued === 1);
    await s.close();
    await expect(running).resolves.toMatchObject({ contentType: 'image/jpeg' });
    expect(await queued).toMatchObject({ kind: 'closed' });
    await expect(s.getCover(fingerprint(3), slow)).rejects.toMatchObject({ kind: 'closed' });
    expect(listFiles(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(listFiles(dir)).toHaveLength(1);
  });

  it('does not enlarge small images and bounds very tall strips', async () => {
    const s = store();
    const small = await sharp({ create: { width: 120, height: 180, channels: 3, background: '#888' } }).png().toBuffer();
    expect((await sharp((await s.getCover(fingerprint(1), async () => small)).data).metadata()).width).toBe(120);
    const strip = await sharp({ create: { width: 800, height: 16000, channels: 3, background: '#444' } }).jpeg().toBuffer();
    const meta = await sharp((await s.getCover(fingerprint(2), async () => strip)).data).metadata();
    expect(meta.height).toBe(1200);
    expect(meta.width).toBe(60);
  });
});
