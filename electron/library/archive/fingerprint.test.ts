import { copyFile, mkdir, open, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildZip } from '../../../scripts/testing/zip-writer.js';
import { fingerprintFromEdges, fingerprintFromIndex } from './fingerprint.js';
import { readArchiveIndex } from './read-index.js';
import type { ArchiveEntry } from './types.js';
import { tempDirForAll } from '../testing/temp-dir.js';

let dir: string;
tempDirForAll('longbox-fp-', (made) => (dir = made));

const comic = buildZip([
  { name: 'p1.jpg', data: Buffer.alloc(1000, 1) },
  { name: 'p2.jpg', data: Buffer.alloc(2000, 2) },
]);

async function fingerprintOf(path: string, size: number): Promise<string> {
  const index = await readArchiveIndex(path);
  return fingerprintFromIndex(size, index.entries);
}

function entry(name: string, size: number, crc32: number, isDirectory = false): ArchiveEntry {
  return { name, size, compressedSize: size, crc32, isDirectory, isEncrypted: false };
}

describe('fingerprintFromIndex', () => {
  it('is a hex sha1 that stays the same when the file is renamed, moved or copied elsewhere', async () => {
    const first = join(dir, 'Comic 001.cbz');
    await writeFile(first, comic);
    const before = await fingerprintOf(first, comic.length);
    expect(before).toMatch(/^[0-9a-f]{40}$/);
    await mkdir(join(dir, 'moved'));
    const moved = join(dir, 'moved', 'Renamed (2020).cbz');
    await rename(first, moved);
    expect(await fingerprintOf(moved, comic.length)).toBe(before);
    const copy = join(dir, 'copy.cbz');
    await copyFile(moved, copy);
    expect(await fingerprintOf(copy, comic.length)).toBe(before);
  });

  it('ignores entry names and order, and directory entries', () => {
    const a = [entry('p1.jpg', 10, 111), entry('p2.jpg', 20, 222)];
    const b = [entry('dir/', 0, 0, true), entry('z.jpg', 20, 222), entry('y.jpg', 10, 111)];
    expect(fingerprintFromIndex(500, a)).toBe(fingerprintFromIndex(500, b));
  });

  it('differs when the content, a size or the file size differs', async () => {
    const other = buildZip([
      { name: 'p1.jpg', data: Buffer.alloc(1000, 1) },
      { name: 'p2.jpg', data: Buffer.alloc(2000, 3) }, // same size, different bytes → different CRC
    ]);
    expect(other.length).toBe(comic.length);
    const a = join(dir, 'a.cbz');
    const b = join(dir, 'b.cbz');
    await writeFile(a, comic);
    await writeFile(b, other);
    expect(await fingerprintOf(a, comic.length)).not.toBe(await fingerprintOf(b, other.length));
    const base = [entry('p', 10, 1)];
    expect(fingerprintFromIndex(500, base)).not.toBe(fingerprintFromIndex(501, base));
    expect(fingerprintFromIndex(500, base)).not.toBe(fingerprintFromIndex(500, [entry('p', 11, 1)]));
    expect(fingerprintFromIndex(500, base)).not.toBe(fingerprintFromIndex(500, [...base, entry('q', 0, 0)]));
  });
});

describe('fingerprintFromEdges', () => {
  async function edges(bytes: Buffer, name: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, bytes);
    const handle = await open(path, 'r');
    try {
      return await fingerprintFromEdges(handle, bytes.length);
    } finally {
      await handle.close();
    }
  }

  it('hashes the first and last 64 KiB plus the size, independent of the name', async () => {
    const big = Buffer.alloc(300_000, 7);
    expect(await edges(big, 'x.cbz')).toBe(await edges(big, 'y.cbr'));
    const changedHead = Buffer.from(big);
    changedHead[10] = 8;
    const changedTail = Buffer.from(big);
    changedTail[big.length - 10] = 8;
    const changedMiddle = Buffer.from(big);
    changedMiddle[150_000] = 8; // not covered, by design
    const reference = await edges(big, 'r.cbz');
    expect(await edges(changedHead, 'h.cbz')).not.toBe(reference);
    expect(await edges(changedTail, 't.cbz')).not.toBe(reference);
    expect(await edges(changedMiddle, 'm.cbz')).toBe(reference);
    expect(await edges(big.subarray(0, 299_999), 's.cbz')).not.toBe(reference);
  });

  it('handles small and empty files', async () => {
    expect(await edges(Buffer.from('tiny'), 'tiny.cbz')).toMatch(/^[0-9a-f]{40}$/);
    expect(await edges(Buffer.alloc(0), 'empty.cbz')).not.toBe(await edges(Buffer.from('tiny'), 'tiny2.cbz'));
  });
});
