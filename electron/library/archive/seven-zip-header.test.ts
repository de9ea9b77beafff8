// The TypeScript 7z header reader: its listing equals 7-Zip's (7z-wasm `l -slt` + parseSevenZipListing)
// on archives made by the real `7z` command in every shape the switches give, and hostile headers end
// in an ArchiveError or `unsupported`, never another throw, a hang or a big allocation.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryFile } from '../testing/memory-file.js';
import { tempDirForAll } from '../testing/temp-dir.js';
import { toolForTests } from '../testing/tools.js';
import { readSevenZipHeader, type SevenZipHeaderResult } from './seven-zip-header.js';
import { parseSevenZipListing, sevenZipFailure, type SevenZipEntry } from './seven-zip-listing.js';
import { sevenZipList } from './seven-zip-wasm.js';
import { ArchiveError } from './types.js';

const available = toolForTests('7z', ['i'], 'the 7z header comparisons', 'p7zip-full');

const MAX_ENTRIES = 1000;
let dir: string;
let src: string;

tempDirForAll('longbox-7zh-', (made) => (dir = made));
beforeAll(() => {
  src = join(dir, 'src');
  for (const sub of ['Chapter 1', 'Chapter 2', 'Extras', 'a/b/c', 'Empty folder']) mkdirSync(join(src, sub), { recursive: true });
  for (let i = 1; i <= 6; i++) writeFileSync(join(src, `Chapter 1/page0${i}.jpg`), Buffer.alloc(3000 + i * 500, i));
  writeFileSync(join(src, 'Chapter 2/Ünïcödé 漫画 😀.png'), Buffer.from('unicode page'.repeat(50)));
  writeFileSync(join(src, 'a/b/c/deep.jpg'), Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) & 255)));
  writeFileSync(join(src, 'Extras/empty.txt'), Buffer.alloc(0));
  writeFileSync(join(src, 'ComicInfo.xml'), '<ComicInfo><Series>Header</Series></ComicInfo>');
});

let made = 0;
function make(switches: string[]): string {
  const path = join(dir, `case-${made++}.7z`);
  execFileSync('7z', ['a', '-t7z', ...switches, path, '.'], { cwd: src, stdio: 'ignore' });
  return path;
}

async function tsListing(bytes: Buffer, maxEntries = MAX_ENTRIES): Promise<SevenZipHeaderResult | ArchiveError> {
  try {
    return await readSevenZipHeader(memoryFile(bytes), bytes.length, { maxEntries });
  } catch (error) {
    if (error instanceof ArchiveError) return error;
    throw error;
  }
}

/** 7-Zip's verdict on a file: its entries, or the ArchiveError its messages mean (today's reader). */
async function wasmListing(path: string): Promise<SevenZipEntry[] | ArchiveError> {
  const { rc, out, err } = await sevenZipList(path);
  const failure = sevenZipFailure(rc, out, err);
  if (failure) return failure;
  try {
    return parseSevenZipListing(out, MAX_ENTRIES);
  } catch (error) {
    if (error instanceof ArchiveError) return error;
    throw error;
  }
}

describe.skipIf(!available)('the TypeScript 7z listing equals 7-Zip’s', () => {
  const shapes: Array<[string, string[]]> = [
    ['solid LZMA2, compressed header (the default)', []],
    ['non-solid', ['-ms=off']],
    ['several solid blocks', ['-ms=3f']],
    ['LZMA', ['-m0=lzma']],
    ['LZMA2', ['-m0=lzma2', '-ms=off']],
    ['copy (no compression)', ['-mx=0']],
    ['header compression off', ['-mhc=off']],
    ['header compression off, non-solid copy', ['-mhc=off', '-ms=off', '-mx=0']],
    ['PPMd data', ['-m0=ppmd']],
    ['BCJ + LZMA data (two coders)', ['-mf=BCJ', '-m0=lzma']],
    ['BZip2 data', ['-m0=bzip2']],
    ['with creation and access times', ['-mtc=on', '-mta=on']],
    ['encrypted data', ['-psecret']],
    ['encrypted data, non-solid, header off', ['-psecret', '-ms=off', '-mhc=off']],
  ];
  it.each(shapes)('%s', async (_label, switches) => {
    const path = make(switches);
    const ts = await tsListing(readFileSync(path));
    const wasm = await wasmListing(path);
    expect(ts).toEqual({ kind: 'listed', entries: wasm });
    const entries = (ts as { entries: SevenZipEntry[] }).entries;
    expect(entries.find((e) => e.name === 'Chapter 2/Ünïcödé 漫画 😀.png')?.size).toBe(600);
    expect(entries.find((e) => e.name === 'Empty folder')?.isDirectory).toBe(true);
    expect(entries.find((e) => e.name === 'Extras/empty.txt')).toMatchObject({ size: 0, isDirectory: false, block: null });
    expect(entries.find((e) => e.name === 'a/b/c/deep.jpg')?.crc32).toBe(crc32(readFileSync(join(src, 'a/b/c/deep.jpg'))));
    expect(entries.every((e) => e.isEncrypted === switches.includes('-psecret') || e.block === null)).toBe(true);
  });

  it('several blocks: entries carry their block, the first of each its packed size', async () => {
    const path = make(['-ms=3f']);
    const result = await tsListing(readFileSync(path));
    const entries = (result as { entries: SevenZipEntry[] }).entries;
    const blocks = new Set(entries.map((e) => e.block).filter((b) => b !== null));
    expect(blocks.size).toBeGreaterThan(2);
    expect(entries.filter((e) => e.compressedSize > 0)).toHaveLength(blocks.size);
  });

  it('encrypted headers: unsupported here (7-Zip WASM says encrypted)', async () => {
    const path = make(['-psecret', '-mhe=on']);
    expect(await tsListing(readFileSync(path))).toMatchObject({ kind: 'unsupported' });
    expect((await wasmListing(path)) as ArchiveError).toMatchObject({ kind: 'encrypted' });
  });

  it('an empty archive lists nothing', async () => {
    mkdirSync(join(dir, 'nothing'), { recursive: true });
    const path = join(dir, 'empty.7z');
    execFileSync('7z', ['a', path, '-x!*'], { cwd: join(dir, 'nothing'), stdio: 'ignore' });
    expect(await tsListing(readFileSync(path))).toEqual({ kind: 'listed', entries: await wasmListing(path) });
  });

  it('more entries than the limit: too-large, before reading them', async () => {
    const result = await tsListing(readFileSync(make([])), 3);
    expect(result).toBeInstanceOf(ArchiveError);
    expect((result as ArchiveError).kind).toBe('too-large');
  });

  it.each([
    ['compressed header', []],
    ['plain header', ['-mhc=off']],
  ])('every truncation (%s): an ArchiveError, never a listing', async (_label, switches) => {
    const whole = readFileSync(make(['-ms=off', ...switches]));
    for (let length = 0; length < whole.length; length++) {
      const result = await tsListing(whole.subarray(0, length));
      expect(result, `length ${length}`).toBeInstanceOf(ArchiveError);
      expect(['truncated', 'corrupt']).toContain((result as ArchiveError).kind);
    }
  });

  it('trailing bytes after the archive: listed, as 7-Zip lists it', async () => {
    const path = make([]);
    const padded = join(dir, 'padded.7z');
    writeFileSync(padded, Buffer.concat([readFileSync(path), Buffer.alloc(10)]));
    expect(await tsListing(readFileSync(padded))).toEqual({ kind: 'listed', entries: await wasmListing(padded) });
  });
});

// ---- Hand-made headers: the hostile shapes a fuzzer rarely reaches.

/** A 7z number: the first byte's leading 1 bits count the little-endian bytes after it. */
function num(value: number | bigint): Buffer {
  let v = BigInt(value);
  if (v < 0x80n) return Buffer.from([Number(v)]);
  for (let extra = 1; extra <= 8; extra++) {
    const highBits = 7 - extra;
    if (extra === 8 || v < 1n << BigInt(8 * extra + highBits)) {
      const out = Buffer.alloc(1 + extra);
      const mask = (0xff << (8 - extra)) & 0xff;
      for (let i = 0; i < extra; i++) {
        out[1 + i] = Number(v & 0xffn);
        v >>= 8n;
      }
      out[0] = mask | (extra === 8 ? 0 : Number(v));
      return out;
    }
  }
  throw new Error('unreachable');
}
const bytes = (...parts: Array<number | Buffer>) => Buffer.concat(parts.map((p) => (typeof p === 'number' ? Buffer.from([p]) : p)));

/** A whole archive: signature header with both CRCs right, `packed` bytes, then `next` as the next header. */
function archive(next: Buffer, packed: Buffer = Buffer.alloc(0), patch?: (start: Buffer) => void): Buffer {
  const start = Buffer.alloc(32);
  Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]).copy(start);
  start.writeBigUInt64LE(BigInt(packed.length), 12);
  start.writeBigUInt64LE(BigInt(next.length), 20);
  start.writeUInt32LE(crc32(next), 28);
  patch?.(start);
  start.writeUInt32LE(crc32(start.subarray(12, 32)), 8);
  return Buffer.concat([start, packed, next]);
}

const K = { end: 0, header: 1, main: 4, files: 5, pack: 6, unpack: 7, subStreams: 8, size: 9, crc: 0x0a, folder: 0x0b, codersUnpackSize: 0x0c, numUnpack: 0x0d, emptyStream: 0x0e, name: 0x11, encoded: 0x17 };
const utf16 = (s: string) => Buffer.concat([Buffer.from(s, 'utf16le'), Buffer.alloc(2)]);
/** One file "a.jpg" of `size` bytes stored in one copy-coded folder. */
const oneFileHeader = (size: number) =>
  bytes(K.header, K.main, K.pack, num(0), num(1), K.size, num(size), K.end, K.unpack, K.folder, num(1), 0, num(1), 0x01, 0x00, K.codersUnpackSize, num(size), K.end, K.end, K.files, num(1), K.name, num(1 + 12), 0, utf16('a.jpg'), K.end, K.end);

async function expectError(data: Buffer, kind: string): Promise<void> {
  const result = await tsListing(data);
  expect(result).toBeInstanceOf(ArchiveError);
  expect((result as ArchiveError).kind).toBe(kind);
}

describe('hostile 7z headers', () => {
  it('a hand-made valid header lists its file (the helpers are right)', async () => {
    const result = await tsListing(archive(oneFileHeader(3), Buffer.from('abc')));
    expect(result).toEqual({ kind: 'listed', entries: [{ name: 'a.jpg', size: 3, compressedSize: 3, crc32: 0, isDirectory: false, isEncrypted: false, block: 0 }] });
  });

  it('bad start header CRC, bad next header CRC, wrong major version → corrupt', async () => {
    const good = archive(oneFileHeader(3), Buffer.from('abc'));
    const badStart = Buffer.from(good);
    badStart[8] ^= 1;
    await expectError(badStart, 'corrupt');
    const badNext = Buffer.from(good);
    badNext[badNext.length - 2] ^= 1;
    await expectError(badNext, 'corrupt');
    await expectError(archive(oneFileHeader(3), Buffer.from('abc'), (s) => (s[6] = 1)), 'corrupt');
  });

  it('a next header past the end of the file → truncated; a position over 2^53 → corrupt', async () => {
    await expectError(archive(oneFileHeader(3), Buffer.from('abc'), (s) => s.writeBigUInt64LE(1000n, 12)), 'truncated');
    await expectError(archive(oneFileHeader(3), Buffer.from('abc'), (s) => s.writeBigUInt64LE(1n << 60n, 20)), 'corrupt');
  });

  it('a huge file count → too-large without allocating; a huge pack stream or folder count → corrupt', async () => {
    await expectError(archive(bytes(K.header, K.files, num(0x7fffffff), K.end, K.end)), 'too-large');
    await expectError(archive(bytes(K.header, K.main, K.pack, num(0), num(0x7fffffff), K.size, num(1), K.end, K.end, K.end)), 'corrupt');
    await expectError(archive(bytes(K.header, K.main, K.unpack, K.folder, num(0x7fffffff), 0, K.end, K.end, K.end)), 'corrupt');
    await expectError(archive(bytes(K.header, K.files, num(0x80000000), K.end, K.end)), 'corrupt');
  });

  it('numbers over 2^53 (sizes) → corrupt', async () => {
    await expectError(archive(bytes(K.header, K.main, K.pack, num(0), num(1), K.size, num(1n << 60n), K.end, K.end, K.end)), 'corrupt');
    await expectError(archive(bytes(K.header, K.main, K.pack, num(0), num(1), K.size, Buffer.alloc(9, 0xff), K.end, K.end, K.end)), 'corrupt');
  });

  it('packed data that runs into the header, sizes that exceed their folder → corrupt', async () => {
    await expectError(archive(oneFileHeader(10), Buffer.from('abc')), 'corrupt');
    const twoSizes = bytes(K.header, K.main, K.pack, num(0), num(1), K.size, num(3), K.end, K.unpack, K.folder, num(1), 0, num(1), 0x01, 0x00, K.codersUnpackSize, num(3), K.end, K.subStreams, K.numUnpack, num(2), K.size, num(9), K.end, K.end, K.files, num(2), K.name, num(1 + 8), 0, utf16('a'), utf16('b'), K.end, K.end);
    await expectError(archive(twoSizes, Buffer.from('abc')), 'corrupt');
  });

  it('names that do not fill their property, or miss their end → corrupt', async () => {
    const header = oneFileHeader(3);
    const extra = bytes(K.header, K.main, K.pack, num(0), num(1), K.size, num(3), K.end, K.unpack, K.folder, num(1), 0, num(1), 0x01, 0x00, K.codersUnpackSize, num(3), K.end, K.end, K.files, num(1), K.name, num(1 + 14), 0, utf16('a.jpg'), 0x41, 0x00, K.end, K.end);
    await expectError(archive(extra, Buffer.from('abc')), 'corrupt');
    const unterminated = Buffer.from(header);
    unterminated.writeUInt16LE(0x41, unterminated.length - 4);
    await expectError(archive(unterminated, Buffer.from('abc')), 'corrupt');
  });

  it('an encoded header: copy-coded decodes; one that decodes to another encoded header → corrupt (no loop)', async () => {
    const encoded = (payload: Buffer, crc = true, declared = payload.length) =>
      bytes(K.encoded, K.pack, num(0), num(1), K.size, num(payload.length), K.end, K.unpack, K.folder, num(1), 0, num(1), 0x01, 0x00, K.codersUnpackSize, num(declared), ...(crc ? [K.crc, 1, Buffer.from(new Uint32Array([crc32(payload)]).buffer)] : []), K.end, K.end);
    // The packed header is the only packed stream here (dataOffset 0); its one file is an empty folder.
    const emptyFile = bytes(K.header, K.files, num(1), K.emptyStream, num(1), 0x80, K.name, num(1 + 4), 0, utf16('d'), K.end, K.end);
    expect(await tsListing(archive(encoded(emptyFile), emptyFile))).toEqual({ kind: 'listed', entries: [{ name: 'd', size: 0, compressedSize: 0, crc32: 0, isDirectory: true, isEncrypted: false, block: null }] });
    const loop = encoded(emptyFile);
    await expectError(archive(encoded(loop), loop), 'corrupt');
    const badCrc = Buffer.from(emptyFile);
    await expectError(archive(encoded(emptyFile), Buffer.concat([badCrc.subarray(0, 3), Buffer.from([badCrc[3]! ^ 1]), badCrc.subarray(4)])), 'corrupt');
    await expectError(archive(encoded(emptyFile, false, 1 << 30), emptyFile), 'too-large');
  });

  it('a header coder other than LZMA, LZMA2 or copy → unsupported (7-Zip WASM decides)', async () => {
    const emptyFile = bytes(K.header, K.files, num(1), K.emptyStream, num(1), 0x80, K.name, num(1 + 4), 0, utf16('d'), K.end, K.end);
    const coded = (id: Buffer) => bytes(K.encoded, K.pack, num(0), num(1), K.size, num(emptyFile.length), K.end, K.unpack, K.folder, num(1), 0, num(1), id.length, id, K.codersUnpackSize, num(emptyFile.length), K.end, K.end);
    expect(await tsListing(archive(coded(Buffer.from([0x03, 0x03, 0x01, 0x03])), emptyFile))).toMatchObject({ kind: 'unsupported' });
    expect(await tsListing(archive(coded(Buffer.from([0x06, 0xf1, 0x07, 0x01])), emptyFile))).toMatchObject({ kind: 'unsupported' });
  });
});
