// The page server over real archives written in the test: ZIP (stored and deflated), RAR 4/5, TAR.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LongboxError } from '../../../shared/errors.js';
import type { ComicFormat } from '../../../shared/types.js';
import { buildRar } from '../../../scripts/testing/rar-writer.js';
import { buildZip } from '../../../scripts/testing/zip-writer.js';
import { rejectionOf } from '../testing/rejections.js';
import { toolForTests } from '../testing/tools.js';
import { createPageServer, type PageServer, type PageSource } from './page-server.js';

const has7z = toolForTests('7z', ['i'], 'the CB7 page-worker test', 'p7zip-full');
let tmp: string;
const servers: PageServer[] = [];

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'longbox-pages-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** In-thread by default (a worker from TypeScript source takes ~1 s to start under tsx); `workers` tests the pool. */
function server(workers = 0): PageServer {
  const created = createPageServer({ resizedDir: path.join(tmp, 'resized'), workers });
  servers.push(created);
  return created;
}

/** Distinct fake "JPEG" bytes per page (a real JPEG signature, then filler). */
function pageBytes(i: number, length = 5000): Buffer {
  const data = Buffer.alloc(length, i + 1);
  data[0] = 0xff;
  data[1] = 0xd8;
  data[2] = 0xff;
  return data;
}

let fileCount = 0;
function source(data: Buffer, format: ComicFormat, patch: Partial<PageSource> = {}): PageSource {
  const file = path.join(tmp, `comic-${++fileCount}.bin`);
  writeFileSync(file, data);
  return { id: fileCount, file, root: tmp, format, fingerprint: `fp${fileCount}`, manga: null, errorKind: null, errorMessage: null, ...patch };
}

// Stored out of order, with a folder, junk and ComicInfo.xml: the list is natural order, pages only.
const NAMES = ['p10.jpg', 'p2.jpg', 'p1.jpg', '__MACOSX/._p1.jpg', 'ComicInfo.xml'];
const ORDER = ['p1.jpg', 'p2.jpg', 'p10.jpg'];
const bytesOf = (name: string) => pageBytes(NAMES.indexOf(name));

function zip(method: 'store' | 'deflate' = 'store'): Buffer {
  return buildZip(NAMES.map((name) => ({ name, data: name.endsWith('.xml') ? Buffer.from('<ComicInfo/>') : bytesOf(name), method })));
}

describe('page server: order and bytes', () => {
  it.each([
    ['ZIP stored', () => source(zip('store'), 'zip')],
    ['ZIP deflated', () => source(zip('deflate'), 'zip')],
    ['RAR 4', () => source(buildRar(NAMES.map((name) => ({ name, data: bytesOf(name) })), { version: 4 }), 'rar')],
    ['RAR 5', () => source(buildRar(NAMES.map((name) => ({ name, data: bytesOf(name) })), { version: 5 }), 'rar')],
  ])('%s: natural order, and every page is the entry byte for byte', async (_name, make) => {
    const pages = server();
    const comic = make();
    const list = await pages.listPages(comic);
    expect(list.direction).toBe('ltr');
    expect(list.pages.map((p) => p.name)).toEqual(ORDER);
    expect(list.pages.map((p) => p.index)).toEqual([0, 1, 2]);
    expect(list.pages.map((p) => p.size)).toEqual(ORDER.map((name) => bytesOf(name).length));
    for (const [index, name] of ORDER.entries()) {
      const page = await pages.getPage(comic, index);
      expect(page.data.equals(bytesOf(name))).toBe(true);
      expect(page.contentType).toBe('image/jpeg');
      expect(page.fingerprint).toBe(comic.fingerprint);
    }
  });

  it('TAR (written by bsdtar): natural order, bytes equal', async () => {
    const dir = path.join(tmp, 'tar-src');
    mkdirSync(dir, { recursive: true });
    for (const name of ORDER) writeFileSync(path.join(dir, name), bytesOf(name));
    const file = path.join(tmp, 'comic.cbt');
    execFileSync('bsdtar', ['-cf', file, '-C', dir, ...[...ORDER].reverse()]);
    const comic: PageSource = { id: 99, file, root: tmp, format: 'tar', fingerprint: 'tarfp', manga: null, errorKind: null, errorMessage: null };
    const pages = server();
    expect((await pages.listPages(comic)).pages.map((p) => p.name)).toEqual(ORDER);
    for (const [index, name] of ORDER.entries()) expect((await pages.getPage(comic, index)).data.equals(bytesOf(name))).toBe(true);
  });

  it('direction is rtl for Manga=YesAndRightToLeft only', async () => {
    const pages = server();
    expect((await pages.listPages(source(zip(), 'zip', { manga: 'YesAndRightToLeft' }))).direction).toBe('rtl');
    expect((await pages.listPages(source(zip(), 'zip', { manga: 'Yes' }))).direction).toBe('ltr');
  });
});

describe.skipIf(!has7z)('page server: pages served twice through the worker threads', () => {
  it('a CB7 page read again (from the solid window cache) is the same bytes, not a hung request', async () => {
    const src = path.join(tmp, 'cb7-src');
    mkdirSync(src, { recursive: true });
    for (const name of ORDER) writeFileSync(path.join(src, name), bytesOf(name));
    const file = path.join(tmp, `comic-${++fileCount}.cb7`);
    execFileSync('7z', ['a', '-ms=on', file, ...ORDER], { cwd: src, stdio: 'ignore' });
    const comic: PageSource = { id: fileCount, file, root: tmp, format: '7z', fingerprint: `fp${fileCount}`, manga: null, errorKind: null, errorMessage: null };
    const pages = server(1);
    for (let round = 0; round < 3; round++) {
      for (const [index, name] of ORDER.entries()) expect((await pages.getPage(comic, index)).data.equals(bytesOf(name))).toBe(true);
    }
  }, 20_000);
});

describe('page server: failures are clear errors', () => {
  const rejection = (promise: Promise<unknown>) => rejectionOf(promise, LongboxError);

  it('an index past the end is NOT_FOUND', async () => {
    const pages = server();
    const comic = source(zip(), 'zip');
    expect((await rejection(pages.getPage(comic, 3))).code).toBe('NOT_FOUND');
    expect((await rejection(pages.getPage(comic, -1))).code).toBe('NOT_FOUND');
  });

  it('a row recorded as encrypted is ENCRYPTED without opening the file', async () => {
    const comic = source(Buffer.from('not even an archive'), 'zip', { errorKind: 'encrypted', errorMessage: 'The pages are password protected.' });
    expect((await rejection(server().listPages(comic))).code).toBe('ENCRYPTED');
  });

  it('an encrypted RAR is ENCRYPTED', async () => {
    const comic = source(buildRar(ORDER.map((name) => ({ name, data: bytesOf(name) })), { version: 5, encryptedFiles: true }), 'rar');
    expect((await rejection(server().listPages(comic))).code).toBe('ENCRYPTED');
  });

  it('a damaged entry (CRC mismatch) is PAGE_DAMAGED and never partial bytes', async () => {
    const archive = zip('store');
    // Flip a byte inside p2.jpg's data (stored: its bytes appear verbatim).
    const at = archive.indexOf(bytesOf('p2.jpg'));
    archive[at + 100] ^= 0xff;
    const pages = server();
    const comic = source(archive, 'zip');
    expect((await pages.listPages(comic)).pages).toHaveLength(3);
    expect((await rejection(pages.getPage(comic, 1))).code).toBe('PAGE_DAMAGED');
    expect((await pages.getPage(comic, 0)).data.equals(bytesOf('p1.jpg'))).toBe(true);
  });

  it('a file that vanished is FILE_MISSING; an offline library folder is ROOT_UNREADABLE', async () => {
    const pages = server();
    const comic = source(zip(), 'zip');
    await pages.listPages(comic);
    unlinkSync(comic.file);
    expect((await rejection(pages.getPage(comic, 0))).code).toBe('FILE_MISSING');
    const offline = { ...source(zip(), 'zip'), root: path.join(tmp, 'unplugged-disk'), file: path.join(tmp, 'unplugged-disk', 'x.cbz') };
    expect((await rejection(pages.listPages(offline))).code).toBe('ROOT_UNREADABLE');
  });
});
