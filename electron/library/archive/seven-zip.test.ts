// 7z / CB7 through 7z-wasm, against archives made by the real `7z` command (p7zip-full in CI).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { enrichFile } from '../enrich.js';
import { readArchiveEntry } from './extract.js';
import { fingerprintFromIndex } from './fingerprint.js';
import { listPages } from './pages.js';
import { readArchiveIndex } from './read-index.js';
import { keptEntryBytes, SEVEN_ZIP_LISTING_ENV, sevenZipListings } from './seven-zip.js';
import { closeWasmWorker, wasmWorker, WasmWorkerPool } from './wasm-worker.js';
import { parseSevenZipListing, sevenZipFailure } from './seven-zip-listing.js';
import { sevenZipCreate, sevenZipExtract, sevenZipList } from './seven-zip-wasm.js';
import { ArchiveError, type ArchiveEntry } from './types.js';
import { rejectionOf } from '../testing/rejections.js';
import { tempDirForAll } from '../testing/temp-dir.js';
import { toolForTests } from '../testing/tools.js';

const available = toolForTests('7z', ['i'], 'the 7z fixture tests', 'p7zip-full');

let dir: string;
let src: string;
const pages = Array.from({ length: 12 }, (_, i) => ({ name: `Chapter 1/page${i + 1}.jpg`, data: Buffer.alloc(5000 + i * 100, i + 1) }));

function make(name: string, switches: string[], files: string[] = ['.']): string {
  const path = join(dir, name);
  execFileSync('7z', ['a', ...switches, path, ...files], { cwd: src, stdio: 'ignore' });
  return path;
}

const failure = (promise: Promise<unknown>) => rejectionOf(promise, ArchiveError);

tempDirForAll('longbox-7z-', (made) => (dir = made));
beforeAll(() => {
  src = join(dir, 'src');
  mkdirSync(join(src, 'Chapter 1'), { recursive: true });
  for (const page of pages) writeFileSync(join(src, page.name), page.data);
  writeFileSync(join(src, 'ComicInfo.xml'), '<ComicInfo><Series>Seven</Series><Number>7</Number></ComicInfo>');
});

describe.skipIf(!available)('7z archives (7z-wasm)', () => {
  const kinds: Array<[string, string[]]> = [
    ['solid (LZMA2, one block)', ['-mx=5', '-ms=on']],
    ['non-solid', ['-ms=off']],
    ['LZMA (not LZMA2)', ['-m0=lzma', '-ms=off']],
    ['PPMd, small solid blocks', ['-m0=ppmd', '-ms=3f']],
  ];
  for (const [label, switches] of kinds) {
    it(`lists and extracts a ${label} archive`, async () => {
      const path = make(`${label.replace(/\W+/g, '-')}.cb7`, switches);
      const index = await readArchiveIndex(path);
      expect(index.format).toBe('7z');
      const names = listPages(index.entries);
      expect(names).toEqual(pages.map((p) => p.name));
      const page = index.entries.find((e) => e.name === pages[4]!.name)!;
      expect(page.size).toBe(pages[4]!.data.length);
      expect(page.crc32).toBe(crc32(pages[4]!.data));
      // Every page, in reading order (the solid window serves several from one decode).
      for (const expected of pages) expect((await readArchiveEntry(path, '7z', expected.name)).equals(expected.data)).toBe(true);
      // And out of order, from a fresh cache key.
      expect((await readArchiveEntry(path, '7z', pages[9]!.name)).equals(pages[9]!.data)).toBe(true);
    });
  }

  it('extracts entries stored with Unix mode 000, also inside a folder without permissions', async () => {
    // Archives made from files with no permission bits (e.g. unpacked from a ZIP that stored none)
    // carry mode 000; 7-Zip restores it on extraction and the page must still be read back.
    const locked = join(dir, 'locked-src');
    mkdirSync(join(locked, 'Chapter 1'), { recursive: true });
    writeFileSync(join(locked, 'Chapter 1', 'page1.jpg'), pages[0]!.data);
    writeFileSync(join(locked, 'page2.jpg'), pages[1]!.data);
    chmodSync(join(locked, 'Chapter 1', 'page1.jpg'), 0);
    chmodSync(join(locked, 'page2.jpg'), 0);
    chmodSync(join(locked, 'Chapter 1'), 0);
    const path = join(dir, 'locked.cb7');
    try {
      execFileSync('7z', ['a', '-ms=on', path, '.'], { cwd: locked, stdio: 'ignore' });
    } finally {
      chmodSync(join(locked, 'Chapter 1'), 0o755);
    }
    expect((await readArchiveEntry(path, '7z', 'page2.jpg')).equals(pages[1]!.data)).toBe(true);
    expect((await readArchiveEntry(path, '7z', 'Chapter 1/page1.jpg')).equals(pages[0]!.data)).toBe(true);
  });

  it('fingerprints from sizes and CRCs without decompressing, equal for a solid and a non-solid copy', async () => {
    const a = await readArchiveIndex(make('fa.cb7', ['-ms=on']));
    const b = await readArchiveIndex(make('fb.cb7', ['-ms=off']));
    expect(fingerprintFromIndex(1, a.entries)).toBe(fingerprintFromIndex(1, b.entries));
  });

  it('reads ComicInfo.xml with the index (readEntry) and enriches the row', async () => {
    make('Seven 007.cb7', []);
    const row = await enrichFile(dir, { path: 'Seven 007.cb7', ext: '.cb7', size: 1, mtimeMs: 0, ino: 1 } as never);
    expect(row.error_kind).toBeNull();
    expect(row.format).toBe('7z');
    expect(row.page_count).toBe(12);
    expect(row.cover_entry).toBe(pages[0]!.name);
    expect(row.series).toBe('Seven');
    expect(row.number).toBe('7');
  });

  it('the index pass keeps no extracted bytes (a touched CB7 must not grow the rebuild worker); a reader does', async () => {
    const path = make('kept.cb7', ['-mx=5', '-ms=on']);
    const before = keptEntryBytes();
    const index = await readArchiveIndex(path, { readEntry: (entries) => entries.find((e) => e.name === pages[0]!.name) });
    expect(index.entry?.data?.equals(pages[0]!.data)).toBe(true);
    expect((await readArchiveEntry(path, '7z', pages[1]!.name, { once: true })).equals(pages[1]!.data)).toBe(true);
    expect(keptEntryBytes()).toBe(before);
    await readArchiveEntry(path, '7z', pages[2]!.name);
    expect(keptEntryBytes()).toBeGreaterThan(before);
  });

  it('closeWasmWorker stops the format worker; the next read starts a new one', async () => {
    const path = make('closed.cb7', ['-ms=off']);
    const first = wasmWorker();
    await readArchiveIndex(path);
    await closeWasmWorker();
    expect(wasmWorker()).not.toBe(first);
    expect(listPages((await readArchiveIndex(path)).entries)).toEqual(pages.map((p) => p.name));
  });

  describe('the format worker only extracts', () => {
    afterEach(() => vi.restoreAllMocks());
    const comicInfo = (entries: readonly ArchiveEntry[]) => entries.find((e) => e.name === 'ComicInfo.xml');

    it('the index pass lists a CB7 in TypeScript: without a metadata entry no format-worker call, with one only its extract', async () => {
      const run = vi.spyOn(WasmWorkerPool.prototype, 'run');
      const listedBefore = sevenZipListings.typescript;
      const withoutInfo = join(dir, 'no-info.cb7');
      execFileSync('7z', ['a', withoutInfo, 'Chapter 1'], { cwd: src, stdio: 'ignore' });
      const bare = await readArchiveIndex(withoutInfo, { readEntry: comicInfo });
      expect(listPages(bare.entries)).toEqual(pages.map((p) => p.name));
      expect(bare.entry).toBeUndefined();
      expect(run).not.toHaveBeenCalled();
      const withInfo = await readArchiveIndex(make('with-info.cb7', ['-ms=on']), { readEntry: comicInfo });
      expect(withInfo.entry?.data?.toString()).toContain('<Series>Seven</Series>');
      expect(run.mock.calls.map(([request]) => request.op)).toEqual(['7z-extract']);
      expect(sevenZipListings.typescript - listedBefore).toBe(2);
    });

    it('LONGBOX_7Z_LISTING=wasm lists through 7-Zip WASM, the same entries', async () => {
      const path = make('env-wasm.cb7', ['-ms=off']);
      const ts = await readArchiveIndex(path);
      const before = { ...sevenZipListings };
      vi.stubEnv(SEVEN_ZIP_LISTING_ENV, 'wasm');
      try {
        const copy = join(dir, 'env-wasm-copy.cb7'); // another path: another listing-cache key
        writeFileSync(copy, readFileSync(path));
        expect((await readArchiveIndex(copy)).entries).toEqual(ts.entries);
      } finally {
        vi.unstubAllEnvs();
      }
      expect(sevenZipListings.wasm - before.wasm).toBe(1);
      expect(sevenZipListings.typescript - before.typescript).toBe(0);
    });

    it('a reader lists once per file version (the listing cache), then extracts', async () => {
      const path = make('cached.cb7', ['-ms=off']);
      const before = { ...sevenZipListings };
      await readArchiveEntry(path, '7z', pages[0]!.name);
      await readArchiveEntry(path, '7z', pages[5]!.name);
      expect(sevenZipListings.typescript - before.typescript + sevenZipListings.wasm - before.wasm).toBe(1);
    });

    it('what the TypeScript reader refuses or leaves aside gets 7-Zip’s verdict, as before', async () => {
      const whole = readFileSync(make('verdicts.cb7', ['-ms=off']));
      const zeroedStart = Buffer.from(whole);
      zeroedStart.fill(0, 8, 32);
      const badNextCrc = Buffer.from(whole);
      badNextCrc[badNextCrc.length - 1] ^= 0x40;
      const variants: Array<[string, Buffer]> = [
        ['intact', whole],
        ['zeroed start header', zeroedStart],
        ['bad next-header CRC', badNextCrc],
        ['trailing bytes', Buffer.concat([whole, Buffer.from('junk')])],
      ];
      const seen: string[] = [];
      for (const [label, bytes] of variants) {
        const path = join(dir, `verdict-${label.replace(/\W+/g, '-')}.cb7`);
        writeFileSync(path, bytes);
        // 7-Zip alone, in the format worker (a module that throws ends there as a 'corrupt' reply).
        const expected = await wasmWorker()
          .run({ op: '7z-list', path })
          .then(({ rc, out, err }) => {
            const wasmFailure = sevenZipFailure(rc, out, err);
            return wasmFailure ? { error: wasmFailure.kind } : { entries: parseSevenZipListing(out, 20_000) };
          })
          .catch((error: unknown) => ({ error: (error as ArchiveError).kind }));
        const got = await readArchiveIndex(path).then(
          (index) => ({ entries: index.entries }),
          (error: unknown) => ({ error: (error as ArchiveError).kind }),
        );
        expect(got, label).toEqual(expected);
        seen.push(`${label}: ${'error' in got ? got.error : 'listed'}`);
      }
      expect(seen).toEqual(['intact: listed', 'zeroed start header: corrupt', 'bad next-header CRC: corrupt', 'trailing bytes: listed']);
    });
  });

  it('encrypted data: listed, every page encrypted → an encrypted row', async () => {
    make('enc.cb7', ['-psecret']);
    const index = await readArchiveIndex(join(dir, 'enc.cb7'));
    expect(index.entries.filter((e) => !e.isDirectory).every((e) => e.isEncrypted)).toBe(true);
    const row = await enrichFile(dir, { path: 'enc.cb7', ext: '.cb7', size: 1, mtimeMs: 0, ino: 1 } as never);
    expect(row.error_kind).toBe('encrypted');
    expect((await failure(readArchiveEntry(join(dir, 'enc.cb7'), '7z', pages[0]!.name))).kind).toBe('encrypted');
  });

  it('encrypted headers → encrypted', async () => {
    const error = await failure(readArchiveIndex(make('enchdr.cb7', ['-psecret', '-mhe=on'])));
    expect(error.kind).toBe('encrypted');
    expect(error.format).toBe('7z');
  });

  it('an empty archive is a valid archive without pages', async () => {
    mkdirSync(join(dir, 'nothing'));
    execFileSync('7z', ['a', join(dir, 'empty.cb7'), '-x!*'], { cwd: join(dir, 'nothing'), stdio: 'ignore' });
    const row = await enrichFile(dir, { path: 'empty.cb7', ext: '.cb7', size: 1, mtimeMs: 0, ino: 1 } as never);
    expect(row.format).toBe('7z');
    expect(row.error_kind).toBe('no-images');
  });

  it('truncated and damaged archives are one error row each', async () => {
    const whole = make('whole.cb7', ['-ms=off']);
    const bytes = execFileSync('cat', [whole]);
    writeFileSync(join(dir, 'trunc.cb7'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect((await failure(readArchiveIndex(join(dir, 'trunc.cb7')))).kind).toBe('truncated');
    const damaged = Buffer.from(bytes);
    damaged.fill(0x55, damaged.length - 200, damaged.length - 20);
    writeFileSync(join(dir, 'damaged.cb7'), damaged);
    const error = await failure(readArchiveIndex(join(dir, 'damaged.cb7')));
    expect(['corrupt', 'truncated']).toContain(error.kind);
  });

  it('a decompression bomb is refused by its declared size, never extracted', async () => {
    const bombSrc = join(dir, 'bomb');
    mkdirSync(bombSrc);
    writeFileSync(join(bombSrc, 'huge.png'), Buffer.alloc(3 * 1024 * 1024));
    const path = join(dir, 'bomb.cb7');
    execFileSync('7z', ['a', path, '.'], { cwd: bombSrc, stdio: 'ignore' });
    const row = await enrichFile(dir, { path: 'bomb.cb7', ext: '.cb7', size: 1, mtimeMs: 0, ino: 1 } as never);
    expect(row.page_count).toBe(1);
    expect((await failure(readArchiveEntry(path, '7z', 'huge.png', { maxBytes: 1024 * 1024 }))).kind).toBe('too-large');
  });

  it('names with wildcard and switch characters are extracted literally', async () => {
    const odd = join(dir, 'odd');
    mkdirSync(odd);
    writeFileSync(join(odd, '-p[1]*.png'), Buffer.from('one'));
    writeFileSync(join(odd, '-p[2]?.png'), Buffer.from('two'));
    const path = join(dir, 'odd.cb7');
    execFileSync('7z', ['a', path, '--', '-p[1]*.png', '-p[2]?.png'], { cwd: odd, stdio: 'ignore' });
    expect((await readArchiveEntry(path, '7z', '-p[2]?.png')).toString()).toBe('two');
  });
});

describe('7z-wasm over many calls', () => {
  it('lists, extracts and writes 1,000 times in one module (its callMain used to overflow the stack after ~300)', async () => {
    const made = await sevenZipCreate([{ name: 'a/p1.png', data: new Uint8Array([1, 2, 3]) }], 1);
    const path = join(dir, 'many.cb7');
    writeFileSync(path, made.archive);
    for (let i = 0; i < 1000; i++) {
      if (i % 3 === 0) expect((await sevenZipCreate([{ name: 'x.png', data: new Uint8Array([i & 255]) }], 0)).rc).toBe(0);
      else if (i % 3 === 1) expect(parseSevenZipListing((await sevenZipList(path)).out, 10).map((e) => e.name)).toContain('a/p1.png');
      else expect([...(await sevenZipExtract(path, ['a/p1.png'])).files[0]!.data]).toEqual([1, 2, 3]);
    }
  });
});

describe('7z listing parser', () => {
  it('parses entries after the separator and refuses too many', () => {
    const lines = ['Path = x.7z', 'Type = 7z', '', '----------', 'Path = a.jpg', 'Size = 10', 'Packed Size = 4', 'CRC = 0000000A', 'Attributes = A -rw-r--r--', 'Encrypted = -', 'Block = 0', '', 'Path = d', 'Folder = +', 'Size = 0', '', 'Path = ro', 'Attributes = RD drwxr-xr-x', ''];
    const entries = parseSevenZipListing(lines, 10);
    expect(entries).toEqual([
      { name: 'a.jpg', size: 10, compressedSize: 4, crc32: 10, isDirectory: false, isEncrypted: false, block: 0 },
      { name: 'd', size: 0, compressedSize: 0, crc32: 0, isDirectory: true, isEncrypted: false, block: null },
      { name: 'ro', size: 0, compressedSize: 0, crc32: 0, isDirectory: true, isEncrypted: false, block: null },
    ]);
    expect(() => parseSevenZipListing(lines, 2)).toThrow(/more than 2 entries/);
  });
  it('maps 7-Zip messages to row kinds', () => {
    expect(sevenZipFailure(2, [], ['ERROR: x : Cannot open encrypted archive. Wrong password?'])?.kind).toBe('encrypted');
    expect(sevenZipFailure(2, [], ['Open ERROR: Cannot open the file as [7z] archive', 'Unexpected end of archive'])?.kind).toBe('truncated');
    expect(sevenZipFailure(2, [], ['Open ERROR: Cannot open the file as [7z] archive'])?.kind).toBe('corrupt');
    expect(sevenZipFailure(0, ['Everything is Ok'], [])).toBeNull();
  });
});
