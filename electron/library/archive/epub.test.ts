// EPUB 2 and 3: OPF metadata, covers, spine order, image-only vs text books. Fixtures built here.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildZip, type ZipEntryInput } from '../../../scripts/testing/zip-writer.js';
import { TINY_PNG } from '../testing/fixtures.js';
import { tempDirForAll } from '../testing/temp-dir.js';
import { enrichFile } from '../enrich.js';
import { inspectXhtml, parseOpf, resolveHref, rootfilePath } from './epub-opf.js';
import { readArchiveEntry } from './extract.js';
import { listPages } from './pages.js';
import { readArchiveIndex } from './read-index.js';

let dir: string;
tempDirForAll('longbox-epub-', (made) => (dir = made));

const walked = (path: string) => ({ path, ext: '.epub', size: 1, mtimeMs: 0, ino: 1 });
const png = (n: number) => Buffer.concat([TINY_PNG, Buffer.from(`#${n}`)]);
const PROSE = 'It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of foolishness. '.repeat(8);

interface EpubOptions {
  version: '2.0' | '3.0';
  metadata: string;
  manifest: string;
  spine: string;
  files: ZipEntryInput[];
}

function epub(o: EpubOptions): Buffer {
  const opf = `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="${o.version}" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">${o.metadata}</metadata>
  <manifest>${o.manifest}</manifest>
  <spine>${o.spine}</spine>
</package>`;
  return buildZip([
    { name: 'mimetype', data: Buffer.from('application/epub+zip') },
    { name: 'META-INF/container.xml', data: Buffer.from('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>') },
    { name: 'OEBPS/content.opf', data: Buffer.from(opf), method: 'deflate' },
    ...o.files,
  ]);
}

const xhtmlImage = (src: string) => `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>p</title></head><body><div><img src="${src}" alt=""/></div></body></html>`;
const xhtmlSvg = (href: string) => `<html xmlns="http://www.w3.org/1999/xhtml"><body><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="${href}"/></svg></body></html>`;
const xhtmlProse = (title: string) => `<html xmlns="http://www.w3.org/1999/xhtml"><body><h1>${title}</h1><p>${PROSE}</p></body></html>`;

/** A fixed-layout EPUB 3 whose spine order (p10, p2, p1) is not the images' natural name order. */
function fixedLayoutManga(): Buffer {
  const order = [10, 2, 1];
  return epub({
    version: '3.0',
    metadata: `<dc:title>Blade Garden</dc:title><dc:creator id="c1">Aki Mori</dc:creator><meta refines="#c1" property="role" scheme="marc:relators">aut</meta>
      <dc:publisher>North Press</dc:publisher><dc:date>2021-07-09</dc:date><dc:language>ja</dc:language>
      <meta property="belongs-to-collection" id="s1">Blade Garden</meta><meta refines="#s1" property="collection-type">series</meta><meta refines="#s1" property="group-position">4</meta>
      <meta property="rendition:layout">pre-paginated</meta>`,
    manifest: `<item id="cover" href="images/p10.png" media-type="image/png" properties="cover-image"/>${order.map((n) => `<item id="x${n}" href="pages/p${n}.xhtml" media-type="application/xhtml+xml"/><item id="i${n}" href="images/p${n}.png" media-type="image/png"/>`).join('')}`,
    spine: order.map((n) => `<itemref idref="x${n}"/>`).join(''),
    files: order.flatMap((n) => [
      { name: `OEBPS/pages/p${n}.xhtml`, data: Buffer.from(n === 2 ? xhtmlSvg('../images/p2.png') : xhtmlImage('../images/p' + n + '.png')), method: 'deflate' as const },
      { name: `OEBPS/images/p${n}.png`, data: png(n) },
    ]),
  });
}

describe('EPUB', () => {
  it('fixed-layout EPUB 3: pages are the spine images in spine order, metadata from the OPF', async () => {
    writeFileSync(join(dir, 'manga.epub'), fixedLayoutManga());
    const index = await readArchiveIndex(join(dir, 'manga.epub'));
    expect(index.format).toBe('epub');
    expect(index.kind).toBe('comic');
    expect(listPages(index.entries)).toEqual(['OEBPS/images/p10.png', 'OEBPS/images/p2.png', 'OEBPS/images/p1.png']);
    expect((await readArchiveEntry(join(dir, 'manga.epub'), 'epub', 'OEBPS/images/p2.png')).equals(png(2))).toBe(true);
    const row = await enrichFile(dir, walked('manga.epub'));
    expect(row).toMatchObject({
      format: 'epub', page_count: 3, cover_entry: 'OEBPS/images/p10.png', error_kind: null,
      title: 'Blade Garden', series: 'Blade Garden', number: '4', writer: 'Aki Mori', publisher: 'North Press', year: 2021, month: 7, language_iso: 'ja',
    });
    expect(JSON.parse(row.sources)).toMatchObject({ series: 'epub', number: 'epub', publisher: 'epub' });
  });

  it('image-only EPUB 2 (reflowable, one image per page) with calibre series and meta-name cover', async () => {
    const pages = [1, 2, 3];
    const book = epub({
      version: '2.0',
      metadata: `<dc:title>Old Strip</dc:title><dc:creator opf:role="aut">Bo Pen</dc:creator><meta name="calibre:series" content="Strips"/><meta name="calibre:series_index" content="2.0"/><meta name="cover" content="cov"/>`,
      manifest: `<item id="cov" href="img/cover.png" media-type="image/png"/>${pages.map((n) => `<item id="h${n}" href="h${n}.html" media-type="application/xhtml+xml"/><item id="g${n}" href="img/g${n}.png" media-type="image/png"/>`).join('')}`,
      spine: pages.map((n) => `<itemref idref="h${n}"/>`).join(''),
      files: [{ name: 'OEBPS/img/cover.png', data: png(0) }, ...pages.flatMap((n) => [{ name: `OEBPS/h${n}.html`, data: Buffer.from(xhtmlImage(`img/g${n}.png`)) }, { name: `OEBPS/img/g${n}.png`, data: png(n) }])],
    });
    writeFileSync(join(dir, 'strip.epub'), book);
    const row = await enrichFile(dir, walked('strip.epub'));
    expect(row).toMatchObject({ page_count: 3, cover_entry: 'OEBPS/img/g1.png', series: 'Strips', number: '2', writer: 'Bo Pen', error_kind: null });
  });

  it('text EPUB: a text book whose one page is the manifest cover-image', async () => {
    const book = epub({
      version: '3.0',
      metadata: `<dc:title>A Tale</dc:title><dc:creator>Charles Writer</dc:creator><dc:description>&lt;p&gt;A &lt;b&gt;novel&lt;/b&gt;.&lt;/p&gt;</dc:description>`,
      manifest: `<item id="c" href="cover.jpg" media-type="image/jpeg" properties="cover-image"/><item id="t" href="title.xhtml" media-type="application/xhtml+xml"/><item id="ch1" href="ch1.xhtml" media-type="application/xhtml+xml"/><item id="ch2" href="ch2.xhtml" media-type="application/xhtml+xml"/><item id="fig" href="figure.png" media-type="image/png"/>`,
      spine: '<itemref idref="t"/><itemref idref="ch1"/><itemref idref="ch2"/>',
      files: [
        { name: 'OEBPS/cover.jpg', data: png(9) },
        { name: 'OEBPS/title.xhtml', data: Buffer.from('<html><body><h1>A Tale</h1></body></html>') },
        { name: 'OEBPS/ch1.xhtml', data: Buffer.from(xhtmlProse('One').replace('</p>', '</p><img src="figure.png"/>')) },
        { name: 'OEBPS/ch2.xhtml', data: Buffer.from(xhtmlProse('Two')) },
        { name: 'OEBPS/figure.png', data: png(5) },
      ],
    });
    writeFileSync(join(dir, 'novel.epub'), book);
    const index = await readArchiveIndex(join(dir, 'novel.epub'));
    expect(index.kind).toBe('text-book');
    expect(listPages(index.entries)).toEqual(['OEBPS/cover.jpg']);
    const row = await enrichFile(dir, walked('novel.epub'));
    expect(row).toMatchObject({ page_count: 1, cover_entry: 'OEBPS/cover.jpg', title: 'A Tale', writer: 'Charles Writer', summary: 'A novel .', error_kind: null });
  });

  it('text EPUB without any cover is still a row, not a broken comic', async () => {
    const book = epub({
      version: '2.0',
      metadata: '<dc:title>Plain</dc:title>',
      manifest: '<item id="a" href="a.xhtml" media-type="application/xhtml+xml"/>',
      spine: '<itemref idref="a"/>',
      files: [{ name: 'OEBPS/a.xhtml', data: Buffer.from(xhtmlProse('A')) }],
    });
    writeFileSync(join(dir, 'plain.epub'), book);
    const row = await enrichFile(dir, walked('plain.epub'));
    expect(row).toMatchObject({ page_count: 0, cover_entry: null, error_kind: null, title: 'Plain' });
  });

  it('a damaged EPUB (no container, no OPF) is one corrupt row', async () => {
    writeFileSync(join(dir, 'nocontainer.epub'), buildZip([{ name: 'mimetype', data: Buffer.from('application/epub+zip') }, { name: 'a.png', data: TINY_PNG }]));
    expect((await enrichFile(dir, walked('nocontainer.epub'))).error_kind).toBe('corrupt');
    const noOpf = buildZip([
      { name: 'mimetype', data: Buffer.from('application/epub+zip') },
      { name: 'META-INF/container.xml', data: Buffer.from('<container><rootfiles><rootfile full-path="missing.opf"/></rootfiles></container>') },
    ]);
    writeFileSync(join(dir, 'noopf.epub'), noOpf);
    expect((await enrichFile(dir, walked('noopf.epub'))).error_kind).toBe('corrupt');
  });
});

describe('EPUB package parsing', () => {
  it('resolves hrefs against the OPF folder, percent-decoded, without fragments and without escaping the root', () => {
    expect(resolveHref('OEBPS/text', '../images/a%20b.png#x')).toBe('OEBPS/images/a b.png');
    expect(resolveHref('OEBPS', '../../../../etc/passwd')).toBe('etc/passwd');
    expect(rootfilePath("<rootfile full-path='OPS/book.opf'/>")).toBe('OPS/book.opf');
    expect(rootfilePath('<container/>')).toBeNull();
  });
  it('measures XHTML pages: images and visible text', () => {
    expect(inspectXhtml(xhtmlImage('../i/1.png'), 'OEBPS/t/p.xhtml')).toEqual({ images: ['OEBPS/i/1.png'], textLength: 0 });
    expect(inspectXhtml(xhtmlProse('x'), 'p.xhtml').textLength).toBeGreaterThan(300);
  });
  it('returns null for a document that is not a package', () => {
    expect(parseOpf('<html/>', 'a.opf')).toBeNull();
    expect(parseOpf('', 'a.opf')).toBeNull();
  });
});
