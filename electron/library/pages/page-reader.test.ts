// The page reader over real archives with real images (made by sharp): sizes from headers or from
// ComicInfo, spreads, solid RAR, and the open-archive cache.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRar } from '../../../scripts/testing/rar-writer.js';
import { buildZip } from '../../../scripts/testing/zip-writer.js';
import { buildPdf } from '../sample/pdf-writer.js';
import { openArchive } from '../archive/index.js';
import { PageReader } from './page-reader.js';
import { createPageBackend } from './page-pool.js';
import { createPageServer } from './page-server.js';

let tmp: string;
let images: Array<{ name: string; data: Buffer; width: number; height: number }>;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'longbox-page-reader-'));
  const make = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#3060a0' } });
  images = [
    { name: '01.jpg', data: await make(300, 450).jpeg().withMetadata({ orientation: 1 }).toBuffer(), width: 300, height: 450 },
    { name: '02.png', data: await make(310, 460).png().toBuffer(), width: 310, height: 460 },
    { name: '03.webp', data: await make(620, 460).webp().toBuffer(), width: 620, height: 460 }, // a spread
    { name: '10.gif', data: await make(120, 200).gif().toBuffer(), width: 120, height: 200 },
    { name: '11.avif', data: await make(200, 300).avif({ effort: 0 }).toBuffer(), width: 200, height: 300 },
  ];
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

let n = 0;
function write(data: Buffer, ext = 'cbz'): string {
  const file = path.join(tmp, `c${++n}.${ext}`);
  writeFileSync(file, data);
  return file;
}

const expected = () => images.map((image) => ({ name: image.name, size: image.data.length, width: image.width, height: image.height, doublePage: false }));

describe('PageReader.list: sizes from the image headers', () => {
  it.each([
    ['ZIP stored', () => write(buildZip(images.map(({ name, data }) => ({ name, data }))))],
    ['ZIP deflated', () => write(buildZip(images.map(({ name, data }) => ({ name, data, method: 'deflate' as const }))))],
    ['RAR 4', () => write(buildRar(images, { version: 4 }), 'cbr')],
    ['RAR 5', () => write(buildRar(images, { version: 5 }), 'cbr')],
    ['RAR 4 solid', () => write(buildRar(images, { version: 4, solid: true }), 'cbr')],
    [
      'TAR',
      () => {
        const dir = path.join(tmp, `tar${++n}`);
        mkdirSync(dir);
        for (const image of images) writeFileSync(path.join(dir, image.name), image.data);
        const file = path.join(tmp, `c${n}.cbt`);
        execFileSync('bsdtar', ['-cf', file, '-C', dir, ...images.map((image) => image.name)]);
        return file;
      },
    ],
  ])('%s', async (_name, make) => {
    const reader = new PageReader();
    const file = make();
    expect(await reader.list(file, 'fp')).toEqual({ pages: expected(), kind: 'comic' });
    for (const image of images) expect((await reader.read(file, 'fp', image.name, 1 << 26)).equals(image.data)).toBe(true);
    await reader.close();
  });

  it('a solid RAR is recognised and decompressed once for all its pages', async () => {
    const file = write(buildRar(images, { version: 4, solid: true }), 'cbr');
    const archive = await openArchive(file);
    expect(archive.solid).toBe(true);
    for (const image of [...images].reverse()) expect((await archive.readEntry(image.name)).equals(image.data)).toBe(true);
    expect(archive.cachedBytes()).toBe(images.reduce((sum, image) => sum + image.data.length, 0));
    archive.releaseMemory();
    expect(archive.cachedBytes()).toBe(0);
    expect((await archive.readEntry(images[1].name)).equals(images[1].data)).toBe(true);
    await archive.close();
    const plain = await openArchive(write(buildRar(images, { version: 4 }), 'cbr'));
    expect(plain.solid).toBe(false);
    await plain.close();
  });

  it('ComicInfo <Pages> sizes are used where both are given; DoublePage marks a spread', async () => {
    const xml = `<?xml version="1.0"?><ComicInfo><Pages>
      <Page Image="0" ImageWidth="1000" ImageHeight="1500" Type="FrontCover"/>
      <Page Image="1" ImageWidth="999"/>
      <Page Image="3" DoublePage="true"/>
    </Pages></ComicInfo>`;
    const file = write(buildZip([...images.map(({ name, data }) => ({ name, data })), { name: 'ComicInfo.xml', data: Buffer.from(xml) }]));
    const reader = new PageReader();
    const { pages } = await reader.list(file, 'fp');
    expect(pages[0]).toMatchObject({ width: 1000, height: 1500, doublePage: false });
    expect(pages[1]).toMatchObject({ width: 310, height: 460 }); // only a width declared: the header's size
    expect(pages[3]).toMatchObject({ width: 120, height: 200, doublePage: true });
    await reader.close();
  });

  it('a page whose header cannot be read has no size; the list still answers', async () => {
    const file = write(buildZip([{ name: '01.jpg', data: Buffer.from('not a jpeg at all') }, { name: '02.png', data: images[1].data }]));
    const reader = new PageReader();
    const { pages } = await reader.list(file, 'fp');
    expect(pages.map((p) => [p.width, p.height])).toEqual([
      [null, null],
      [310, 460],
    ]);
    await reader.close();
  });
});

describe('PageReader: formats added to the archive layer come for free', () => {
  it('CB7 (made by 7z): natural order, sizes, bytes', async () => {
    const dir = path.join(tmp, `7z${++n}`);
    mkdirSync(dir);
    for (const image of images) writeFileSync(path.join(dir, image.name), image.data);
    const file = path.join(tmp, `c${n}.cb7`);
    execFileSync('7z', ['a', '-bd', '-mx=1', file, ...images.map((image) => path.join(dir, image.name))], { stdio: 'ignore' });
    const reader = new PageReader();
    expect(await reader.list(file, 'fp')).toEqual({ pages: expected(), kind: 'comic' });
    expect((await reader.read(file, 'fp', images[2].name, 1 << 26)).equals(images[2].data)).toBe(true);
    await reader.close();
  });

  it('PDF of JPEG scans: one page per PDF page, sized from the embedded JPEG', async () => {
    const jpegs = [images[0], { ...images[0], data: await sharp(images[2].data).jpeg().toBuffer() }];
    const file = write(buildPdf(jpegs.map((image) => ({ jpeg: image.data, width: image.width, height: image.height }))), 'pdf');
    const reader = new PageReader();
    const { pages } = await reader.list(file, 'fp');
    expect(pages.map((p) => [p.width, p.height])).toEqual([
      [300, 450],
      [620, 460],
    ]);
    expect((await reader.read(file, 'fp', pages[0]!.name, 1 << 26)).equals(images[0].data)).toBe(true);
    await reader.close();
  });
});

describe('PageReader: the open-archive cache', () => {
  it('a list and page turns open the archive once', async () => {
    const file = write(buildZip(images.map(({ name, data }) => ({ name, data }))));
    const reader = new PageReader();
    await reader.list(file, 'fp');
    for (const image of images) await reader.read(file, 'fp', image.name, 1 << 26);
    expect(reader.stats().opens).toBe(1);
    await reader.close();
  });

  it('keeps at most maxOpen archives open', async () => {
    const reader = new PageReader({ maxOpen: 2 });
    const files = [1, 2, 3].map(() => write(buildZip([{ name: '01.jpg', data: images[0].data }])));
    for (const file of files) await reader.read(file, 'fp', '01.jpg', 1 << 26);
    expect(reader.stats().open).toBe(2);
    await reader.read(files[0], 'fp', '01.jpg', 1 << 26);
    expect(reader.stats().opens).toBe(4); // the first was closed and opened again
    await reader.close();
  });

  it('a file replaced since it was opened is opened again (never the old bytes)', async () => {
    const file = write(buildZip([{ name: '01.jpg', data: images[0].data }]));
    const reader = new PageReader();
    expect((await reader.read(file, 'fp', '01.jpg', 1 << 26)).equals(images[0].data)).toBe(true);
    const replacement = `${file}.new`;
    writeFileSync(replacement, buildZip([{ name: '01.jpg', data: images[1].data }]));
    execFileSync('mv', [replacement, file]);
    expect((await reader.read(file, 'fp', '01.jpg', 1 << 26)).equals(images[1].data)).toBe(true);
    expect(reader.stats().opens).toBe(2);
    await reader.close();
  });
});

describe('page server in worker threads', () => {
  it('serves sizes and bytes from a worker and keeps error codes across the thread boundary', async () => {
    const server = createPageServer({ resizedDir: path.join(tmp, 'resized'), workers: 1 });
    try {
      const file = write(buildZip(images.map(({ name, data }) => ({ name, data, method: 'deflate' as const }))));
      const source = { id: 1, file, root: tmp, format: 'zip' as const, fingerprint: 'fpw', manga: null, errorKind: null, errorMessage: null };
      const list = await server.listPages(source);
      expect(list.pages.map((p) => p.spread)).toEqual([false, false, true, false, false]);
      expect(list.pages[2]).toMatchObject({ width: 620, height: 460 });
      expect((await server.getPage(source, 2)).data.equals(images[2].data)).toBe(true);
      const missing = { ...source, id: 2, file: path.join(tmp, 'gone.cbz'), fingerprint: 'gone' };
      await expect(server.listPages(missing)).rejects.toMatchObject({ code: 'FILE_MISSING' });
      const locked = write(buildRar(images, { version: 5, encryptedFiles: true }), 'cbr');
      await expect(server.listPages({ ...source, id: 3, file: locked, fingerprint: 'locked' })).rejects.toMatchObject({ code: 'ENCRYPTED' });
    } finally {
      await server.close();
    }
  });

  it('when worker threads cannot start, pages are read in this thread (the first request too)', async () => {
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} };
    const backend = createPageBackend({ workers: 1, logger, workerScript: new URL('./no-such-worker.js', import.meta.url) });
    try {
      const file = write(buildZip(images.map(({ name, data }) => ({ name, data }))));
      expect((await backend.read(file, 'fp', images[0].name, 1 << 26)).equals(images[0].data)).toBe(true);
      expect(backend.mode).toBe('in-thread');
      expect(warnings.join('\n')).toMatch(/worker threads failed/);
      expect((await backend.list(file, 'fp')).pages).toHaveLength(images.length);
    } finally {
      await backend.close();
    }
  });

  it('?w= makes a resized JPEG no wider than asked, cached on disk', async () => {
    const server = createPageServer({ resizedDir: path.join(tmp, 'resized'), workers: 0 });
    try {
      const file = write(buildZip(images.map(({ name, data }) => ({ name, data }))));
      const source = { id: 1, file, root: tmp, format: 'zip' as const, fingerprint: 'fpresize', manga: null, errorKind: null, errorMessage: null };
      const small = await server.getPage(source, 2, { width: 100 });
      expect(small.contentType).toBe('image/jpeg');
      expect(await sharp(small.data).metadata()).toMatchObject({ width: 100, format: 'jpeg' });
      const again = await server.getPage(source, 2, { width: 100 });
      expect(again.data.equals(small.data)).toBe(true);
      const notEnlarged = await server.getPage(source, 3, { width: 1000 });
      expect((await sharp(notEnlarged.data).metadata()).width).toBe(120);
    } finally {
      await server.close();
    }
  });
});
