import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildZip, type ZipEntryInput } from '../../../scripts/testing/zip-writer.js';
import { decodeCp437 } from './cp437.js';
import { readArchiveIndex } from './read-index.js';
import { ArchiveError, type ArchiveIndex } from './types.js';
import { rejectionOf } from '../testing/rejections.js';
import { tempDirForAll } from '../testing/temp-dir.js';

let dir: string;
let counter = 0;
tempDirForAll('longbox-zip-', (made) => (dir = made));

async function fixture(bytes: Buffer, name = `f${counter++}.cbz`): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

async function indexOf(bytes: Buffer, limits?: { maxEntries: number }): Promise<ArchiveIndex> {
  return readArchiveIndex(await fixture(bytes), limits ? { limits } : undefined);
}

async function errorOf(bytes: Buffer): Promise<ArchiveError> {
  return rejectionOf(readArchiveIndex(await fixture(bytes)), ArchiveError);
}

const page = (n: number, size = 100 + n): ZipEntryInput => ({ name: `page${n}.jpg`, data: Buffer.alloc(size, n) });

describe('ZIP central directory', () => {
  it('lists a stored CBZ with sizes and CRC-32s from the central directory', async () => {
    const entries = [page(1), page(2), { name: 'ComicInfo.xml', data: Buffer.from('<ComicInfo/>') }];
    const index = await indexOf(buildZip(entries));
    expect(index.format).toBe('zip');
    expect(index.comment).toBeNull();
    expect(index.entries).toEqual(
      entries.map((e) => ({ name: e.name, size: e.data.length, compressedSize: e.data.length, crc32: crc32(e.data) >>> 0, isDirectory: false, isEncrypted: false })),
    );
  });

  it('lists deflated entries with their compressed sizes', async () => {
    const data = Buffer.alloc(50_000, 'a');
    const index = await indexOf(buildZip([{ name: 'p.png', data, method: 'deflate' }]));
    expect(index.entries[0].size).toBe(50_000);
    expect(index.entries[0].compressedSize).toBeLessThan(1000);
    expect(index.entries[0].crc32).toBe(crc32(data) >>> 0);
  });

  it('reads archives written with data descriptors (sizes only in the central directory)', async () => {
    const entries = [page(1), { ...page(2), method: 'deflate' as const }];
    const index = await indexOf(buildZip(entries, { dataDescriptors: true }));
    expect(index.entries.map((e) => [e.name, e.size, e.crc32])).toEqual(entries.map((e) => [e.name, e.data.length, crc32(e.data) >>> 0]));
  });

  it('returns the archive comment (UTF-8 ComicBookInfo) and honours its length when scanning for the end record', async () => {
    // The comment itself contains an end-record signature: the scan must not stop there.
    const comment = '{"ComicBookInfo/1.0":{"series":"Été"}} PK\x05\x06 trailing';
    const index = await indexOf(buildZip([page(1)], { comment }));
    expect(index.comment).toBe(comment);
    expect(index.entries.map((e) => e.name)).toEqual(['page1.jpg']);
  });

  it('reads ZIP64 end records, locators and ZIP64 extra fields', async () => {
    const entries = [page(1), page(2), { name: 'sub/page3.jpg', data: Buffer.alloc(300, 3) }];
    const bytes = buildZip(entries, { zip64: true });
    // The writer really saturated the classic fields.
    expect(bytes.readUInt32LE(bytes.length - 22 + 16)).toBe(0xffffffff);
    expect(bytes.readUInt16LE(bytes.length - 22 + 10)).toBe(0xffff);
    const index = await indexOf(bytes);
    expect(index.entries.map((e) => [e.name, e.size, e.compressedSize])).toEqual([
      ['page1.jpg', 101, 101],
      ['page2.jpg', 102, 102],
      ['sub/page3.jpg', 300, 300],
    ]);
  });

  it('refuses a saturated end record without a ZIP64 locator as corrupt', async () => {
    const bytes = buildZip([page(1)], { zip64: true });
    bytes.writeUInt32LE(0, bytes.length - 22 - 20); // destroy the locator signature
    expect((await errorOf(bytes)).kind).toBe('corrupt');
  });

  it('decodes UTF-8 names (flag bit 11) and CP437 names (no flag)', async () => {
    const cp437Bytes = Buffer.from([0x80, 0x81, 0x82, 0x2e, 0x6a, 0x70, 0x67]); // "Çüé.jpg"
    const index = await indexOf(
      buildZip([
        { name: 'Ünïcødé 漫画/001.jpg', data: Buffer.from('a') },
        { name: 'ignored', rawName: cp437Bytes, data: Buffer.from('b') },
      ]),
    );
    expect(index.entries.map((e) => e.name)).toEqual(['Ünïcødé 漫画/001.jpg', 'Çüé.jpg']);
  });

  it('uses a matching Info-ZIP Unicode Path field and ignores a stale one', async () => {
    const raw = Buffer.from('caf\x82.jpg', 'latin1'); // CP437 "café.jpg"
    const unicodeField = (nameCrc: number): Buffer => {
      const utf8 = Buffer.from('café-unicode.jpg', 'utf8');
      const field = Buffer.alloc(4 + 5 + utf8.length);
      field.writeUInt16LE(0x7075, 0);
      field.writeUInt16LE(5 + utf8.length, 2);
      field[4] = 1;
      field.writeUInt32LE(nameCrc, 5);
      utf8.copy(field, 9);
      return field;
    };
    const index = await indexOf(
      buildZip([
        { name: 'a', rawName: raw, data: Buffer.from('a'), centralExtra: unicodeField(crc32(raw) >>> 0) },
        { name: 'b', rawName: raw, data: Buffer.from('b'), centralExtra: unicodeField(1234) },
      ]),
    );
    expect(index.entries.map((e) => e.name)).toEqual(['café-unicode.jpg', 'café.jpg']);
  });

  it('reads raw Shift-JIS name bytes without crashing, decoded as CP437', async () => {
    const shiftJis = Buffer.from([0x83, 0x65, 0x83, 0x58, 0x83, 0x67, 0x95, 0x5c, 0x2e, 0x6a, 0x70, 0x67]); // テスト表.jpg
    const index = await indexOf(buildZip([{ name: 'x', rawName: shiftJis, data: Buffer.from('x') }]));
    expect(index.entries[0].name).toBe(decodeCp437(shiftJis));
    expect(index.entries[0].name.endsWith('.jpg')).toBe(true);
    // 0x5C (the second byte of 表) is not taken for a directory separator.
    expect(index.entries[0].isDirectory).toBe(false);
  });

  it('flags encrypted entries and directories', async () => {
    const index = await indexOf(
      buildZip([
        { name: 'dir/', data: Buffer.alloc(0) },
        { name: 'dir/secret.jpg', data: Buffer.alloc(40, 1), encrypted: true },
        { name: 'dir/open.jpg', data: Buffer.alloc(40, 2) },
      ]),
    );
    expect(index.entries.map((e) => [e.name, e.isDirectory, e.isEncrypted])).toEqual([
      ['dir/', true, false],
      ['dir/secret.jpg', false, true],
      ['dir/open.jpg', false, false],
    ]);
  });

  it('reads an empty archive (end record only)', async () => {
    const bytes = buildZip([]);
    expect(bytes.length).toBe(22);
    expect(await indexOf(bytes)).toEqual({ format: 'zip', entries: [], comment: null });
  });

  it('lists entries named ../../etc/passwd and /abs/path.jpg as plain names', async () => {
    const index = await indexOf(
      buildZip([
        { name: '../../etc/passwd', data: Buffer.from('root') },
        { name: '/abs/path.jpg', data: Buffer.from('jpg') },
      ]),
    );
    expect(index.entries.map((e) => e.name)).toEqual(['../../etc/passwd', '/abs/path.jpg']);
  });

  it('lists 10,000 entries, reading the directory with a second read when it does not fit the tail', async () => {
    const entries = Array.from({ length: 10_000 }, (_, i) => ({ name: `pages/page-${String(i).padStart(5, '0')}.jpg`, data: Buffer.from([i & 0xff]) }));
    const bytes = buildZip(entries);
    const index = await indexOf(bytes);
    expect(index.entries).toHaveLength(10_000);
    expect(index.entries[9_999]).toMatchObject({ name: 'pages/page-09999.jpg', size: 1, crc32: crc32(Buffer.from([9_999 & 0xff])) >>> 0 });
  });

  it('refuses more entries than limits.maxEntries as too-large', async () => {
    const bytes = buildZip(Array.from({ length: 30 }, (_, i) => page(i, 1)));
    const error = await indexOf(bytes, { maxEntries: 29 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveError);
    expect((error as ArchiveError).kind).toBe('too-large');
    expect((await indexOf(bytes, { maxEntries: 30 })).entries).toHaveLength(30);
  });

  it('reports a ZIP whose tail was cut off as truncated', async () => {
    const bytes = buildZip([page(1, 5000), page(2, 5000)]);
    expect((await errorOf(bytes.subarray(0, bytes.length - 30))).kind).toBe('truncated');
    expect((await errorOf(bytes.subarray(0, 6000))).kind).toBe('truncated');
  });

  it('reports a ZIP with bytes cut from the middle as truncated', async () => {
    const bytes = buildZip([page(1, 5000), page(2, 5000), page(3, 5000)]);
    for (const cut of [10, 2000, 9000]) {
      const damaged = Buffer.concat([bytes.subarray(0, 3000), bytes.subarray(3000 + cut)]);
      const error = await errorOf(damaged);
      expect(error.kind).toBe('truncated');
    }
  });

  it('reports garbage in the central directory as corrupt', async () => {
    const bytes = buildZip([page(1), page(2)]);
    const directoryOffset = bytes.readUInt32LE(bytes.length - 22 + 16);
    const badSignature = Buffer.from(bytes);
    badSignature.writeUInt32LE(0xdeadbeef, directoryOffset);
    expect((await errorOf(badSignature)).kind).toBe('corrupt');

    const secondEntry = Buffer.from(bytes);
    const firstLength = 46 + secondEntry.readUInt16LE(directoryOffset + 28);
    secondEntry.fill(0x41, directoryOffset + firstLength, directoryOffset + firstLength + 10);
    expect((await errorOf(secondEntry)).kind).toBe('corrupt');

    const hugeName = Buffer.from(bytes);
    hugeName.writeUInt16LE(0xffff, directoryOffset + 28);
    expect((await errorOf(hugeName)).kind).toBe('corrupt');
  });

  it('reports a local header offset past the end of the file as truncated and one inside the directory as corrupt', async () => {
    const bytes = buildZip([page(1), page(2)]);
    const directoryOffset = bytes.readUInt32LE(bytes.length - 22 + 16);
    const pastEnd = Buffer.from(bytes);
    pastEnd.writeUInt32LE(bytes.length + 100, directoryOffset + 42);
    expect((await errorOf(pastEnd)).kind).toBe('truncated');
    const overlapping = Buffer.from(bytes);
    overlapping.writeUInt32LE(directoryOffset - 10, directoryOffset + 42);
    expect((await errorOf(overlapping)).kind).toBe('corrupt');
  });

  it('reports a split ZIP part as multi-volume', async () => {
    const bytes = buildZip([page(1)]);
    bytes.writeUInt16LE(2, bytes.length - 22 + 4); // number of this disk
    bytes.writeUInt16LE(2, bytes.length - 22 + 6);
    expect((await errorOf(bytes)).kind).toBe('multi-volume');
  });

  it('tolerates bytes appended after the end record', async () => {
    const bytes = Buffer.concat([buildZip([page(1)]), Buffer.from('appended junk')]);
    expect((await indexOf(bytes)).entries.map((e) => e.name)).toEqual(['page1.jpg']);
  });

  it('finds the end record behind a maximal 65,535-byte comment in a large file', async () => {
    const comment = 'c'.repeat(65_535);
    const bytes = buildZip([page(1, 200_000)], { comment });
    const index = await indexOf(bytes);
    expect(index.comment).toHaveLength(65_535);
    expect(index.entries[0].size).toBe(200_000);
  });
});
