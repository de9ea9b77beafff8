import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRar } from '../../../scripts/testing/rar-writer.js';
import { buildZip } from '../../../scripts/testing/zip-writer.js';
import { readArchiveIndex } from './index.js';
import { ArchiveError } from './types.js';
import { rejectionOf } from '../testing/rejections.js';
import { tempDirForAll } from '../testing/temp-dir.js';

let dir: string;
tempDirForAll('longbox-index-', (made) => (dir = made));

const failure = (path: string) => rejectionOf(readArchiveIndex(path), ArchiveError);

describe('readArchiveIndex errors and dispatch', () => {
  it('reports a 0-byte file as empty', async () => {
    const path = join(dir, 'empty.cbz');
    await writeFile(path, Buffer.alloc(0));
    expect((await failure(path)).kind).toBe('empty');
  });

  it('reports a directory named x.cbz as unreadable with a human message', async () => {
    const path = join(dir, 'x.cbz');
    await mkdir(path);
    const error = await failure(path);
    expect(error.kind).toBe('unreadable');
    expect(error.message).toMatch(/folder/i);
  });

  it('reports a missing file as unreadable', async () => {
    const error = await failure(join(dir, 'gone.cbz'));
    expect(error.kind).toBe('unreadable');
    expect(error.message).toMatch(/vanished.*ENOENT/);
  });

  const cannotDenyRead = process.platform === 'win32' || process.getuid?.() === 0;
  if (cannotDenyRead) console.log('skipping the permission test: running as root (or on Windows), where mode 000 does not deny reads');
  it.skipIf(cannotDenyRead)('reports a file without read permission as unreadable', async () => {
    const path = join(dir, 'locked.cbz');
    await writeFile(path, buildZip([{ name: 'a.jpg', data: Buffer.from('x') }]), { mode: 0o000 });
    const error = await failure(path);
    expect(error.kind).toBe('unreadable');
    expect(error.message).toMatch(/Permission denied/);
  });

  it.skipIf(process.platform === 'win32')('does not hang on a FIFO named like a comic', async () => {
    const path = join(dir, 'pipe.cbz');
    execFileSync('mkfifo', [path]);
    const error = await failure(path);
    expect(error.kind).toBe('unreadable');
    expect(error.message).toMatch(/regular file/);
  });

  it('reports a text file named .cbz as not-archive', async () => {
    const path = join(dir, 'notes.cbz');
    await writeFile(path, 'This is not a comic.\n');
    expect((await failure(path)).kind).toBe('not-archive');
  });

  it('reads a .cbz that is really a RAR as RAR', async () => {
    const path = join(dir, 'really-rar.cbz');
    await writeFile(path, buildRar([{ name: 'page1.jpg', data: Buffer.from('jpeg bytes') }], { version: 5 }));
    const index = await readArchiveIndex(path);
    expect(index.format).toBe('rar');
    expect(index.entries.map((e) => e.name)).toEqual(['page1.jpg']);
  });

  it('reads a 7z signature followed by garbage as a damaged 7z', async () => {
    const path = join(dir, 'a.cb7');
    await writeFile(path, Buffer.concat([Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]), Buffer.alloc(100)]));
    const error = await failure(path);
    expect(['corrupt', 'truncated']).toContain(error.kind);
    expect(error.format).toBe('7z');
  });

  it('reads a bare PDF header and an EPUB without its container as damaged, carrying the detected format', async () => {
    const cases: Array<[string, Buffer, string]> = [
      ['b.pdf', Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n'), 'pdf'],
      ['c.epub', buildZip([{ name: 'mimetype', data: Buffer.from('application/epub+zip') }]), 'epub'],
    ];
    for (const [name, bytes, format] of cases) {
      const path = join(dir, name);
      await writeFile(path, bytes);
      const error = await failure(path);
      expect(error.kind).toBe('corrupt');
      expect(error.format).toBe(format);
    }
  });

  it('attaches the detected format to format-level errors', async () => {
    const path = join(dir, 'cut.cbz');
    const zip = buildZip([{ name: 'a.jpg', data: Buffer.alloc(1000) }]);
    await writeFile(path, zip.subarray(0, 500));
    const error = await failure(path);
    expect(error.kind).toBe('truncated');
    expect(error.format).toBe('zip');
  });

  it('reads a ZIP larger than the tail window (head and tail read separately)', async () => {
    const path = join(dir, 'big.cbz');
    await writeFile(path, buildZip([{ name: 'big.jpg', data: Buffer.alloc(300_000, 1) }, { name: 'small.jpg', data: Buffer.from('x') }]));
    const index = await readArchiveIndex(path);
    expect(index.entries.map((e) => [e.name, e.size])).toEqual([
      ['big.jpg', 300_000],
      ['small.jpg', 1],
    ]);
  });
});

describe('readArchiveIndex readEntry option', () => {
  const xml = Buffer.from('<?xml version="1.0"?><ComicInfo><Series>Preloaded</Series></ComicInfo>');
  const pickComicInfo = (entries: readonly { name: string }[]) => entries.find((e) => e.name === 'ComicInfo.xml') as never;

  it('returns the chosen ZIP entry whether it lies inside the tail already read or before it', async () => {
    for (const [label, entries] of [
      ['last (inside the tail)', [{ name: 'p.jpg', data: Buffer.alloc(200_000, 1) }, { name: 'ComicInfo.xml', data: xml, method: 'deflate' as const }]],
      ['first (before the tail)', [{ name: 'ComicInfo.xml', data: xml }, { name: 'p.jpg', data: Buffer.alloc(200_000, 1) }]],
    ] as const) {
      const path = join(dir, `pre-${label.length}.cbz`);
      await writeFile(path, buildZip([...entries]));
      const index = await readArchiveIndex(path, { readEntry: pickComicInfo });
      expect([label, index.entry?.name, index.entry?.data?.toString()]).toEqual([label, 'ComicInfo.xml', xml.toString()]);
      expect(index.entries).toHaveLength(2);
    }
  });

  it('reads the chosen entry of RAR and tar archives through the same handle', async () => {
    const rarPath = join(dir, 'pre.cbr');
    await writeFile(rarPath, buildRar([{ name: 'p.jpg', data: Buffer.from('x') }, { name: 'ComicInfo.xml', data: xml }], { version: 4 }));
    expect((await readArchiveIndex(rarPath, { readEntry: pickComicInfo })).entry?.data).toEqual(xml);
    const source = join(dir, 'tar-src');
    await mkdir(source);
    await writeFile(join(source, 'ComicInfo.xml'), xml);
    const tarPath = join(dir, 'pre.cbt');
    execFileSync('tar', ['-cf', tarPath, '-C', source, 'ComicInfo.xml']);
    expect((await readArchiveIndex(tarPath, { readEntry: pickComicInfo })).entry?.data).toEqual(xml);
  });

  it('records a failing entry read on the entry, keeping the index', async () => {
    const path = join(dir, 'pre-big.cbz');
    await writeFile(path, buildZip([{ name: 'p.jpg', data: Buffer.from('x') }, { name: 'ComicInfo.xml', data: xml }]));
    const index = await readArchiveIndex(path, { readEntry: pickComicInfo, readEntryMaxBytes: 10 });
    expect(index.entries).toHaveLength(2);
    expect(index.entry?.data).toBeUndefined();
    expect(index.entry?.error?.kind).toBe('too-large');
  });

  it('adds no entry when the chooser picks nothing', async () => {
    const path = join(dir, 'pre-none.cbz');
    await writeFile(path, buildZip([{ name: 'p.jpg', data: Buffer.from('x') }]));
    const index = await readArchiveIndex(path, { readEntry: () => undefined });
    expect('entry' in index).toBe(false);
  });
});
