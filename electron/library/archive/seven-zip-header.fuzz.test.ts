// Fuzz: mutated 7z archives through the TypeScript header reader and 7-Zip. Whatever the bytes, the
// reader gives an ArchiveError, `unsupported`, or a listing, finishes, and when it lists, 7-Zip lists
// the same entries; readArchiveIndex (the reader, then 7-Zip for what it refuses) gives 7-Zip's verdict.
// Seeds are written by 7z-wasm itself, so no tool is needed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyMutations, byteMutation, withinTime } from '../testing/fuzz.js';
import { memoryFile } from '../testing/memory-file.js';
import { tempDirForAll } from '../testing/temp-dir.js';
import { readArchiveIndex } from './read-index.js';
import { readSevenZipHeader } from './seven-zip-header.js';
import { parseSevenZipListing, sevenZipFailure, type SevenZipEntry } from './seven-zip-listing.js';
import { sevenZipCreate } from './seven-zip-wasm.js';
import { ArchiveError } from './types.js';
import { wasmWorker } from './wasm-worker.js';

const RUNS = Math.max(20, Math.floor(Number(process.env.FUZZ_RUNS ?? 200) / 2));
const MAX_ENTRIES = 100;
const HANG_MS = 20_000;

type Verdict = { entries: SevenZipEntry[] } | { error: string };

let dir: string;
let seeds: Buffer[];
let counter = 0;

tempDirForAll('lb-fuzz-7zh-', (made) => (dir = made));
beforeAll(async () => {
  const files = [
    { name: 'p1.png', data: new Uint8Array(300).fill(1) },
    { name: 'sub/p2.png', data: new Uint8Array(Array.from({ length: 500 }, (_, i) => (i * 31) & 255)) },
    { name: 'sub/empty.txt', data: new Uint8Array(0) },
    { name: 'ComicInfo.xml', data: new TextEncoder().encode('<ComicInfo><Series>F</Series></ComicInfo>') },
  ];
  seeds = [];
  for (const level of [0, 1, 5]) seeds.push(Buffer.from((await sevenZipCreate(files, level)).archive));
});

/** 7-Zip alone (the format worker), as the index pass used it before the TypeScript reader. */
async function wasmVerdict(path: string): Promise<Verdict> {
  try {
    const { rc, out, err } = await wasmWorker().run({ op: '7z-list', path });
    const failure = sevenZipFailure(rc, out, err);
    return failure ? { error: failure.kind } : { entries: parseSevenZipListing(out, MAX_ENTRIES) };
  } catch (error) {
    if (error instanceof ArchiveError) return { error: error.kind };
    throw error;
  }
}

// Mostly the tail: the headers are there.
const mutation = byteMutation(fc.oneof({ weight: 3, arbitrary: fc.double({ min: 0.7, max: 1, noNaN: true }) }, { weight: 1, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) }));

describe('the 7z header reader on mutated archives (fuzz)', () => {
  it(`lists only what 7-Zip lists the same way; otherwise 7-Zip's verdict (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (seed, mutations) => {
        const data = applyMutations(seeds[seed]!, mutations);
        const path = join(dir, `case-${counter++}.cb7`);
        writeFileSync(path, data);
        const ts = await withinTime(
          readSevenZipHeader(memoryFile(data), data.length, { maxEntries: MAX_ENTRIES }).catch((error: unknown) => {
            if (error instanceof ArchiveError) return error;
            throw error;
          }),
          'readSevenZipHeader',
          HANG_MS,
        );
        const wasm = await wasmVerdict(path);
        if (ts instanceof ArchiveError) expect(['corrupt', 'truncated', 'too-large']).toContain(ts.kind);
        else if (ts.kind === 'listed') expect(wasm).toEqual({ entries: ts.entries });
        if (data.length === 0) return; // an empty file is an 'empty' row before any reader
        const final: Verdict = await withinTime(
          readArchiveIndex(path, { limits: { maxEntries: MAX_ENTRIES } }).then(
            (index) => ({ entries: index.entries as SevenZipEntry[] }),
            (error: unknown) => {
              if (error instanceof ArchiveError) return { error: error.kind };
              throw error;
            },
          ),
          'readArchiveIndex',
          HANG_MS,
        );
        // Not a 7z any more (the signature was hit): another reader's verdict, not this comparison's.
        if (data.subarray(0, 6).toString('latin1') !== '7z\xbc\xaf\x27\x1c') return;
        if (ts instanceof ArchiveError && ts.kind === 'too-large') expect(final).toEqual({ error: 'too-large' });
        else expect(final).toEqual(wasm);
      }),
      { numRuns: RUNS },
    );
  }, 600_000);
});
