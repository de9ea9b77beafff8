// Generates a realistic sample comic library on disk: nested Publisher/Series (Year)/ folders of CBZ
// (and, when a RAR writer is passed in, CBR) files with drawn covers, interior pages,
// ComicInfo.xml or ComicBookInfo metadata, a few duplicates, and optionally broken files of every
// kind the indexer must survive. Deterministic for a seed: same names and same bytes every run.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { ErrorKind } from '../../../shared/types.js';
import { buildCb7 } from './cb7-writer.js';
import { buildCbz as buildZip, type CbzEntry as ZipEntryInput } from './cbz-writer.js';
import { buildPdf } from './pdf-writer.js';
import {
  COVER_HEIGHT,
  COVER_WIDTH,
  encodeIssueCover,
  renderPagePool,
  renderScannerPage,
  renderSeriesArt,
  type PoolPage,
  type SeriesArt,
} from './cover-art.js';
import { planLibrary, type ComicPlan, type SeriesPlan } from './library-plan.js';
import { mulberry32, type Rng } from './prng.js';

export { COVER_HEIGHT, COVER_WIDTH, PAGE_HEIGHT, PAGE_WIDTH } from './cover-art.js';

export interface GenerateLibraryOptions {
  /** Library root to write into (created if missing; existing files with the same names are overwritten). */
  out: string;
  /** Number of readable comics (broken files come on top). */
  files: number;
  /** Number of broken files, spread over every kind in BROKEN_KINDS (default 0). */
  broken?: number;
  seed?: number;
  /** Every cbrEvery-th comic is written as a stored RAR when `rarWriter` is given (default 20, 0 = never). */
  cbrEvery?: number;
  /** Writes a stored RAR (the test writer, scripts/testing/rar-writer.ts); without it every comic is a CBZ. */
  rarWriter?: BuildRar;
  /** Every cb7Every-th comic is a solid 7z written with 7z-wasm (default 25, 0 = never). */
  cb7Every?: number;
  /** Every pdfEvery-th comic is a PDF, one JPEG per page (default 30, 0 = never). */
  pdfEvery?: number;
  /** Comics built and written at once (default 16). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface GenerateLibraryResult {
  /** Readable comics, paths relative to `out` with '/' separators. */
  files: string[];
  /** Broken files, relative to `out`. */
  broken: string[];
  /** Bytes written in total. */
  bytes: number;
  /** How many of `files` are RAR (.cbr). */
  cbr: number;
  /** How many of `files` are 7z (.cb7) and PDF. */
  cb7: number;
  pdf: number;
  /** Whether the RAR writer was found (false: every comic is a CBZ). */
  rarWriter: boolean;
}

/** The broken-file kinds, each named `Broken/<kind>-NNN.cbz`, with the ErrorKind an indexer should report. */
export const BROKEN_KINDS = [
  { kind: 'truncated', errorKind: 'truncated' },
  { kind: 'random-bytes', errorKind: 'not-archive' },
  { kind: 'empty', errorKind: 'empty' },
  { kind: 'no-images', errorKind: 'no-images' },
  { kind: 'encrypted', errorKind: 'encrypted' },
  { kind: 'bad-central-directory', errorKind: 'corrupt' },
] as const satisfies ReadonlyArray<{ kind: string; errorKind: ErrorKind }>;

export type BrokenKind = (typeof BROKEN_KINDS)[number]['kind'];

/** The broken kind a generated path stands for, or null for a readable comic. */
export function brokenKindOf(relativePath: string): (typeof BROKEN_KINDS)[number] | null {
  const match = /^Broken\/([a-z-]+)-\d+\.cbz$/.exec(relativePath.replace(/\\/g, '/'));
  return BROKEN_KINDS.find((k) => k.kind === match?.[1]) ?? null;
}

export type BuildRar = (entries: Array<{ name: string; data: Buffer }>, options?: { version?: 4 | 5; date?: Date }) => Buffer;

const ZIP_DATE = new Date(2020, 0, 1);
const POOL_SIZE = 48;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

interface ImageEntry {
  name: string;
  data: Buffer;
  crc32?: number;
  width: number;
  height: number;
  type: 'FrontCover' | 'InnerCover' | null;
}

function comicInfoXml(comic: ComicPlan, images: readonly ImageEntry[]): string {
  const s = comic.series;
  const field = (tag: string, value: string | number | null): string => (value === null ? '' : `  <${tag}>${xmlEscape(String(value))}</${tag}>\n`);
  const pages = images
    .map((img, i) => `    <Page Image="${i}"${img.type ? ` Type="${img.type}"` : ''} ImageSize="${img.data.length}" ImageWidth="${img.width}" ImageHeight="${img.height}" />\n`)
    .join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    '<ComicInfo xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
    field('Title', comic.title) +
    field('Series', s.name) +
    field('Number', comic.number) +
    (s.kind === 'series' ? field('Count', s.issueCount) : '') +
    field('Volume', s.volume) +
    field('Summary', comic.summary) +
    field('Year', comic.year) +
    field('Month', comic.month) +
    field('Writer', s.writer) +
    field('Penciller', s.penciller) +
    field('Publisher', s.publisher.name) +
    field('Genre', s.genre) +
    field('PageCount', images.length) +
    field('LanguageISO', s.publisher.language) +
    field('Manga', s.publisher.language === 'ja' ? 'YesAndRightToLeft' : 'No') +
    `  <Pages>\n${pages}  </Pages>\n` +
    '</ComicInfo>\n'
  );
}

function comicBookInfoJson(comic: ComicPlan): string {
  const s = comic.series;
  return JSON.stringify({
    appID: 'ComicBookLover/888',
    lastModified: '2020-01-01 00:00:00 +0000',
    'ComicBookInfo/1.0': {
      series: s.name,
      title: comic.title ?? '',
      publisher: s.publisher.name,
      publicationMonth: comic.month,
      publicationYear: comic.year,
      issue: Number(comic.number),
      numberOfIssues: s.issueCount,
      volume: s.volume,
      genre: s.genre,
      language: s.publisher.language,
      comments: comic.summary,
      credits: [
        { person: s.writer, role: 'Writer', primary: true },
        { person: s.penciller, role: 'Penciller' },
      ],
      tags: [],
    },
  });
}

function pageName(comic: ComicPlan, i: number, ext: string): string {
  const s = comic.series;
  switch (s.entryStyle) {
    case 'prefixed':
      return `${s.fileName} ${pad(comic.issue, 3)}-${pad(i, 3)}.${ext}`;
    case 'folder':
    case 'folder-with-dir':
      return `${s.fileName} ${pad(comic.issue, 3)}/${pad(i + 1, 3)}.${ext}`;
    case 'unpadded':
      return `${i + 1}.${ext}`;
    default:
      return `${pad(i, 3)}.${ext}`;
  }
}

function shuffle<T>(rng: Rng, items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j], items[i]];
  }
}

class Generator {
  private readonly artCache = new Map<number, Promise<SeriesArt>>();
  private readonly scannerPages = new Map<string, Promise<PoolPage>>();

  constructor(
    private readonly pool: readonly PoolPage[],
    private readonly buildRar: BuildRar | null,
  ) {}

  private seriesArt(series: SeriesPlan): Promise<SeriesArt> {
    let art = this.artCache.get(series.id);
    if (!art) {
      art = renderSeriesArt({ title: series.name, tag: series.coverTag, publisher: series.publisher.name }, mulberry32(series.artSeed));
      this.artCache.set(series.id, art);
      // Comics arrive grouped by series: a small cache is enough.
      if (this.artCache.size > 64) this.artCache.delete(this.artCache.keys().next().value as number);
    }
    return art;
  }

  private scannerPage(group: string): Promise<PoolPage> {
    let page = this.scannerPages.get(group);
    if (!page) {
      page = renderScannerPage(mulberry32(group.length * 7919), group);
      this.scannerPages.set(group, page);
    }
    return page;
  }

  /** Builds one comic's bytes; a pure function of the plan (duplicates rebuild the same bytes). */
  async build(comic: ComicPlan, scratch?: Buffer): Promise<Buffer> {
    const rng = mulberry32(comic.seed);
    const s = comic.series;
    const label = s.publisher.language === 'ja' ? `VOL ${comic.issue}` : `#${comic.issue}`;
    const cover = await encodeIssueCover(await this.seriesArt(s), label, scratch);
    const format = comic.format === 'rar' && !this.buildRar ? 'zip' : comic.format;
    // ComicBookInfo lives in a ZIP comment: other containers carry none.
    const metadata = format !== 'zip' && comic.metadata === 'comicbookinfo' ? 'none' : comic.metadata;

    const pictures: Array<Omit<ImageEntry, 'name'> & { ext: string }> = [];
    const innerCoverFirst = metadata === 'comicinfo' && rng.chance(0.03);
    // A PDF embeds its pages as JPEGs (DCTDecode): take only JPEG pages from the pool.
    const pool = format === 'pdf' && this.pool.some((p) => p.ext === 'jpg') ? this.pool.filter((p) => p.ext === 'jpg') : this.pool;
    const poolPage = (): Omit<ImageEntry, 'name'> & { ext: string } => {
      const p = pool[rng.int(0, pool.length - 1)];
      return { data: p.data, crc32: p.crc32, width: p.width, height: p.height, ext: p.ext, type: null };
    };
    if (innerCoverFirst) pictures.push({ ...poolPage(), type: 'InnerCover' });
    pictures.push({ data: cover, width: COVER_WIDTH, height: COVER_HEIGHT, ext: 'jpg', type: 'FrontCover' });
    for (let i = 0; i < comic.interiorPages; i++) pictures.push(poolPage());
    const images: ImageEntry[] = pictures.map((p, i) => ({ ...p, name: pageName(comic, i, p.ext) }));
    if (s.scannerTag !== '' && rng.chance(0.3)) {
      const group = /\(([^()]*)\)\s*$/.exec(s.scannerTag)?.[1] ?? 'Scanner';
      const page = await this.scannerPage(group);
      const dir = images[0].name.includes('/') ? images[0].name.slice(0, images[0].name.lastIndexOf('/') + 1) : '';
      images.push({ name: `${dir}zzzz-${group.replace(/[^A-Za-z0-9-]/g, '')}.jpg`, data: page.data, crc32: page.crc32, width: page.width, height: page.height, type: null });
    }

    const entries: ZipEntryInput[] = images.map((img) => ({ name: img.name, data: img.data, crc32: img.crc32 }));
    if (metadata === 'comicinfo') {
      let xml = Buffer.from(comicInfoXml(comic, images), 'utf8');
      if (rng.chance(0.03)) xml = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), xml]);
      if (rng.chance(0.2)) entries.unshift({ name: 'ComicInfo.xml', data: xml });
      else entries.push({ name: 'ComicInfo.xml', data: xml });
    }
    if (format === 'pdf') {
      // comicbox stores ComicInfo-style data in the PDF's metadata: the Keywords hold the ComicInfo document.
      const xml = metadata === 'comicinfo' ? comicInfoXml(comic, images) : undefined;
      return buildPdf(
        images.filter((img) => img.name.endsWith('.jpg')).map((img) => ({ jpeg: img.data, width: img.width, height: img.height })),
        { Title: comic.title ?? undefined, Author: s.writer, Keywords: xml },
      );
    }
    if (rng.chance(0.05)) shuffle(rng, entries);
    if (format === '7z') return buildCb7(entries.map((e) => ({ name: e.name, data: e.data })));
    if (format === 'rar' && this.buildRar) {
      return this.buildRar(entries.map((e) => ({ name: e.name, data: e.data })), { version: comic.rarVersion, date: ZIP_DATE });
    }
    if (s.entryStyle === 'folder-with-dir') entries.unshift({ name: `${s.fileName} ${pad(comic.issue, 3)}/`, data: Buffer.alloc(0) });
    return buildZip(entries, { date: ZIP_DATE, comment: metadata === 'comicbookinfo' ? comicBookInfoJson(comic) : undefined });
  }

  /** A plain readable ZIP built from pool pages only (the raw material of several broken kinds). */
  plainZip(rng: Rng, pages: number, options: { encrypted?: boolean } = {}): Buffer {
    const entries: ZipEntryInput[] = [];
    for (let i = 0; i < pages; i++) {
      const p = this.pool[rng.int(0, this.pool.length - 1)];
      entries.push({ name: `${pad(i, 3)}.${p.ext}`, data: options.encrypted ? rng.bytes(p.data.length) : p.data, crc32: options.encrypted ? undefined : p.crc32, encrypted: options.encrypted });
    }
    return buildZip(entries, { date: ZIP_DATE });
  }

  broken(kind: BrokenKind, rng: Rng): Buffer {
    switch (kind) {
      case 'truncated': {
        const full = this.plainZip(rng, rng.int(4, 10));
        return full.subarray(0, Math.floor(full.length * (0.4 + rng.next() * 0.45)));
      }
      case 'random-bytes': {
        const data = rng.bytes(rng.int(2_000, 120_000));
        data[0] = 0x52; // never 'PK' by accident
        return data;
      }
      case 'empty':
        return Buffer.alloc(0);
      case 'no-images':
        return buildZip(
          [
            { name: 'ComicInfo.xml', data: Buffer.from('<?xml version="1.0"?>\n<ComicInfo><Series>No Images</Series><Number>1</Number></ComicInfo>\n') },
            { name: 'readme.txt', data: Buffer.from('This archive has no pages.\n') },
            { name: 'notes/', data: Buffer.alloc(0) },
          ],
          { date: ZIP_DATE },
        );
      case 'encrypted':
        return this.plainZip(rng, rng.int(3, 8), { encrypted: true });
      case 'bad-central-directory': {
        const zip = Buffer.from(this.plainZip(rng, rng.int(3, 8)));
        const eocd = zip.length - 22;
        const cdSize = zip.readUInt32LE(eocd + 12);
        const cdOffset = zip.readUInt32LE(eocd + 16);
        rng.bytes(cdSize).copy(zip, cdOffset);
        return zip;
      }
    }
  }
}

/** Runs `worker` over 0..count-1 with at most `limit` calls in flight. */
async function forEachLimited(count: number, limit: number, worker: (index: number, lane: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, count) }, async (_, lane) => {
    while (next < count) await worker(next++, lane);
  });
  await Promise.all(lanes);
}

export async function generateLibrary(options: GenerateLibraryOptions): Promise<GenerateLibraryResult> {
  const files = Math.max(0, Math.floor(options.files));
  const brokenCount = Math.max(0, Math.floor(options.broken ?? 0));
  const seed = options.seed ?? 1;
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const buildRar = options.rarWriter ?? null;
  const plan = planLibrary({ files, seed, cbrEvery: buildRar ? (options.cbrEvery ?? 20) : 0, cb7Every: options.cb7Every ?? 25, pdfEvery: options.pdfEvery ?? 30 });
  const brokenPaths = Array.from({ length: brokenCount }, (_, i) => `Broken/${BROKEN_KINDS[i % BROKEN_KINDS.length].kind}-${pad(Math.floor(i / BROKEN_KINDS.length) + 1, 3)}.cbz`);
  const total = plan.length + brokenPaths.length;

  const previousConcurrency = sharp.concurrency();
  sharp.concurrency(1); // one libvips thread per image; parallelism comes from several images at once
  try {
    const generator = new Generator(await renderPagePool(mulberry32(seed ^ 0x5eed), POOL_SIZE), buildRar);
    const dirs = new Set<string>();
    for (const rel of [...plan.map((c) => c.path), ...brokenPaths]) dirs.add(path.dirname(path.join(options.out, rel)));
    for (const dir of [...dirs].sort()) await mkdir(dir, { recursive: true });

    let done = 0;
    let bytes = 0;
    const wrote = (size: number): void => {
      bytes += size;
      done++;
      options.onProgress?.(done, total);
    };
    const scratch = Array.from({ length: concurrency }, () => Buffer.alloc(COVER_WIDTH * COVER_HEIGHT * 3));
    await forEachLimited(plan.length, concurrency, async (i, lane) => {
      const data = await generator.build(plan[i], scratch[lane]);
      await writeFile(path.join(options.out, plan[i].path), data);
      wrote(data.length);
    });
    const brokenRng = mulberry32(seed ^ 0xb40c3);
    for (let i = 0; i < brokenPaths.length; i++) {
      const data = generator.broken(BROKEN_KINDS[i % BROKEN_KINDS.length].kind, brokenRng);
      await writeFile(path.join(options.out, brokenPaths[i]), data);
      wrote(data.length);
    }
    return {
      files: plan.map((c) => c.path),
      broken: brokenPaths,
      bytes,
      cbr: plan.filter((c) => c.path.endsWith('.cbr')).length,
      cb7: plan.filter((c) => c.path.endsWith('.cb7')).length,
      pdf: plan.filter((c) => c.path.endsWith('.pdf')).length,
      rarWriter: buildRar !== null,
    };
  } finally {
    sharp.concurrency(previousConcurrency);
  }
}
