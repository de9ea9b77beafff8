// Format benchmark (not part of `npm run bench`: generating the libraries takes a few minutes).
//   npx tsx bench/formats.ts [--files 2000] [--book-pages 40]
// 1. Index rate: the index pass (enrichFile: listing, ComicInfo/MetronInfo, metadata merge, fingerprint)
//    over a library of N files of each format, 16 files in flight as the rebuild worker does, warm page
//    cache (the files were just written). Files are small (12 pages of ~8 KB): this measures per-file
//    overhead, which is what dominates a library of real comics too (the index pass reads no page).
// 2. Page latency: readArchiveEntry for every page of one realistic book (pages ~0.5 MB of noise JPEG,
//    incompressible like real scans), in reading order and in a shuffled order, p50/p95, next to CBZ.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { readArchiveEntry } from '../electron/library/archive/extract.js';
import { listPages } from '../electron/library/archive/pages.js';
import { readArchiveIndex } from '../electron/library/archive/read-index.js';
import { enrichFile } from '../electron/library/enrich.js';
import { buildCb7 } from '../electron/library/sample/cb7-writer.js';
import { buildPdf, type PdfPage } from '../electron/library/sample/pdf-writer.js';
import { mulberry32 } from '../electron/library/sample/prng.js';
import { buildZip } from '../scripts/testing/zip-writer.js';
import { percentile } from './stats.js';

const { values } = parseArgs({ options: { files: { type: 'string', default: '2000' }, 'book-pages': { type: 'string', default: '40' } } });
const FILES = Number(values.files);
const BOOK_PAGES = Number(values['book-pages']);
const IN_FLIGHT = 16;
const SMALL_PAGES = 12;

async function pool<T>(items: readonly T[], worker: (item: T, i: number) => Promise<unknown>, inFlight = IN_FLIGHT): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < items.length) {
        const i = next++;
        await worker(items[i]!, i);
      }
    }),
  );
}

const comicInfo = (i: number) => Buffer.from(`<?xml version="1.0"?><ComicInfo><Series>Bench ${i % 50}</Series><Number>${i}</Number><Writer>W</Writer></ComicInfo>`);

function epub(pages: Buffer[], i: number): Buffer {
  const ids = pages.map((_, n) => n + 1);
  const opf = `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Bench ${i}</dc:title><meta property="rendition:layout">pre-paginated</meta><meta property="belongs-to-collection" id="s">Bench ${i % 50}</meta><meta refines="#s" property="group-position">${i}</meta></metadata><manifest>${ids.map((n) => `<item id="x${n}" href="x${n}.xhtml" media-type="application/xhtml+xml"/><item id="i${n}" href="i/${n}.jpg" media-type="image/jpeg"/>`).join('')}</manifest><spine>${ids.map((n) => `<itemref idref="x${n}"/>`).join('')}</spine></package>`;
  return buildZip([
    { name: 'mimetype', data: Buffer.from('application/epub+zip') },
    { name: 'META-INF/container.xml', data: Buffer.from('<container><rootfiles><rootfile full-path="OEBPS/o.opf"/></rootfiles></container>') },
    { name: 'OEBPS/o.opf', data: Buffer.from(opf), method: 'deflate' },
    ...ids.flatMap((n) => [
      { name: `OEBPS/x${n}.xhtml`, data: Buffer.from(`<html><body><img src="i/${n}.jpg"/></body></html>`) },
      { name: `OEBPS/i/${n}.jpg`, data: pages[n - 1]! },
    ]),
  ]);
}

type Format = 'cbz' | 'cb7' | 'pdf' | 'epub';
async function build(format: Format, pages: Buffer[], i: number, width: number, height: number): Promise<Buffer> {
  const named = pages.map((data, n) => ({ name: `p${String(n + 1).padStart(3, '0')}.jpg`, data }));
  switch (format) {
    case 'cbz':
      return buildZip([...named, { name: 'ComicInfo.xml', data: comicInfo(i) }]);
    case 'cb7':
      return buildCb7([...named, { name: 'ComicInfo.xml', data: comicInfo(i) }]);
    case 'pdf':
      return buildPdf(pages.map((jpeg): PdfPage => ({ jpeg, width, height })), { Title: `Bench ${i}`, Keywords: comicInfo(i).toString() });
    case 'epub':
      return epub(pages, i);
  }
}

async function indexRate(dir: string, format: Format, small: Buffer[]): Promise<string> {
  const folder = join(dir, format);
  await mkdir(folder, { recursive: true });
  const ext = format === 'cb7' ? '.cb7' : `.${format}`;
  const names = Array.from({ length: FILES }, (_, i) => `c${i}${ext}`);
  const genStart = performance.now();
  await pool(names, async (name, i) => {
    // Salt one page per file so every file is distinct (distinct fingerprints, as in a real library).
    const pages = small.map((p, n) => (n === 0 ? Buffer.concat([p, Buffer.from(String(i))]) : p));
    await writeFile(join(folder, name), await build(format, pages, i, 64, 96));
  }, 4);
  const genSeconds = (performance.now() - genStart) / 1000;
  const start = performance.now();
  const cpu = process.cpuUsage();
  let errors = 0;
  await pool(names, async (name) => {
    const row = await enrichFile(folder, { path: name, ext, size: 0, mtimeMs: 0, ino: 0 });
    if (row.error_kind !== null || row.page_count !== SMALL_PAGES) errors++;
  });
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000 / FILES;
  return `| ${format.toUpperCase()} | ${FILES} | ${(FILES / seconds).toFixed(0)} | ${cpuMs.toFixed(2)} | ${errors} | ${genSeconds.toFixed(0)} s |`;
}

function stats(ms: number[]): string {
  return `${percentile(ms, 50)!.toFixed(1)} | ${percentile(ms, 95)!.toFixed(1)}`;
}

async function latency(label: string, file: string, format: 'zip' | '7z' | 'pdf'): Promise<string[]> {
  const index = await readArchiveIndex(file);
  const pages = listPages(index.entries);
  const rows: string[] = [];
  for (const order of ['reading order', 'shuffled'] as const) {
    const names = [...pages];
    if (order === 'shuffled') {
      const rng = mulberry32(7);
      for (let i = names.length - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [names[i], names[j]] = [names[j]!, names[i]!];
      }
    }
    const ms: number[] = [];
    // A fresh copy per pass: nothing cached from the previous pass (the CB7 window cache is keyed by path).
    const copy = `${file}.${order === 'shuffled' ? 'shuffled' : 'ordered'}`;
    await copyFile(file, copy);
    for (const name of names) {
      const t = performance.now();
      await readArchiveEntry(copy, format, name);
      ms.push(performance.now() - t);
    }
    rows.push(`| ${label} | ${order} | ${pages.length} | ${stats(ms)} |`);
  }
  return rows;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'longbox-formats-bench-'));
  try {
    const small = await Promise.all(
      Array.from({ length: SMALL_PAGES }, (_, n) => sharp({ create: { width: 64, height: 96, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 100 + n, sigma: 40 } } }).jpeg({ quality: 80 }).toBuffer()),
    );
    console.log(`Index rate (${FILES} files per format, ${SMALL_PAGES} pages of ~${Math.round(small[0]!.length / 1024)} KB, ${IN_FLIGHT} in flight, warm cache)\n`);
    console.log('| format | files | files/s | CPU ms/file | error rows | generation |\n|---|---|---|---|---|---|');
    for (const format of ['cbz', 'cb7', 'pdf', 'epub'] as const) console.log(await indexRate(dir, format, small));

    const big = await Promise.all(
      Array.from({ length: BOOK_PAGES }, (_, n) => sharp({ create: { width: 1000, height: 1500, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 90 + (n % 50), sigma: 35 } } }).jpeg({ quality: 80 }).toBuffer()),
    );
    const bookBytes = big.reduce((sum, p) => sum + p.length, 0);
    const named = big.map((data, n) => ({ name: `p${String(n + 1).padStart(3, '0')}.jpg`, data }));
    const files = {
      cbz: join(dir, 'book.cbz'),
      solid: join(dir, 'book-solid.cb7'),
      nonSolid: join(dir, 'book-nonsolid.cb7'),
      pdf: join(dir, 'book.pdf'),
      rendered: join(dir, 'book-text.pdf'),
    };
    await writeFile(files.cbz, buildZip(named));
    await writeFile(files.solid, await buildCb7(named));
    // Non-solid: one archive per page would not do; 7z-wasm writes solid only here, so the non-solid
    // book is made by the `7z` command when present.
    let nonSolid = false;
    try {
      const { execFileSync } = await import('node:child_process');
      const src = join(dir, 'pages');
          await mkdir(src);
      await Promise.all(named.map((p) => writeFile(join(src, p.name), p.data)));
      execFileSync('7z', ['a', '-ms=off', '-mx=1', files.nonSolid, '.'], { cwd: src, stdio: 'ignore' });
      nonSolid = true;
    } catch {
      console.log('(no `7z` command: the non-solid CB7 row is skipped)');
    }
    await writeFile(files.pdf, buildPdf(big.map((jpeg) => ({ jpeg, width: 1000, height: 1500 }))));
    await writeFile(files.rendered, buildPdf(Array.from({ length: BOOK_PAGES }, (_, n) => ({ text: [`Page ${n + 1}`, 'The quick brown fox jumps over the lazy dog.'.repeat(2)] }))));
    console.log(`\nPage latency (one book, ${BOOK_PAGES} pages, ${(bookBytes / 2 ** 20).toFixed(1)} MiB of JPEG, each page read once)\n`);
    console.log('| book | order | pages | p50 ms | p95 ms |\n|---|---|---|---|---|');
    const rows = [
      ...(await latency('CBZ (stored)', files.cbz, 'zip')),
      ...(await latency('CB7 solid (LZMA2 -mx=1)', files.solid, '7z')),
      ...(nonSolid ? await latency('CB7 non-solid', files.nonSolid, '7z') : []),
      ...(await latency('PDF, embedded JPEG', files.pdf, 'pdf')),
      ...(await latency('PDF, rendered (text pages → PNG)', files.rendered, 'pdf')),
    ];
    console.log(rows.join('\n'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
