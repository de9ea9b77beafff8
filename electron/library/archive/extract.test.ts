import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildZip, type ZipEntryInput, type ZipOptions } from '../../../scripts/testing/zip-writer.js';
import { readArchiveEntry } from './extract.js';
import { readZipEntryWithYauzl, ZIP_IN_MEMORY_MAX_COMPRESSED } from './zip-entry.js';
import { ArchiveError } from './types.js';
import { rejectionOf } from '../testing/rejections.js';
import { tempDirForAll } from '../testing/temp-dir.js';

let dir: string;
let counter = 0;
tempDirForAll('longbox-extract-', (made) => (dir = made));

async function zipFile(entries: ZipEntryInput[], options?: ZipOptions): Promise<string> {
  const path = join(dir, `z${counter++}.cbz`);
  await writeFile(path, buildZip(entries, options));
  return path;
}

const failure = (promise: Promise<unknown>) => rejectionOf(promise, ArchiveError);

const readers = {
  'readArchiveEntry (in-memory path for small entries)': (path: string, name: string, maxBytes?: number) => readArchiveEntry(path, 'zip', name, { maxBytes }),
  yauzl: (path: string, name: string, maxBytes?: number) => readZipEntryWithYauzl(path, name, maxBytes),
};

describe.each(Object.entries(readers))('ZIP entry via %s', (_label, read) => {
  const xml = Buffer.from('<?xml version="1.0"?><ComicInfo><Series>Test</Series></ComicInfo>');
  const image = Buffer.from(Array.from({ length: 20_000 }, (_, i) => (i * 7) % 256));

  it('reads stored and deflated entries, with and without data descriptors', async () => {
    for (const dataDescriptors of [false, true]) {
      const path = await zipFile(
        [
          { name: 'page1.jpg', data: image },
          { name: 'ComicInfo.xml', data: xml, method: 'deflate' },
        ],
        { dataDescriptors },
      );
      expect(await read(path, 'ComicInfo.xml')).toEqual(xml);
      expect((await read(path, 'page1.jpg')).equals(image)).toBe(true);
    }
  });

  it('reads entries of a ZIP64 archive', async () => {
    const path = await zipFile([{ name: 'a.jpg', data: image }, { name: 'ComicInfo.xml', data: xml, method: 'deflate' }], { zip64: true });
    expect(await read(path, 'ComicInfo.xml')).toEqual(xml);
  });

  it('finds entries by their decoded name (UTF-8 and CP437), including traversal-looking names', async () => {
    const path = await zipFile([
      { name: '../../etc/passwd', data: Buffer.from('not really') },
      { name: '/abs/path.jpg', data: Buffer.from('abs') },
      { name: 'x', rawName: Buffer.from([0x80, 0x2e, 0x6a, 0x70, 0x67]), data: Buffer.from('cp437') },
      { name: '漫画/001.jpg', data: Buffer.from('utf8') },
    ]);
    const before = await readdir(dir);
    expect((await read(path, '../../etc/passwd')).toString()).toBe('not really');
    expect((await read(path, '/abs/path.jpg')).toString()).toBe('abs');
    expect((await read(path, 'Ç.jpg')).toString()).toBe('cp437');
    expect((await read(path, '漫画/001.jpg')).toString()).toBe('utf8');
    // Nothing was written anywhere near the archive.
    expect(await readdir(dir)).toEqual(before);
  });

  it('refuses a declared 4 GiB entry with too-large before reading it', async () => {
    const path = await zipFile([{ name: 'bomb.jpg', data: Buffer.from('tiny'), method: 'deflate', declaredSize: 0xfffffffe }]);
    const error = await failure(read(path, 'bomb.jpg', 64 * 1024 * 1024));
    expect(error.kind).toBe('too-large');
    expect(error.message).toMatch(/declares 4294967294 bytes/);
  });

  it('stops a deflate bomb whose honest declared size is over maxBytes', async () => {
    const zeros = Buffer.alloc(20 * 1024 * 1024);
    const path = await zipFile([{ name: 'bomb.png', data: zeros, method: 'deflate' }]);
    expect((await failure(read(path, 'bomb.png', 1024 * 1024))).kind).toBe('too-large');
  });

  it('stops a deflate bomb that lies about its size', async () => {
    const zeros = Buffer.alloc(8 * 1024 * 1024);
    const path = await zipFile([{ name: 'liar.png', data: zeros, method: 'deflate', declaredSize: 100 }]);
    const heapBefore = process.memoryUsage().arrayBuffers;
    const error = await failure(read(path, 'liar.png', 1024 * 1024));
    expect(['too-large', 'corrupt']).toContain(error.kind);
    expect(process.memoryUsage().arrayBuffers - heapBefore).toBeLessThan(4 * 1024 * 1024);
  });

  it('reports encrypted entries as encrypted and missing entries as not found', async () => {
    const path = await zipFile([
      // Traditional PKWARE encryption: 12 header bytes precede the (stored) data.
      { name: 'secret.jpg', data: Buffer.alloc(62, 1), encrypted: true, declaredSize: 50 },
      { name: 'open.jpg', data: Buffer.alloc(50, 2) },
    ]);
    expect((await failure(read(path, 'secret.jpg'))).kind).toBe('encrypted');
    expect((await failure(read(path, 'nothing.jpg'))).message).toMatch(/not found/);
  });

  it('reports damaged data as corrupt (CRC-32 or inflate error)', async () => {
    const payload = Buffer.alloc(5000, 0x41);
    const bytes = buildZip([{ name: 'p.jpg', data: payload }]);
    const at = bytes.indexOf(payload);
    bytes[at + 100] = 0x42;
    const path = join(dir, `crc${counter++}.cbz`);
    await writeFile(path, bytes);
    expect((await failure(read(path, 'p.jpg'))).kind).toBe('corrupt');

    const deflated = buildZip([{ name: 'd.jpg', data: payload, method: 'deflate' }]);
    const compressed = deflateRawSync(payload);
    deflated.fill(0xff, deflated.indexOf(compressed), deflated.indexOf(compressed) + compressed.length);
    const path2 = join(dir, `inflate${counter++}.cbz`);
    await writeFile(path2, deflated);
    expect((await failure(read(path2, 'd.jpg'))).kind).toBe('corrupt');
  });
});

describe('readArchiveEntry dispatch', () => {
  it('uses yauzl for entries over the in-memory threshold and still caps them', async () => {
    const big = Buffer.from(Array.from({ length: ZIP_IN_MEMORY_MAX_COMPRESSED + 10 }, (_, i) => i % 253));
    const path = await zipFile([{ name: 'big.jpg', data: big }]);
    // Buffer.equals: a deep toEqual over a megabyte is needlessly slow.
    expect((await readArchiveEntry(path, 'zip', 'big.jpg')).equals(big)).toBe(true);
    expect((await failure(readArchiveEntry(path, 'zip', 'big.jpg', { maxBytes: big.length - 1 }))).kind).toBe('too-large');
  });

  it('refuses formats it cannot read and maps OS errors', async () => {
    expect((await failure(readArchiveEntry(join(dir, 'a.cbz'), 'unknown', 'x'))).kind).toBe('unsupported');
    expect((await failure(readArchiveEntry(join(dir, 'gone.cbz'), 'zip', 'x'))).kind).toBe('unreadable');
    expect((await failure(readZipEntryWithYauzl(join(dir, 'gone.cbz'), 'x'))).kind).toBe('unreadable');
  });
});
