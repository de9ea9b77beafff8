import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildRar, type RarOptions } from '../../../scripts/testing/rar-writer.js';
import { readArchiveEntry } from './extract.js';
import { readArchiveIndex } from './read-index.js';
import { ArchiveError } from './types.js';
import { rejectionOf } from '../testing/rejections.js';
import { tempDirForAll } from '../testing/temp-dir.js';

let dir: string;
let counter = 0;
tempDirForAll('longbox-rar-', (made) => (dir = made));

const ENTRIES = [
  { name: 'Chapter 1/', data: Buffer.alloc(0) },
  { name: 'Chapter 1/page01.jpg', data: Buffer.alloc(3000, 1) },
  { name: 'Chapter 1/page02.jpg', data: Buffer.alloc(2500, 2) },
  { name: 'ComicInfo.xml', data: Buffer.from('<ComicInfo><Series>Ünïcode</Series></ComicInfo>') },
  { name: 'ページ.png', data: Buffer.alloc(700, 7) },
];

async function rarFile(options: RarOptions, entries = ENTRIES): Promise<string> {
  const path = join(dir, `r${counter++}.cbr`);
  await writeFile(path, buildRar(entries, options));
  return path;
}

const failure = (promise: Promise<unknown>) => rejectionOf(promise, ArchiveError);

describe.each([4, 5] as const)('RAR%i', (version) => {
  it('lists entries with sizes, CRC-32s and directories', async () => {
    const index = await readArchiveIndex(await rarFile({ version }));
    expect(index.format).toBe('rar');
    expect(index.comment).toBeNull();
    expect(index.entries).toEqual(
      ENTRIES.map((e) => {
        const isDirectory = e.name.endsWith('/');
        return {
          name: isDirectory ? e.name.slice(0, -1) : e.name,
          size: e.data.length,
          compressedSize: e.data.length,
          crc32: isDirectory ? 0 : crc32(e.data) >>> 0,
          isDirectory,
          isEncrypted: false,
        };
      }),
    );
  });

  it('extracts one entry by name, byte for byte', async () => {
    const path = await rarFile({ version });
    expect(await readArchiveEntry(path, 'rar', 'Chapter 1/page02.jpg')).toEqual(ENTRIES[2].data);
    expect((await readArchiveEntry(path, 'rar', 'ComicInfo.xml')).toString()).toBe(ENTRIES[3].data.toString());
    expect(await readArchiveEntry(path, 'rar', 'ページ.png')).toEqual(ENTRIES[4].data);
  });

  it('refuses to extract past maxBytes and reports a missing entry', async () => {
    const path = await rarFile({ version });
    expect((await failure(readArchiveEntry(path, 'rar', 'Chapter 1/page01.jpg', { maxBytes: 1000 }))).kind).toBe('too-large');
    expect((await failure(readArchiveEntry(path, 'rar', 'nope.jpg'))).message).toMatch(/not found/);
    // The extractor is still usable afterwards (the wasm singleton was released properly).
    expect(await readArchiveEntry(path, 'rar', 'Chapter 1/page01.jpg', { maxBytes: 3000 })).toEqual(ENTRIES[1].data);
  });

  it('reports encrypted headers and encrypted files as encrypted', async () => {
    expect((await failure(readArchiveIndex(await rarFile({ version, encryptedHeaders: true })))).kind).toBe('encrypted');
    expect((await failure(readArchiveIndex(await rarFile({ version, encryptedFiles: true })))).kind).toBe('encrypted');
    const extractError = await failure(readArchiveEntry(await rarFile({ version, encryptedFiles: true }), 'rar', 'ComicInfo.xml'));
    expect(extractError.kind).toBe('encrypted');
  });

  it('reports the first volume of a multi-volume set as multi-volume', async () => {
    const path = await rarFile({ version, volume: true });
    expect((await failure(readArchiveIndex(path))).kind).toBe('multi-volume');
    expect((await failure(readArchiveEntry(path, 'rar', 'ComicInfo.xml'))).kind).toBe('multi-volume');
  });

  it('reports archives cut inside data, inside a header or before the end block as truncated', async () => {
    const full = buildRar(ENTRIES, { version });
    const page01At = full.indexOf(ENTRIES[1].data);
    const page02HeaderAt = page01At + ENTRIES[1].data.length;
    for (const cut of [page01At + 100, page02HeaderAt + 5, full.length - 3]) {
      const error = await failure(readArchiveIndex(await rarFile({ version, truncateAt: cut })));
      expect([cut, error.kind]).toEqual([cut, 'truncated']);
    }
    // Cut exactly between two blocks: RAR5 requires its end header; RAR before 3.0 wrote no end block,
    // so such a RAR4 reads as the complete archive of the blocks before the cut.
    const atBoundary = readArchiveIndex(await rarFile({ version, truncateAt: page02HeaderAt }));
    if (version === 5) expect((await failure(atBoundary)).kind).toBe('truncated');
    else expect((await atBoundary).entries.map((e) => e.name)).toEqual(['Chapter 1', 'Chapter 1/page01.jpg']);
  });

  it('reports a damaged header as corrupt', async () => {
    const bytes = buildRar(ENTRIES, { version });
    const nameAt = bytes.indexOf(Buffer.from('ComicInfo.xml'));
    bytes[nameAt] ^= 0xff; // header CRC no longer matches
    const path = join(dir, `bad${counter++}.cbr`);
    await writeFile(path, bytes);
    expect((await failure(readArchiveIndex(path))).kind).toBe('corrupt');
  });

  it('refuses more entries than maxEntries', async () => {
    const path = await rarFile({ version });
    const error = await failure(readArchiveIndex(path, { limits: { maxEntries: 3 } }));
    expect(error.kind).toBe('too-large');
  });
});

describe('RAR concurrency', () => {
  it('lists and extracts many archives concurrently without mixing them up', async () => {
    const paths = await Promise.all(
      Array.from({ length: 12 }, (_, i) => rarFile({ version: i % 2 === 0 ? 4 : 5 }, [{ name: `only-${i}.jpg`, data: Buffer.alloc(100 + i, i) }])),
    );
    const indexes = await Promise.all(paths.map((path) => readArchiveIndex(path)));
    expect(indexes.map((index) => index.entries[0].name)).toEqual(paths.map((_, i) => `only-${i}.jpg`));

    const pages = await Promise.all(paths.map((path, i) => readArchiveEntry(path, 'rar', `only-${i}.jpg`)));
    expect(pages.map((page) => page.length)).toEqual(paths.map((_, i) => 100 + i));
    expect(pages.every((page, i) => page.every((byte) => byte === i))).toBe(true);
  });
});
