// Hostile and odd archives, all generated here (no committed binaries), in ONE library indexed by the
// real engine: a LibraryService with its worker process. What the user must see: the rebuild finishes,
// each file is one row with the expected error kind (or a correct read), covers of hostile entries are
// refused with UNSUPPORTED without allocating what the archive claims, and nothing is written outside
// the test's temp dir whatever the entry names say. Time and memory are printed, not asserted.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComicQuery, ComicSummary, ErrorKind } from '../../shared/types.js';
import { buildRar } from '../../scripts/testing/rar-writer.js';
import { buildZip, type ZipEntryInput } from '../../scripts/testing/zip-writer.js';
import { openLibraryService, type LibraryService } from './library-service.js';
import { createNodeLauncher } from './node-launcher.js';
import { comicZip, TINY_PNG } from './testing/fixtures.js';
import type { WorkerHandle } from './worker-protocol.js';

const ALL: ComicQuery = { offset: 0, limit: 500, sort: 'file', order: 'asc' };
const MB = 1024 * 1024;
const TAG = `lbhostile${process.pid}x${Date.now().toString(36)}`;

/** Peak resident set of a process (VmHWM), in MB, or null where /proc is not there. */
function peakRssMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

const page = (name: string, data: Buffer = TINY_PNG): ZipEntryInput => ({ name, data });

function goodZip(): Buffer {
  return buildZip([page('p1.png'), page('p2.png'), page('p3.png'), { name: 'ComicInfo.xml', data: Buffer.from('<ComicInfo><Series>Good</Series></ComicInfo>') }]);
}

/** A ZIP whose first central-directory header has a broken signature. */
function badCentralDirectory(): Buffer {
  const zip = Buffer.from(goodZip());
  const directoryOffset = zip.readUInt32LE(zip.length - 22 + 16);
  zip.write('XXXX', directoryOffset, 'latin1');
  return zip;
}

/** A PNG whose header claims 60000×60000 pixels (a decompression bomb for image decoders). */
function pixelBombPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(60_000, 0);
  ihdr.writeUInt32BE(60_000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateRawSync(Buffer.alloc(1000))), chunk('IEND', Buffer.alloc(0))]);
}

function billionLaughs(): string {
  const entities = ['<!ENTITY lol "lol">'];
  for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
  return `<?xml version="1.0"?><!DOCTYPE ComicInfo [${entities.join('')}]><ComicInfo><Series>&lol9;</Series><Title>&lol9;</Title></ComicInfo>`;
}

/** What each hostile file must become: an error kind, or a readable row with this many pages. */
interface Expectation {
  kind: ErrorKind | null | RegExp;
  pages?: number;
  /** getCover must refuse with this code (readable rows only). */
  cover?: 'UNSUPPORTED' | 'ok';
  /** Substring of the row's message (readable rows keep metadata problems as a message). */
  message?: RegExp;
}

interface Hostile {
  path: string;
  make: () => Buffer;
  expect: Expectation;
}

const names = {
  dotdot: `../../${TAG}-dotdot.png`,
  absolute: `/tmp/${TAG}-absolute.png`,
  backslash: `..\\..\\${TAG}-backslash.png`,
  rarDotdot: `../../${TAG}-rar.png`,
};

const HOSTILE: Hostile[] = [
  { path: 'good.cbz', make: goodZip, expect: { kind: null, pages: 3, cover: 'ok' } },
  { path: 'truncated.cbz', make: () => goodZip().subarray(0, 200), expect: { kind: 'truncated' } },
  { path: 'truncated-tail.cbz', make: () => goodZip().subarray(0, goodZip().length - 7), expect: { kind: /truncated|corrupt/ } },
  { path: 'bad-central-directory.cbz', make: badCentralDirectory, expect: { kind: 'corrupt' } },
  { path: 'zip64.cbz', make: () => buildZip([page('a.png'), page('b.png')], { zip64: true }), expect: { kind: null, pages: 2, cover: 'ok' } },
  { path: 'data-descriptors.cbz', make: () => buildZip([page('a.png'), page('b.png')], { dataDescriptors: true }), expect: { kind: null, pages: 2, cover: 'ok' } },
  // Only encrypted images: no readable page, and the row says why (a password, not a broken file).
  { path: 'encrypted.cbz', make: () => buildZip([{ ...page('p1.png'), encrypted: true }, { ...page('p2.png'), encrypted: true }]), expect: { kind: 'encrypted', message: /password/i } },
  { path: 'rar4.cbr', make: () => buildRar([{ name: 'p1.png', data: TINY_PNG }, { name: 'p2.png', data: TINY_PNG }], { version: 4 }), expect: { kind: null, pages: 2, cover: 'ok' } },
  { path: 'rar5.cbr', make: () => buildRar([{ name: 'p1.png', data: TINY_PNG }, { name: 'sub/p2.png', data: TINY_PNG }], { version: 5 }), expect: { kind: null, pages: 2, cover: 'ok' } },
  { path: 'rar4-encrypted-files.cbr', make: () => buildRar([{ name: 'p1.png', data: TINY_PNG }], { version: 4, encryptedFiles: true }), expect: { kind: 'encrypted' } },
  { path: 'rar5-encrypted-files.cbr', make: () => buildRar([{ name: 'p1.png', data: TINY_PNG }], { version: 5, encryptedFiles: true }), expect: { kind: 'encrypted' } },
  { path: 'rar4-encrypted-headers.cbr', make: () => buildRar([{ name: 'p1.png', data: TINY_PNG }], { version: 4, encryptedHeaders: true }), expect: { kind: 'encrypted' } },
  { path: 'rar5-encrypted-headers.cbr', make: () => buildRar([{ name: 'p1.png', data: TINY_PNG }], { version: 5, encryptedHeaders: true }), expect: { kind: 'encrypted' } },
  { path: 'rar4-volume.part1.cbr', make: () => buildRar([{ name: 'p1.png', data: TINY_PNG }, { name: 'p2.png', data: TINY_PNG }], { version: 4, volume: true }), expect: { kind: 'multi-volume' } },
  { path: 'rar5-volume.part1.cbr', make: () => buildRar([{ name: 'p1.png', data: TINY_PNG }, { name: 'p2.png', data: TINY_PNG }], { version: 5, volume: true }), expect: { kind: 'multi-volume' } },
  { path: 'rar5-truncated.cbr', make: () => buildRar([{ name: 'p1.png', data: TINY_PNG }, { name: 'p2.png', data: TINY_PNG }], { version: 5, truncateAt: 90 }), expect: { kind: /truncated|corrupt/ } },
  // Zip bombs, each as the cover: a tiny file declaring ~4 GB; an honest 80 MB of zeros deflated to
  // ~80 KB (over the 64 MB cover limit); and a liar that declares 1 KB and inflates to 80 MB.
  { path: 'bomb-declared-4gb.cbz', make: () => buildZip([{ ...page('001.png'), declaredSize: 0xfffffff0 }]), expect: { kind: null, pages: 1, cover: 'UNSUPPORTED' } },
  { path: 'bomb-deflate-80mb.cbz', make: () => buildZip([{ name: '001.png', data: Buffer.alloc(80 * MB), method: 'deflate' }]), expect: { kind: null, pages: 1, cover: 'UNSUPPORTED' } },
  { path: 'bomb-liar.cbz', make: () => buildZip([{ name: '001.png', data: Buffer.alloc(80 * MB), method: 'deflate', declaredSize: 1024 }]), expect: { kind: null, pages: 1, cover: 'UNSUPPORTED' } },
  { path: 'pixel-bomb.cbz', make: () => buildZip([page('001.png', pixelBombPng())]), expect: { kind: null, pages: 1, cover: 'UNSUPPORTED' } },
  // Entry names that would escape a naive extractor. The first page is the cover, so getCover reads it.
  { path: 'escape-dotdot.cbz', make: () => buildZip([page(names.dotdot), page('zz.png')]), expect: { kind: null, pages: 2, cover: 'ok' } },
  { path: 'escape-absolute.cbz', make: () => buildZip([page(names.absolute)]), expect: { kind: null, pages: 1, cover: 'ok' } },
  { path: 'escape-backslash.cbz', make: () => buildZip([page(names.backslash)]), expect: { kind: null, pages: 1, cover: 'ok' } },
  { path: 'escape-rar.cbr', make: () => buildRar([{ name: names.rarDotdot, data: TINY_PNG }], { version: 5 }), expect: { kind: null, pages: 1, cover: 'ok' } },
  // Non-UTF-8 names: CP437 "Çüé.png" and Shift-JIS "テスト.png", no UTF-8 flag.
  { path: 'cp437.cbz', make: () => buildZip([{ name: 'x', rawName: Buffer.from([0x80, 0x81, 0x82, 0x2e, 0x70, 0x6e, 0x67]), data: TINY_PNG }]), expect: { kind: null, pages: 1, cover: 'ok' } },
  { path: 'shift-jis.cbz', make: () => buildZip([{ name: 'x', rawName: Buffer.from([0x83, 0x65, 0x83, 0x58, 0x83, 0x67, 0x2e, 0x70, 0x6e, 0x67]), data: TINY_PNG }]), expect: { kind: null, pages: 1, cover: 'ok' } },
  { path: 'zero-bytes.cbz', make: () => Buffer.alloc(0), expect: { kind: 'empty' } },
  { path: 'not-an-archive.cbz', make: () => Buffer.from('<html>this is a web page saved as .cbz</html>'.repeat(50)), expect: { kind: 'not-archive' } },
  { path: 'random-bytes.cbr', make: () => Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251)), expect: { kind: 'not-archive' } },
  { path: 'really-a-rar.cbz', make: () => buildRar([{ name: 'p1.png', data: TINY_PNG }], { version: 5 }), expect: { kind: null, pages: 1, cover: 'ok' } },
  { path: 'no-images.cbz', make: () => buildZip([{ name: 'readme.txt', data: Buffer.from('hi') }, { name: 'ComicInfo.xml', data: Buffer.from('<ComicInfo/>') }]), expect: { kind: 'no-images' } },
  { path: 'entries-10000.cbz', make: () => buildZip(Array.from({ length: 10_000 }, (_, i) => page(`p${String(i).padStart(5, '0')}.png`))), expect: { kind: null, pages: 10_000, cover: 'ok' } },
  { path: 'entries-20001.cbz', make: () => buildZip(Array.from({ length: 20_001 }, (_, i) => page(`p${i}.png`))), expect: { kind: 'too-large' } },
  { path: 'undecodable-image.cbz', make: () => buildZip([page('001.jpg', Buffer.from('\xff\xd8\xff\xe0 this is not really a JPEG', 'latin1')), page('002.jpg')]), expect: { kind: null, pages: 2, cover: 'UNSUPPORTED' } },
  { path: 'comicinfo-malformed.cbz', make: () => buildZip([page('p1.png'), { name: 'ComicInfo.xml', data: Buffer.from('<ComicInfo><Series>Broken<Series><Title>') }]), expect: { kind: null, pages: 1, message: /ComicInfo/i } },
  { path: 'comicinfo-5mb.cbz', make: () => buildZip([page('p1.png'), { name: 'ComicInfo.xml', data: Buffer.from(`<ComicInfo><Summary>${'x'.repeat(5 * MB)}</Summary></ComicInfo>`) }]), expect: { kind: null, pages: 1, message: /ComicInfo/i } },
  { path: 'comicinfo-billion-laughs.cbz', make: () => buildZip([page('p1.png'), { name: 'ComicInfo.xml', data: Buffer.from(billionLaughs()) }]), expect: { kind: null, pages: 1 } },
  { path: 'sevenzip-garbage.cb7', make: () => Buffer.concat([Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]), Buffer.alloc(100)]), expect: { kind: /corrupt|truncated/ } },
];

let dir: string;
let root: string;
let dataDir: string;
let service: LibraryService;
let worker: WorkerHandle | null = null;
let rows: Map<string, ComicSummary>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lb-hostile-'));
  root = join(dir, 'library');
  dataDir = join(dir, 'data');
  mkdirSync(root);
  const made = performance.now();
  for (const h of HOSTILE) writeFileSync(join(root, h.path), h.make());
  // A folder named like a comic is a folder: walked into, never read as a file.
  mkdirSync(join(root, 'folder.cbz'));
  writeFileSync(join(root, 'folder.cbz', 'inside.cbz'), comicZip({ series: 'Inside' }));
  // A FIFO named like a comic must not block the walk or a read.
  let fifo = false;
  try {
    execFileSync('mkfifo', [join(root, 'pipe.cbz')]);
    fifo = true;
  } catch {
    console.log('hostile: mkfifo unavailable, FIFO case skipped');
  }
  console.log(`hostile: ${HOSTILE.length} files${fifo ? ' + a FIFO' : ''} + a folder named .cbz written in ${Math.round(performance.now() - made)} ms`);

  const launch = createNodeLauncher();
  const started = performance.now();
  service = await openLibraryService({
    root,
    dataDir,
    watch: false,
    concurrency: 4,
    prefetchCovers: false,
    launcher: () => (worker = launch()),
  });
  const list = await service.listComics(ALL);
  await service.whenIdle();
  const ms = Math.round(performance.now() - started);
  console.log(`hostile: cold rebuild of ${list.total} rows in ${ms} ms; worker peak RSS ${peakRssMb(worker?.pid) ?? '?'} MB; host RSS ${Math.round(process.memoryUsage().rss / MB)} MB`);
  rows = new Map(list.items.map((c) => [c.path, c]));
}, 120_000);

afterAll(async () => {
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a library of hostile archives', () => {
  it('finishes the rebuild: one row per file, no error for the library as a whole', () => {
    expect(service.getStatus()).toMatchObject({ generation: 1, rebuild_in_progress: false, last_error: null, phase: 'idle' });
    expect(rows.size).toBe(HOSTILE.length + 1); // + folder.cbz/inside.cbz; the FIFO and the folder are no rows
    expect(rows.has('folder.cbz')).toBe(false);
    expect(rows.get('folder.cbz/inside.cbz')).toMatchObject({ errorKind: null, series: 'Inside' });
    expect(rows.has('pipe.cbz')).toBe(false);
  });

  it.each(HOSTILE.map((h) => [h.path, h.expect] as const))('%s → %o', async (path, expected) => {
    const row = rows.get(path);
    expect(row, path).toBeDefined();
    if (expected.kind instanceof RegExp) expect(row!.errorKind).toMatch(expected.kind);
    else expect(row!.errorKind).toBe(expected.kind);
    if (row!.errorKind !== null) {
      expect(row!.errorMessage, 'an error row always says why').toBeTruthy();
      expect(row!.errorMessage!.length).toBeLessThan(500);
      expect(row!.pageCount).toBe(0);
      await expect(service.getCover(row!.id)).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    }
    if (expected.pages !== undefined) expect(row!.pageCount).toBe(expected.pages);
    if (expected.message) expect(row!.errorMessage).toMatch(expected.message);
    // Every row can be opened in the details view without an exception.
    const detail = await service.getComic(row!.id);
    expect(detail.id).toBe(row!.id);
    if (expected.cover === 'ok') {
      const cover = await service.getCover(row!.id);
      expect(cover.contentType).toMatch(/^image\//);
      expect(cover.data.length).toBeGreaterThan(0);
    } else if (expected.cover === 'UNSUPPORTED') {
      const before = process.memoryUsage();
      await expect(service.getCover(row!.id)).rejects.toMatchObject({ code: 'UNSUPPORTED' });
      const after = process.memoryUsage();
      console.log(`hostile: getCover(${path}) refused; host RSS ${Math.round(before.rss / MB)} → ${Math.round(after.rss / MB)} MB, external ${Math.round(before.external / MB)} → ${Math.round(after.external / MB)} MB`);
    }
  });

  it('decodes non-UTF-8 entry names (CP437) and finds the cover by that name', async () => {
    const detail = await service.getComic(rows.get('cp437.cbz')!.id);
    expect(detail.pages).toEqual(['Çüé.png']);
  });

  it('keeps a billion-laughs ComicInfo unexpanded', async () => {
    const detail = await service.getComic(rows.get('comicinfo-billion-laughs.cbz')!.id);
    for (const value of [detail.metadata.series, detail.metadata.title]) expect((value ?? '').length).toBeLessThan(100);
  });

  it('entry names never become paths: nothing was written outside the temp dir', async () => {
    // The covers of the escaping entries were made above; make sure, then look everywhere they could have landed.
    for (const path of ['escape-dotdot.cbz', 'escape-absolute.cbz', 'escape-backslash.cbz', 'escape-rar.cbr']) {
      await service.getCover(rows.get(path)!.id);
      const detail = await service.getComic(rows.get(path)!.id);
      expect(detail.pages.length).toBeGreaterThan(0);
    }
    const bases = [root, join(root, 'x'), dataDir, join(dataDir, 'covers'), join(dataDir, 'covers', 'ab'), dir, process.cwd(), tmpdir()];
    const candidates = new Set<string>([names.absolute]);
    for (const base of bases) {
      for (const name of [names.dotdot, names.rarDotdot, names.absolute.slice(1), names.backslash, names.backslash.replaceAll('\\', '/')]) {
        candidates.add(resolve(base, name));
      }
    }
    for (const file of candidates) expect(existsSync(file), file).toBe(false);
    // And no file anywhere in /tmp or the temp dir's parent carries the tag.
    for (const folder of new Set([tmpdir(), resolve(dir, '..'), '/tmp'])) {
      expect(readdirSync(folder).filter((n) => n.includes(TAG))).toEqual([]);
    }
  });
});
