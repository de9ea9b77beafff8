// PDF through PDFium (WASM): virtual page entries, embedded JPEGs served as stored, other pages rendered.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPdf } from '../sample/pdf-writer.js';
import { enrichFile } from '../enrich.js';
import { readArchiveEntry } from './extract.js';
import { listPages } from './pages.js';
import { readArchiveIndex } from './read-index.js';
import { ArchiveError } from './types.js';
import { rejectionOf } from '../testing/rejections.js';
import { tempDirForAll } from '../testing/temp-dir.js';
import { hasTool } from '../testing/tools.js';

const hasQpdf = hasTool('qpdf', ['--version']);
const hasImg2pdf = hasTool('img2pdf', ['--version']);
if (!hasQpdf) console.log('skipping the encrypted-PDF tests: qpdf (Debian qpdf) is not installed');
if (!hasImg2pdf) console.log('skipping the img2pdf cross-check: img2pdf is not installed');

let dir: string;
let jpegs: Buffer[];

const walked = (path: string) => ({ path, ext: path.slice(path.lastIndexOf('.')), size: 1, mtimeMs: 0, ino: 1 });

const failure = (promise: Promise<unknown>) => rejectionOf(promise, ArchiveError);

function write(name: string, data: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

tempDirForAll('longbox-pdf-', (made) => (dir = made));
beforeAll(async () => {
  jpegs = await Promise.all(
    [0, 1, 2].map((i) => sharp({ create: { width: 400, height: 600, channels: 3, background: { r: 60 * i, g: 120, b: 200 } } }).jpeg().toBuffer()),
  );
});

describe('PDF (PDFium WASM)', () => {
  it('one JPEG per page: virtual .jpg entries, page bytes are the embedded JPEGs exactly', async () => {
    const path = write('scan.pdf', buildPdf(jpegs.map((jpeg) => ({ jpeg, width: 400, height: 600 }))));
    const index = await readArchiveIndex(path);
    expect(index.format).toBe('pdf');
    expect(listPages(index.entries)).toEqual(['page-00001.jpg', 'page-00002.jpg', 'page-00003.jpg']);
    expect(index.entries[1]!.size).toBe(jpegs[1]!.length);
    for (let i = 0; i < 3; i++) expect((await readArchiveEntry(path, 'pdf', `page-0000${i + 1}.jpg`)).equals(jpegs[i]!)).toBe(true);
  });

  it.skipIf(!hasImg2pdf)('reads a PDF made by img2pdf the same way', async () => {
    const images = jpegs.map((jpeg, i) => write(`i${i}.jpg`, jpeg));
    const path = join(dir, 'img2pdf.pdf');
    execFileSync('img2pdf', [...images, '-o', path, '--title', 'Made Elsewhere', '--author', 'Ann Artist']);
    const row = await enrichFile(dir, walked('img2pdf.pdf'));
    expect(row).toMatchObject({ format: 'pdf', page_count: 3, cover_entry: 'page-00001.jpg', title: 'Made Elsewhere', writer: 'Ann Artist', error_kind: null });
    expect(JSON.parse(row.sources)).toMatchObject({ title: 'pdf', writer: 'pdf' });
    expect((await readArchiveEntry(path, 'pdf', 'page-00002.jpg')).equals(jpegs[1]!)).toBe(true);
  });

  it('a text page is rendered to PNG', async () => {
    const path = write('text.pdf', buildPdf([{ text: ['Chapter One', 'It was a dark and stormy night.'] }, { jpeg: jpegs[0]!, width: 400, height: 600 }]));
    const index = await readArchiveIndex(path);
    expect(listPages(index.entries)).toEqual(['page-00001.png', 'page-00002.jpg']);
    const png = await readArchiveEntry(path, 'pdf', 'page-00001.png');
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBeGreaterThan(600);
    // Not a blank page: the text made dark pixels.
    const stats = await sharp(png).stats();
    expect(stats.channels[0]!.min).toBeLessThan(100);
  });

  it('reads the Info dictionary, and a ComicInfo document comicbox-style in Keywords', async () => {
    const comicInfo = '<ComicInfo><Series>Paper Moon</Series><Number>3</Number><Writer>Kim Ink</Writer></ComicInfo>';
    write('Some File Name 001.pdf', buildPdf([{ jpeg: jpegs[0]!, width: 400, height: 600 }], { Title: 'Début', Author: 'Doc Author', Keywords: comicInfo }));
    const row = await enrichFile(dir, walked('Some File Name 001.pdf'));
    expect(row).toMatchObject({ series: 'Paper Moon', number: '3', writer: 'Kim Ink', title: 'Début', page_count: 1 });
    expect(JSON.parse(row.sources)).toMatchObject({ series: 'comicinfo', writer: 'comicinfo', title: 'pdf' });
  });

  it.skipIf(!hasQpdf)('a user password makes an encrypted row; an owner-only password still reads', async () => {
    const plain = write('plain.pdf', buildPdf([{ jpeg: jpegs[0]!, width: 400, height: 600 }]));
    execFileSync('qpdf', ['--encrypt', 'user', 'owner', '256', '--', plain, join(dir, 'locked.pdf')]);
    execFileSync('qpdf', ['--encrypt', '', 'owner', '256', '--', plain, join(dir, 'owner-only.pdf')]);
    const locked = await enrichFile(dir, walked('locked.pdf'));
    expect(locked).toMatchObject({ format: 'pdf', error_kind: 'encrypted', page_count: 0 });
    const open = await enrichFile(dir, walked('owner-only.pdf'));
    expect(open).toMatchObject({ error_kind: null, page_count: 1 });
  });

  it('truncated or damaged → one error row, never a throw', async () => {
    const whole = buildPdf(jpegs.map((jpeg) => ({ jpeg, width: 400, height: 600 })));
    write('cut.pdf', whole.subarray(0, 200));
    const cut = await enrichFile(dir, walked('cut.pdf'));
    expect(cut).toMatchObject({ format: 'pdf', error_kind: 'corrupt' });
    // Cut in the middle: PDFium may repair what is left; either way one row, and pages that exist read.
    write('half.pdf', whole.subarray(0, Math.floor(whole.length * 0.6)));
    const half = await enrichFile(dir, walked('half.pdf'));
    expect(half.page_count).toBeLessThanOrEqual(3);
    expect((await failure(readArchiveEntry(join(dir, 'cut.pdf'), 'pdf', 'page-00001.jpg'))).kind).toBe('corrupt');
  });

  it('a PDF named .cbz is read as a PDF; an unknown page name is an error', async () => {
    const path = write('wrong-extension.cbz', buildPdf([{ jpeg: jpegs[2]!, width: 400, height: 600 }]));
    expect((await readArchiveIndex(path)).format).toBe('pdf');
    expect((await failure(readArchiveEntry(path, 'pdf', 'page-00009.jpg'))).kind).toBe('corrupt');
    expect((await failure(readArchiveEntry(path, 'pdf', '../etc/passwd'))).kind).toBe('corrupt');
  });

  it('10,000 pages stay one row with every page listed', async () => {
    const tiny = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } }).jpeg().toBuffer();
    write('long.pdf', buildPdf(Array.from({ length: 10_000 }, () => ({ jpeg: tiny, width: 8, height: 8 }))));
    const row = await enrichFile(dir, walked('long.pdf'));
    expect(row).toMatchObject({ error_kind: null, page_count: 10_000 });
    const bytes = readFileSync(join(dir, 'long.pdf'));
    expect(bytes.length).toBeGreaterThan(10_000);
  });
});
