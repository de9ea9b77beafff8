// The LZMA / LZMA2 decoders against streams written by xz (XZ Utils: `--format=lzma` and raw LZMA2),
// and on damaged input: a LzmaDataError or bytes of the declared size, never another throw or a hang.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toolForTests } from '../testing/tools.js';
import { decodeLzma1, decodeLzma2, lzma2DictSize, LzmaDataError, parseLzmaProperties } from './lzma-decoder.js';

const available = toolForTests('xz', ['--version'], 'the LZMA round trips', 'xz-utils');

/** Text, repeats at many distances, runs and random bytes: literals, matches, reps and long distances. */
function sample(size: number, seed: number): Buffer {
  const words = ['Longbox', 'comic', 'page', 'ComicInfo', '<Series>', '</Number>', 'the ', 'and ', '\n'];
  const parts: Buffer[] = [];
  let total = 0;
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) >>> 0);
  while (total < size) {
    const kind = next() % 4;
    const part =
      kind === 0 ? Buffer.from(words[next() % words.length]!.repeat(1 + (next() % 4))) : kind === 1 ? Buffer.alloc(1 + (next() % 300), next() & 255) : kind === 2 ? randomBytes(1 + (next() % 64)) : Buffer.concat(parts.slice(-1 - (next() % 8)));
    parts.push(part);
    total += part.length;
  }
  return Buffer.concat(parts).subarray(0, size);
}

const SIZES = [0, 1, 7, 1000, 70_000, 300_000];

describe.skipIf(!available)('LZMA decoder against xz', () => {
  it.each(SIZES)('decodes an .lzma stream of %i bytes (end marker after the data)', (size) => {
    const data = sample(size, size + 1);
    const lzma = execFileSync('xz', ['--format=lzma', '-c', '-6'], { input: data, maxBuffer: 64 << 20 });
    // .lzma: 5 property bytes, the size (here unknown: all ones, so the stream has an end marker), the data.
    const props = parseLzmaProperties(lzma.subarray(0, 5));
    expect(Buffer.from(decodeLzma1(lzma.subarray(13), props, size)).equals(data)).toBe(true);
  });

  it.each([
    ['lc=0,lp=2,pb=0', 'lc=0,lp=2,pb=0'],
    ['lc=4,lp=0,pb=4', 'lc=4,lp=0,pb=4'],
  ])('decodes with %s', (_label, options) => {
    const data = sample(50_000, 7);
    const lzma = execFileSync('xz', ['--format=lzma', `--lzma1=preset=6,${options}`, '-c'], { input: data });
    expect(Buffer.from(decodeLzma1(lzma.subarray(13), parseLzmaProperties(lzma.subarray(0, 5)), data.length)).equals(data)).toBe(true);
  });

  it.each(SIZES.filter((s) => s > 0))('decodes a raw LZMA2 stream of %i bytes', (size) => {
    const data = sample(size, size + 3);
    const raw = execFileSync('xz', ['--format=raw', '--lzma2=preset=6,dict=1MiB', '-c'], { input: data, maxBuffer: 64 << 20 });
    expect(lzma2DictSize(16)).toBe(1 << 20);
    expect(Buffer.from(decodeLzma2(raw, 16, size)).equals(data)).toBe(true);
  });

  it('decodes LZMA2 stored chunks (incompressible data)', () => {
    const data = randomBytes(200_000);
    const raw = execFileSync('xz', ['--format=raw', '--lzma2=preset=1', '-c'], { input: data, maxBuffer: 64 << 20 });
    expect(raw[0]).toBe(1); // a stored chunk that resets the dictionary
    expect(Buffer.from(decodeLzma2(raw, 20, data.length)).equals(data)).toBe(true);
  });

  it('refuses a wrong declared size, a missing end, and data after the end', () => {
    const data = sample(5000, 11);
    const lzma = execFileSync('xz', ['--format=lzma', '-c'], { input: data });
    const props = parseLzmaProperties(lzma.subarray(0, 5));
    expect(() => decodeLzma1(lzma.subarray(13), props, data.length + 1)).toThrow(LzmaDataError);
    expect(() => decodeLzma1(lzma.subarray(13), props, data.length - 1)).toThrow(LzmaDataError);
    expect(() => decodeLzma1(lzma.subarray(13, lzma.length - 3), props, data.length)).toThrow(LzmaDataError);
    expect(() => decodeLzma1(Buffer.concat([lzma.subarray(13), Buffer.from([0, 0])]), props, data.length)).toThrow(LzmaDataError);
    const raw = execFileSync('xz', ['--format=raw', '--lzma2=preset=6', '-c'], { input: data });
    expect(() => decodeLzma2(raw, 20, data.length + 1)).toThrow(LzmaDataError);
    expect(() => decodeLzma2(raw.subarray(0, raw.length - 1), 20, data.length)).toThrow(LzmaDataError);
  });

  it('damaged streams end in LzmaDataError or bytes of the declared size, never another error', () => {
    const data = sample(20_000, 5);
    const lzma = execFileSync('xz', ['--format=lzma', '-c'], { input: data }).subarray(13);
    const raw = execFileSync('xz', ['--format=raw', '--lzma2=preset=6', '-c'], { input: data });
    const props = parseLzmaProperties(Buffer.from([0x5d, 0, 0, 0x80, 0]));
    let x = 12345;
    const next = () => (x = (x * 1103515245 + 12345) >>> 0);
    for (let run = 0; run < 400; run++) {
      const input = Buffer.from(run % 2 === 0 ? lzma : raw);
      for (let flips = 1 + (next() % 3); flips > 0; flips--) input[next() % input.length] ^= 1 << (next() % 8);
      try {
        const out = run % 2 === 0 ? decodeLzma1(input, props, data.length) : decodeLzma2(input, 20, data.length);
        expect(out.length).toBe(data.length);
      } catch (error) {
        expect(error).toBeInstanceOf(LzmaDataError);
      }
    }
  });
});

describe('LZMA properties', () => {
  it('reads lc/lp/pb and the dictionary size, and refuses out-of-range values', () => {
    expect(parseLzmaProperties(Buffer.from([0x5d, 0, 0, 0x10, 0]))).toEqual({ lc: 3, lp: 0, pb: 2, dictSize: 1 << 20 });
    expect(parseLzmaProperties(Buffer.from([0x5d, 1, 0, 0, 0])).dictSize).toBe(4096);
    expect(() => parseLzmaProperties(Buffer.from([225, 0, 0, 0, 0]))).toThrow(LzmaDataError);
    expect(() => parseLzmaProperties(Buffer.from([0x5d]))).toThrow(LzmaDataError);
    expect(() => lzma2DictSize(41)).toThrow(LzmaDataError);
    expect(lzma2DictSize(40)).toBe(0xffffffff);
  });
  it('LZMA2: the first chunk must reset the dictionary; lc + lp at most 4', () => {
    expect(() => decodeLzma2(Buffer.from([0x02, 0x00, 0x00, 0x41, 0x00]), 20, 1)).toThrow(/invalid here/);
    expect(() => decodeLzma2(Buffer.from([0x80, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0]), 20, 1)).toThrow(/does not reset/);
    expect(() => decodeLzma2(Buffer.from([0xe0, 0, 0, 0, 4, 4 * 9 + 1, 0, 0, 0, 0, 0, 0]), 20, 1)).toThrow(/lc \+ lp/);
    expect(Buffer.from(decodeLzma2(Buffer.from([0x01, 0x00, 0x01, 0x41, 0x42, 0x00]), 20, 2)).toString()).toBe('AB');
  });
});
