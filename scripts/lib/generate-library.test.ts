import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { createExtractorFromData } from 'node-unrar-js';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { BROKEN_KINDS, brokenKindOf, COVER_HEIGHT, COVER_WIDTH, generateLibrary, type GenerateLibraryResult } from './dev-library.js';
import { planLibrary, PUBLISHERS } from '../../electron/library/sample/library-plan.js';
import { enrichFile } from '../../electron/library/enrich.js';
import { readArchiveEntry } from '../../electron/library/archive/index.js';

// --- a few lines of ZIP reading, independent of the code under test ---------------------------------

interface CdEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function findEocd(buf: Buffer): number {
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) return i;
  }
  return -1;
}

/** Parses the central directory; throws on anything malformed (like `unzip -l` would complain). */
function readCentralDirectory(buf: Buffer): { entries: CdEntry[]; comment: string } {
  const eocd = findEocd(buf);
  if (eocd < 0) throw new Error('no end of central directory record');
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  let p = buf.readUInt32LE(eocd + 16);
  if (p + cdSize !== eocd) throw new Error('central directory does not end at the EOCD');
  const entries: CdEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory signature at ${p}`);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const entry: CdEntry = {
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      crc: buf.readUInt32LE(p + 16),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, p + 46 + nameLength),
    };
    if (buf.readUInt32LE(entry.localOffset) !== 0x04034b50) throw new Error(`bad local header for ${entry.name}`);
    entries.push(entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  const commentLength = buf.readUInt16LE(eocd + 20);
  return { entries, comment: buf.toString('utf8', eocd + 22, eocd + 22 + commentLength) };
}

function entryData(buf: Buffer, entry: CdEntry): Buffer {
  const nameLength = buf.readUInt16LE(entry.localOffset + 26);
  const extraLength = buf.readUInt16LE(entry.localOffset + 28);
  const start = entry.localOffset + 30 + nameLength + extraLength;
  return buf.subarray(start, start + entry.compressedSize);
}

/** Opens the archive with yauzl (a reader we did not write) and reads every entry, checking CRCs. */
function yauzlReadAll(buf: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const out = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (streamErr, stream) => {
          if (streamErr || !stream) return reject(streamErr ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

const IMAGE_RE = /\.(jpe?g|png|gif|webp)$/i;
const naturalCompare = new Intl.Collator('en', { numeric: true, sensitivity: 'base' }).compare;

function walk(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const dirent of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const child = rel === '' ? dirent.name : `${rel}/${dirent.name}`;
    if (dirent.isDirectory()) out.push(...walk(root, child));
    else out.push(child);
  }
  return out.sort();
}

function hashTree(root: string): Map<string, string> {
  return new Map(walk(root).map((rel) => [rel, createHash('sha1').update(readFileSync(path.join(root, rel))).digest('hex')]));
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, isArray: (name) => name === 'Page' });

interface PageAttrs {
  '@_Image': string;
  '@_Type'?: string;
}

// --- the tests -------------------------------------------------------------------------------------

describe('generateLibrary', () => {
  let dirA: string;
  let dirB: string;
  let result: GenerateLibraryResult;
  const progress: Array<[number, number]> = [];

  beforeAll(async () => {
    dirA = mkdtempSync(path.join(os.tmpdir(), 'longbox-gen-a-'));
    dirB = mkdtempSync(path.join(os.tmpdir(), 'longbox-gen-b-'));
    result = await generateLibrary({ out: dirA, files: 60, broken: 6, seed: 42, onProgress: (done, total) => progress.push([done, total]) });
  });

  afterAll(() => {
    rmSync(dirA, { recursive: true, force: true });
    rmSync(dirB, { recursive: true, force: true });
  });

  it('writes the requested number of comics and broken files, and reports progress', () => {
    expect(result.files).toHaveLength(60);
    expect(result.broken).toHaveLength(6);
    expect(new Set(result.files).size).toBe(60);
    expect(walk(dirA)).toEqual([...result.files, ...result.broken].sort());
    expect(progress.at(-1)).toEqual([66, 66]);
    const sizes = walk(dirA).reduce((sum, rel) => sum + statSync(path.join(dirA, rel)).size, 0);
    expect(result.bytes).toBe(sizes);
    for (const rel of result.files) expect(rel).toMatch(/\.(cb[zr7]|pdf)$/);
  });

  it('nests comics as Publisher/Series (Year)/Series NNN (Year).cbz', () => {
    const publishers = new Set(PUBLISHERS.map((p) => p.name));
    for (const rel of result.files) {
      const parts = rel.split('/');
      if (parts[0] === '_Unsorted') continue;
      expect(publishers.has(parts[0])).toBe(true);
      if (parts.length === 3) expect(parts[1]).toMatch(/\(\d{4}\)$/);
      else expect(parts).toHaveLength(2); // a one-shot at the publisher root
      expect(parts.at(-1)).toMatch(/\(\d{4}\)/);
    }
  });

  it('is deterministic for a seed: same names and same bytes', async () => {
    const again = await generateLibrary({ out: dirB, files: 60, broken: 6, seed: 42 });
    expect(again.files).toEqual(result.files);
    expect(again.broken).toEqual(result.broken);
    expect(hashTree(dirB)).toEqual(hashTree(dirA));
  });

  it('writes valid stored ZIPs with a 400×600 JPEG cover, pages and (mostly) ComicInfo.xml', async () => {
    let withComicInfo = 0;
    const cbz = result.files.filter((rel) => rel.endsWith('.cbz'));
    expect(cbz.length).toBeGreaterThan(50);
    for (const rel of cbz) {
      const buf = readFileSync(path.join(dirA, rel));
      const { entries, comment } = readCentralDirectory(buf);
      for (const e of entries) {
        expect(e.method, `${rel}: ${e.name} is stored`).toBe(0);
        expect(e.flags & 1, `${rel}: ${e.name} is not encrypted`).toBe(0);
        expect(e.compressedSize).toBe(e.size);
      }
      const images = entries.filter((e) => IMAGE_RE.test(e.name)).sort((a, b) => naturalCompare(a.name, b.name));
      expect(images.length, rel).toBeGreaterThanOrEqual(4);
      expect(images.length, rel).toBeLessThanOrEqual(26);

      // yauzl agrees and every CRC checks out.
      const contents = await yauzlReadAll(buf);
      expect(contents.size).toBe(entries.filter((e) => !e.name.endsWith('/')).length);

      let coverIndex = 0;
      const info = entries.find((e) => e.name === 'ComicInfo.xml');
      if (info) {
        withComicInfo++;
        const text = entryData(buf, info).toString('utf8').replace(/^\uFEFF/, '');
        expect(XMLValidator.validate(text), rel).toBe(true);
        const doc = xml.parse(text) as { ComicInfo: Record<string, unknown> & { Pages: { Page: PageAttrs[] } } };
        const ci = doc.ComicInfo;
        for (const field of ['Series', 'Number', 'Volume', 'Year', 'Month', 'Writer', 'Penciller', 'Publisher', 'Genre', 'Summary', 'PageCount', 'LanguageISO']) {
          expect(ci[field], `${rel}: ${field}`).toBeDefined();
        }
        // A synopsis reads like one: no test strings about escaping in what a user sees.
        expect(String(ci.Summary), rel).not.toMatch(/escap|<|>/i);
        expect(Number(ci.PageCount)).toBe(images.length);
        expect(ci.Pages.Page).toHaveLength(images.length);
        const front = ci.Pages.Page.find((p) => p['@_Type'] === 'FrontCover');
        expect(front, rel).toBeDefined();
        coverIndex = Number(front?.['@_Image']);
        expect(rel.startsWith('_Unsorted/') || rel.startsWith(`${String(ci.Publisher)}/`)).toBe(true);
      } else if (comment !== '') {
        const cbi = JSON.parse(comment) as Record<string, { series: string; issue: number }>;
        expect(cbi['ComicBookInfo/1.0'].series.length).toBeGreaterThan(0);
      }

      const cover = entryData(buf, images[coverIndex]);
      const meta = await sharp(cover).metadata();
      expect(meta.format, rel).toBe('jpeg');
      expect([meta.width, meta.height], rel).toEqual([COVER_WIDTH, COVER_HEIGHT]);
      // Interior pages decode too.
      const page = await sharp(entryData(buf, images[images.length - 1])).metadata();
      expect(['jpeg', 'png']).toContain(page.format);
    }
    expect(withComicInfo / cbz.length).toBeGreaterThan(0.6);
  });

  it('draws a different cover per issue', () => {
    const covers = new Set<string>();
    for (const rel of result.files.filter((r) => r.endsWith('.cbz') && !r.startsWith('_Unsorted/'))) {
      const buf = readFileSync(path.join(dirA, rel));
      const { entries } = readCentralDirectory(buf);
      const largest = entries.filter((e) => IMAGE_RE.test(e.name)).sort((a, b) => b.size - a.size)[0];
      covers.add(createHash('sha1').update(entryData(buf, largest)).digest('hex'));
    }
    expect(covers.size).toBeGreaterThan(40);
  });

  it('writes CB7 (7z-wasm) and PDF (one JPEG per page) samples the engine reads with their pages and metadata', async () => {
    const others = result.files.filter((rel) => rel.endsWith('.cb7') || rel.endsWith('.pdf'));
    expect(result.cb7).toBeGreaterThanOrEqual(1); // about every 25th
    expect(result.pdf).toBeGreaterThanOrEqual(1); // about every 30th
    expect(others).toHaveLength(result.cb7 + result.pdf);
    for (const rel of others) {
      const buf = readFileSync(path.join(dirA, rel));
      const row = await enrichFile(dirA, { path: rel, ext: path.extname(rel), size: buf.length, mtimeMs: 0, ino: 1 });
      expect(row.error_kind, rel).toBeNull();
      expect(row.format).toBe(rel.endsWith('.pdf') ? 'pdf' : '7z');
      expect(row.page_count).toBeGreaterThanOrEqual(4);
      expect(row.series).toBeTruthy();
      const cover = await sharp(await readArchiveEntry(path.join(dirA, rel), row.format, row.cover_entry!)).metadata();
      expect([cover.width, cover.height]).toEqual([COVER_WIDTH, COVER_HEIGHT]);
    }
  });

  it('writes CBR files through the RAR writer when it exists', async () => {
    const cbr = result.files.filter((rel) => rel.endsWith('.cbr'));
    const writerExists = existsSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../testing/rar-writer.ts'));
    expect(result.rarWriter).toBe(writerExists);
    if (!result.rarWriter) {
      expect(cbr).toHaveLength(0);
      return;
    }
    expect(cbr.length).toBe(3); // every 20th of 60
    for (const rel of cbr) {
      const buf = readFileSync(path.join(dirA, rel));
      expect(buf.subarray(0, 6).toString('latin1')).toBe('Rar!\x1a\x07');
      const extractor = await createExtractorFromData({ data: new Uint8Array(buf).buffer });
      const names = [...extractor.getFileList().fileHeaders].map((h) => h.name).filter((n) => IMAGE_RE.test(n)).sort(naturalCompare);
      expect(names.length).toBeGreaterThanOrEqual(4);
      const extracted = [...extractor.extract({ files: [names[0]] }).files];
      const first = extracted[0]?.extraction;
      expect(first).toBeDefined();
      const meta = await sharp(Buffer.from(first ?? new Uint8Array())).metadata();
      expect(['jpeg', 'png']).toContain(meta.format);
    }
  });

  it('writes each broken kind, broken the advertised way', async () => {
    expect(result.broken.map((rel) => brokenKindOf(rel)?.kind).sort()).toEqual(BROKEN_KINDS.map((k) => k.kind).sort());
    for (const rel of result.broken) {
      const kind = brokenKindOf(rel)?.kind;
      const buf = readFileSync(path.join(dirA, rel));
      switch (kind) {
        case 'empty':
          expect(buf.length).toBe(0);
          break;
        case 'random-bytes':
          expect(buf.length).toBeGreaterThan(1000);
          expect(buf.readUInt32LE(0)).not.toBe(0x04034b50);
          await expect(yauzlReadAll(buf)).rejects.toThrow();
          break;
        case 'truncated':
          expect(buf.readUInt32LE(0)).toBe(0x04034b50);
          expect(findEocd(buf)).toBe(-1);
          await expect(yauzlReadAll(buf)).rejects.toThrow();
          break;
        case 'no-images': {
          const { entries } = readCentralDirectory(buf);
          expect(entries.length).toBeGreaterThan(0);
          expect(entries.filter((e) => IMAGE_RE.test(e.name))).toHaveLength(0);
          break;
        }
        case 'encrypted': {
          const { entries } = readCentralDirectory(buf);
          const images = entries.filter((e) => IMAGE_RE.test(e.name));
          expect(images.length).toBeGreaterThan(0);
          for (const e of images) expect(e.flags & 1).toBe(1);
          break;
        }
        case 'bad-central-directory':
          expect(findEocd(buf)).toBeGreaterThan(0);
          expect(() => readCentralDirectory(buf)).toThrow(/signature/);
          await expect(yauzlReadAll(buf)).rejects.toThrow();
          break;
        default:
          throw new Error(`unexpected broken file ${rel}`);
      }
    }
    expect(brokenKindOf('Apex Comics/X (2001)/X 001 (2001).cbz')).toBeNull();
  });
});

describe('planLibrary', () => {
  const plan = planLibrary({ files: 3000, seed: 7, cbrEvery: 20 });

  it('looks like a real library', () => {
    expect(plan).toHaveLength(3000);
    expect(new Set(plan.map((c) => c.path)).size).toBe(3000);
    const publishers = new Set(plan.map((c) => c.series.publisher.name));
    expect(publishers.size).toBeGreaterThanOrEqual(18);
    const series = new Set(plan.map((c) => c.series.id));
    expect(series.size).toBeGreaterThan(60);
    const counts = [...series].map((id) => plan.filter((c) => c.series.id === id).length);
    expect(Math.max(...counts)).toBeGreaterThan(60);
    expect(plan.some((c) => c.series.kind === 'one-shot' && c.path.split('/').length === 2)).toBe(true);
    expect(plan.some((c) => /#\d+ \(\d{4}\)/.test(c.path))).toBe(true);
    expect(plan.some((c) => / v\d+ \d{3} \(\d{4}\)/.test(c.path) || / v\d{2} \(\d{4}\)/.test(c.path))).toBe(true);
    expect(plan.some((c) => c.path.includes('(Digital) (Zone-Empire)'))).toBe(true);
    expect(plan.some((c) => c.path.includes(' Annual '))).toBe(true);
    expect(plan.some((c) => /[^\x20-\x7e]/.test(c.path))).toBe(true); // accented / macron names
    expect(plan.filter((c) => c.copyOf !== null)).toHaveLength(15);
    for (const c of plan) {
      expect(c.interiorPages).toBeGreaterThanOrEqual(3);
      expect(c.interiorPages).toBeLessThanOrEqual(24);
      expect(c.year).toBeLessThanOrEqual(2025);
      expect(c.path).not.toMatch(/[:*?"<>|\\]/);
    }
  });

  it('tags ~80% with ComicInfo and ~5% with ComicBookInfo', () => {
    const share = (kind: string): number => plan.filter((c) => c.metadata === kind).length / plan.length;
    expect(share('comicinfo')).toBeGreaterThan(0.7);
    expect(share('comicinfo')).toBeLessThan(0.9);
    expect(share('comicbookinfo')).toBeGreaterThan(0.02);
    expect(share('comicbookinfo')).toBeLessThan(0.1);
  });

  it('makes every cbrEvery-th comic a CBR', () => {
    expect(plan.filter((c) => c.format === 'rar' && c.copyOf === null)).toHaveLength(149); // indexes 19, 39, … of 2985 originals
    expect(planLibrary({ files: 100, seed: 7, cbrEvery: 0 }).every((c) => c.format === 'zip')).toBe(true);
  });

  it('depends only on the seed', () => {
    expect(planLibrary({ files: 500, seed: 7, cbrEvery: 20 }).map((c) => c.path)).toEqual(planLibrary({ files: 500, seed: 7, cbrEvery: 20 }).map((c) => c.path));
    expect(planLibrary({ files: 500, seed: 8, cbrEvery: 20 }).map((c) => c.path)).not.toEqual(planLibrary({ files: 500, seed: 7, cbrEvery: 20 }).map((c) => c.path));
  });
});
