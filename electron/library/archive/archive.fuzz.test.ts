// Fuzz: random mutations of valid archives through the index pass and extraction. Whatever the bytes,
// the readers throw nothing but ArchiveError (a row's error), finish (no hang), and the entry count
// stays bounded by what the bytes can hold. Runs briefly in `npm test` (FUZZ_RUNS, default 200 per
// property, set in vitest.config.ts) and long under `npm run fuzz` (20,000, or FUZZ_RUNS).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRar } from '../../../scripts/testing/rar-writer.js';
import { buildZip, type ZipEntryInput } from '../../../scripts/testing/zip-writer.js';
import { withinTime } from '../testing/fuzz.js';
import { memoryFile } from '../testing/memory-file.js';
import { readArchiveEntry } from './extract.js';
import { readArchiveIndex } from './read-index.js';
import { listPages } from './pages.js';
import { ArchiveError } from './types.js';
import { readZipDirectory } from './zip-directory.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const MAX_ENTRIES = 500;
const HANG_MS = 5000;
const CENTRAL_HEADER_LENGTH = 46;

const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const info = Buffer.from('<?xml version="1.0"?><ComicInfo><Series>Fuzz</Series><Number>1</Number></ComicInfo>');
const pages = (n: number, method: ZipEntryInput['method'] = 'store'): ZipEntryInput[] =>
  Array.from({ length: n }, (_, i) => ({ name: `p${String(i).padStart(3, '0')}.png`, data: png, method }));

/** Valid archives of every shape the readers know; the fuzzer mutates these. */
const ZIP_SEEDS: Buffer[] = [
  buildZip([...pages(3), { name: 'ComicInfo.xml', data: info }]),
  buildZip([...pages(2, 'deflate'), { name: 'ComicInfo.xml', data: info, method: 'deflate' }], { comment: '{"ComicBookInfo/1.0":{"series":"X"}}' }),
  buildZip(pages(3), { zip64: true }),
  buildZip(pages(2), { dataDescriptors: true }),
  buildZip([{ name: 'x', rawName: Buffer.from([0x80, 0x81, 0x2e, 0x70, 0x6e, 0x67]), data: png }, { name: 'dir/', data: Buffer.alloc(0) }]),
  buildZip([{ name: 'big.png', data: Buffer.alloc(4096, 1), method: 'deflate', declaredSize: 100 }]),
];
const RAR_SEEDS: Buffer[] = [
  buildRar([{ name: 'p1.png', data: png }, { name: 'ComicInfo.xml', data: info }], { version: 4 }),
  buildRar([{ name: 'p1.png', data: png }, { name: 'sub/', data: Buffer.alloc(0) }, { name: 'sub/p2.png', data: png }], { version: 5 }),
];

const INTERESTING_U32 = [0, 1, 0xff, 0xffff, 0x7fffffff, 0xfffffffe, 0xffffffff, 0x06054b50, 0x02014b50, 0x04034b50, 0x07064b50, 0x06064b50];

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'u16'; at: number; value: number }
  | { kind: 'u32'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'cut'; at: number; length: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'duplicate-tail'; length: number };

/** Positions as fractions, mostly in the tail (the central directory and end records live there). */
const position = fc.oneof({ weight: 3, arbitrary: fc.double({ min: 0.6, max: 1, noNaN: true }) }, { weight: 1, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) });

const mutation: fc.Arbitrary<(size: number) => Mutation> = fc.oneof(
  fc.tuple(position, fc.integer({ min: 0, max: 7 })).map(([p, bit]) => (size: number) => ({ kind: 'flip' as const, at: Math.floor(p * size), bit })),
  fc.tuple(position, fc.integer({ min: 0, max: 255 })).map(([p, value]) => (size: number) => ({ kind: 'byte' as const, at: Math.floor(p * size), value })),
  fc.tuple(position, fc.constantFrom(0, 1, 0xfffe, 0xffff, 46, 22)).map(([p, value]) => (size: number) => ({ kind: 'u16' as const, at: Math.floor(p * size), value })),
  fc.tuple(position, fc.constantFrom(...INTERESTING_U32)).map(([p, value]) => (size: number) => ({ kind: 'u32' as const, at: Math.floor(p * size), value })),
  position.map((p) => (size: number) => ({ kind: 'truncate' as const, at: Math.floor(p * size) })),
  fc.tuple(position, fc.integer({ min: 1, max: 64 })).map(([p, length]) => (size: number) => ({ kind: 'cut' as const, at: Math.floor(p * size), length })),
  fc.tuple(position, fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([p, bytes]) => (size: number) => ({ kind: 'insert' as const, at: Math.floor(p * size), bytes })),
  fc.integer({ min: 22, max: 200 }).map((length) => () => ({ kind: 'duplicate-tail' as const, length })),
);

function apply(input: Buffer, m: Mutation): Buffer {
  const b = Buffer.from(input);
  const at = Math.min(Math.max(0, m.kind === 'duplicate-tail' ? 0 : m.at), Math.max(0, b.length - 1));
  switch (m.kind) {
    case 'flip':
      if (b.length > 0) b[at] = b[at]! ^ (1 << m.bit);
      return b;
    case 'byte':
      if (b.length > 0) b[at] = m.value;
      return b;
    case 'u16':
      if (at + 2 <= b.length) b.writeUInt16LE(m.value, at);
      return b;
    case 'u32':
      if (at + 4 <= b.length) b.writeUInt32LE(m.value >>> 0, at);
      return b;
    case 'truncate':
      return b.subarray(0, at);
    case 'cut':
      return Buffer.concat([b.subarray(0, at), b.subarray(at + m.length)]);
    case 'insert':
      return Buffer.concat([b.subarray(0, at), Buffer.from(m.bytes), b.subarray(at)]);
    case 'duplicate-tail':
      return Buffer.concat([b, b.subarray(Math.max(0, b.length - m.length))]);
  }
}

const mutated = (seeds: Buffer[]) =>
  fc.tuple(fc.constantFrom(...seeds.keys()), fc.array(mutation, { minLength: 1, maxLength: 6 })).map(([seed, ms]) => {
    let data = seeds[seed]!;
    const applied: Mutation[] = [];
    for (const make of ms) {
      const m = make(data.length);
      applied.push(m);
      data = apply(data, m);
    }
    return { seed, applied, data };
  });

/** Runs `work`; any throw other than ArchiveError fails the property. */
async function onlyArchiveErrors<T>(work: () => Promise<T>, what: string): Promise<T | ArchiveError> {
  try {
    return await withinTime(work(), what, HANG_MS);
  } catch (err) {
    if (err instanceof ArchiveError) {
      expect(err.message.length).toBeGreaterThan(0);
      return err;
    }
    throw err;
  }
}

let dir: string | null = null;
function tempFile(data: Buffer): string {
  dir ??= mkdtempSync(join(tmpdir(), 'lb-fuzz-'));
  const file = join(dir, 'case.bin');
  writeFileSync(file, data);
  return file;
}
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('ZIP central-directory reader (fuzz)', () => {
  it(`mutated ZIPs: only ArchiveError, no hang, entries bounded by the bytes (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(mutated(ZIP_SEEDS), async ({ data }) => {
        const result = await onlyArchiveErrors(
          () => readZipDirectory(memoryFile(data), data.length, { limits: { maxEntries: MAX_ENTRIES }, withLocations: true }),
          'readZipDirectory',
        );
        if (result instanceof ArchiveError) return;
        expect(result.entries.length).toBeLessThanOrEqual(MAX_ENTRIES);
        expect(result.entries.length * CENTRAL_HEADER_LENGTH).toBeLessThanOrEqual(data.length);
        expect(result.locations).toHaveLength(result.entries.length);
        for (const entry of result.entries) {
          expect(Number.isSafeInteger(entry.size) && entry.size >= 0).toBe(true);
          expect(Number.isSafeInteger(entry.compressedSize) && entry.compressedSize >= 0).toBe(true);
          expect(entry.compressedSize).toBeLessThanOrEqual(data.length);
          expect(typeof entry.name).toBe('string');
        }
        for (const location of result.locations) expect(location.localHeaderOffset).toBeLessThan(data.length);
      }),
      { numRuns: RUNS },
    );
  }, 600_000);
});

describe('index pass + extraction on real files (fuzz, ZIP and RAR)', () => {
  const runs = Math.max(20, Math.floor(RUNS / 5));
  it(`mutated ZIP and RAR files: readArchiveIndex and readArchiveEntry throw only ArchiveError, never hang (${runs} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated(ZIP_SEEDS), mutated(RAR_SEEDS)), async ({ data }) => {
        const file = tempFile(data);
        const index = await onlyArchiveErrors(() => readArchiveIndex(file, { limits: { maxEntries: MAX_ENTRIES } }), 'readArchiveIndex');
        if (index instanceof ArchiveError) return;
        expect(index.entries.length).toBeLessThanOrEqual(MAX_ENTRIES);
        // Read what the index pass would: the first page (the cover) and ComicInfo.xml, bounded.
        const wanted = [...listPages(index.entries).slice(0, 2), ...index.entries.filter((e) => /comicinfo\.xml$/i.test(e.name)).map((e) => e.name)];
        for (const name of wanted) {
          const bytes = await onlyArchiveErrors(() => readArchiveEntry(file, index.format, name, { maxBytes: 64 * 1024 }), `readArchiveEntry(${name})`);
          if (!(bytes instanceof ArchiveError)) expect(bytes.length).toBeLessThanOrEqual(64 * 1024);
        }
      }),
      { numRuns: runs },
    );
  }, 600_000);
});
