// tar fixtures are written by GNU tar (a writer we did not write), in ustar, GNU and pax formats.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readArchiveEntry } from './extract.js';
import { readArchiveIndex } from './read-index.js';
import { ArchiveError } from './types.js';
import { rejectionOf } from '../testing/rejections.js';
import { tempDirForAll } from '../testing/temp-dir.js';

let dir: string;
let source: string;
const LONG_FOLDER = 'a-very-long-folder-name-that-goes-on-and-on-'.repeat(3);
const FILES: Array<[string, Buffer]> = [
  ['page01.jpg', Buffer.alloc(1500, 1)],
  ['page02.jpg', Buffer.alloc(512, 2)],
  ['ComicInfo.xml', Buffer.from('<ComicInfo/>')],
  [`${LONG_FOLDER}/page03-with-a-long-name-too.jpg`, Buffer.alloc(10, 3)],
  ['Été/ページ.png', Buffer.alloc(70_000, 4)],
];

tempDirForAll('longbox-tar-', (made) => (dir = made));
beforeAll(async () => {
  source = join(dir, 'src');
  for (const [name, data] of FILES) {
    await mkdir(join(source, name, '..'), { recursive: true });
    await writeFile(join(source, name), data);
  }
});

function gnuTar(format: string, out: string, names: string[]): void {
  execFileSync('tar', ['--format', format, '--no-recursion', '-cf', out, '-C', source, ...names]);
}

describe.each(['gnu', 'pax', 'ustar'])('tar (%s)', (format) => {
  it('lists files and directories with sizes, and extracts entries by name', async () => {
    const out = join(dir, `${format}.cbt`);
    // ustar cannot hold a 150-character name without a '/' split that fits: leave it to gnu and pax.
    const names = FILES.map(([name]) => name).filter((name) => format !== 'ustar' || !name.startsWith(LONG_FOLDER));
    gnuTar(format, out, ['Été', ...names]);
    const index = await readArchiveIndex(out);
    expect(index.format).toBe('tar');
    const files = index.entries.filter((e) => !e.isDirectory);
    expect(files.map((e) => [e.name, e.size]).sort()).toEqual(
      FILES.filter(([name]) => names.includes(name))
        .map(([name, data]) => [name, data.length])
        .sort(),
    );
    expect(files.every((e) => e.crc32 === 0 && !e.isEncrypted)).toBe(true);
    expect(index.entries.some((e) => e.isDirectory && e.name.replace(/\/$/, '') === 'Été')).toBe(true);
    for (const name of names) {
      expect(await readArchiveEntry(out, 'tar', name)).toEqual(FILES.find(([n]) => n === name)?.[1]);
    }
  });
});

describe('tar errors', () => {
  async function tarBytes(): Promise<Buffer> {
    const out = join(dir, 'base.tar');
    gnuTar('gnu', out, ['page01.jpg', 'page02.jpg', 'ComicInfo.xml']);
    return readFile(out);
  }

  async function failure(bytes: Buffer, entry?: string, maxBytes?: number): Promise<ArchiveError> {
    const path = join(dir, `e${Math.random().toString(36).slice(2)}.tar`);
    await writeFile(path, bytes);
    const attempt = entry === undefined ? readArchiveIndex(path) : readArchiveEntry(path, 'tar', entry, { maxBytes });
    return rejectionOf(attempt, ArchiveError);
  }

  it('reports a tar cut inside a member as truncated', async () => {
    const bytes = await tarBytes();
    expect((await failure(bytes.subarray(0, 1000))).kind).toBe('truncated');
    expect((await failure(bytes.subarray(0, 512 + 2048 + 300))).kind).toBe('truncated');
  });

  it('reports a damaged header as corrupt (checksum)', async () => {
    const bytes = await tarBytes();
    bytes[0] ^= 0x20; // first header's name changes, its checksum no longer matches
    expect((await failure(bytes)).kind).toBe('corrupt');
  });

  it('refuses to extract a member larger than maxBytes, and a missing one', async () => {
    const bytes = await tarBytes();
    expect((await failure(bytes, 'page01.jpg', 1000)).kind).toBe('too-large');
    expect((await failure(bytes, 'missing.jpg')).message).toMatch(/not found/);
  });

  it('refuses more entries than maxEntries', async () => {
    const path = join(dir, 'many.tar');
    await writeFile(path, await tarBytes());
    const error = await readArchiveIndex(path, { limits: { maxEntries: 2 } }).catch((e: unknown) => e);
    expect((error as ArchiveError).kind).toBe('too-large');
  });
});
