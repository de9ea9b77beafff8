// Fuzz: the 7z, PDF and EPUB readers and the MetronInfo/OPF parsers. Whatever the bytes, readers throw
// nothing but ArchiveError (a row's error) and finish; the pure parsers never throw at all. Seeds are
// written by our own writers (7z-wasm, the PDF writer, the test ZIP writer), so no tool is needed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildZip } from '../../../scripts/testing/zip-writer.js';
import { applyMutations, byteMutation } from '../testing/fuzz.js';
import { parseMetronInfo } from '../metadata/metroninfo.js';
import { buildCb7 } from '../sample/cb7-writer.js';
import { buildPdf } from '../sample/pdf-writer.js';
import { inspectXhtml, parseOpf, rootfilePath } from './epub-opf.js';
import { readArchiveEntry } from './extract.js';
import { listPages } from './pages.js';
import { readArchiveIndex } from './read-index.js';
import { parseSevenZipListing, sevenZipFailure } from './seven-zip-listing.js';
import { ArchiveError } from './types.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const FILE_RUNS = Math.max(20, Math.floor(RUNS / 10));
const HANG_MS = 20_000;

const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const OPF = `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>T</dc:title><dc:creator id="c">A</dc:creator><meta refines="#c" property="role">aut</meta><meta property="belongs-to-collection" id="s">S</meta><meta refines="#s" property="group-position">2</meta><meta name="cover" content="i1"/><meta property="rendition:layout">pre-paginated</meta></metadata><manifest><item id="p1" href="p1.xhtml" media-type="application/xhtml+xml"/><item id="i1" href="i/1.png" media-type="image/png" properties="cover-image"/></manifest><spine><itemref idref="p1"/></spine></package>`;
const METRON = '<MetronInfo><Series lang="en"><Name>S</Name><Volume>2</Volume></Series><Number>1</Number><CoverDate>2020-02-01</CoverDate><Credits><Credit><Creator>W</Creator><Roles><Role>Writer</Role></Roles></Credit></Credits><Genres><Genre>G</Genre></Genres></MetronInfo>';

const mutation = byteMutation();

async function onlyArchiveErrors<T>(work: () => Promise<T>, what: string): Promise<T | ArchiveError> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`HANG: ${what} did not finish in ${HANG_MS} ms`)), HANG_MS);
      }),
    ]);
  } catch (err) {
    if (err instanceof ArchiveError) return err;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

let dir: string;
let seeds: Buffer[];
let counter = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lb-fuzz-formats-'));
  const jpeg = await sharp({ create: { width: 16, height: 24, channels: 3, background: '#369' } }).jpeg().toBuffer();
  seeds = [
    await buildCb7([{ name: 'p1.png', data: png }, { name: 'sub/p2.png', data: png }, { name: 'ComicInfo.xml', data: Buffer.from('<ComicInfo><Series>F</Series></ComicInfo>') }]),
    buildPdf([{ jpeg, width: 16, height: 24 }, { text: ['fuzz'] }], { Title: 'F', Keywords: '<ComicInfo><Series>F</Series></ComicInfo>' }),
    buildZip([
      { name: 'mimetype', data: Buffer.from('application/epub+zip') },
      { name: 'META-INF/container.xml', data: Buffer.from('<container><rootfiles><rootfile full-path="o.opf"/></rootfiles></container>') },
      { name: 'o.opf', data: Buffer.from(OPF), method: 'deflate' },
      { name: 'p1.xhtml', data: Buffer.from('<html><body><img src="i/1.png"/></body></html>') },
      { name: 'i/1.png', data: png },
    ]),
  ];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('7z, PDF and EPUB readers on mutated files (fuzz)', () => {
  it(`readArchiveIndex and readArchiveEntry throw only ArchiveError and finish (${FILE_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (seed, mutations) => {
        const file = join(dir, `case-${counter++}.bin`);
        writeFileSync(file, applyMutations(seeds[seed]!, mutations));
        const index = await onlyArchiveErrors(() => readArchiveIndex(file, { limits: { maxEntries: 500 } }), 'readArchiveIndex');
        if (index instanceof ArchiveError) {
          expect(index.message.length).toBeGreaterThan(0);
          return;
        }
        for (const name of listPages(index.entries).slice(0, 2)) {
          const bytes = await onlyArchiveErrors(() => readArchiveEntry(file, index.format, name, { maxBytes: 4 * 1024 * 1024 }), `readArchiveEntry(${name})`);
          if (!(bytes instanceof ArchiveError)) expect(bytes.length).toBeLessThanOrEqual(4 * 1024 * 1024);
        }
      }),
      { numRuns: FILE_RUNS },
    );
  }, 600_000);
});

describe('format parsers never throw (fuzz)', () => {
  const mutatedText = (seed: string) =>
    fc.tuple(fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), cut: fc.integer({ min: 0, max: 20 }), insert: fc.string({ maxLength: 12 }) }), { maxLength: 5 })).map(([edits]) => {
      let text = seed;
      for (const e of edits) {
        const at = Math.floor(e.at * text.length);
        text = text.slice(0, at) + e.insert + text.slice(at + e.cut);
      }
      return text;
    });

  it(`OPF, container and XHTML parsing (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.oneof(mutatedText(OPF), fc.string({ maxLength: 300 })), (text) => {
        const opf = parseOpf(text, 'OEBPS/o.opf');
        if (opf) for (const item of opf.spine) expect(item.path.startsWith('/')).toBe(false);
        rootfilePath(text);
        const page = inspectXhtml(text, 'a/b.xhtml');
        expect(page.textLength).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: RUNS },
    );
  });

  it(`MetronInfo parsing (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.oneof(mutatedText(METRON), fc.string({ maxLength: 300 })), (text) => {
        const result = parseMetronInfo(text);
        expect(result.problem === null || typeof result.problem === 'string').toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it(`7-Zip listing parsing: entries or ArchiveError (${RUNS} runs)`, () => {
    const line = fc.oneof(fc.constantFrom('----------', '', 'Path = a.jpg', 'Size = 12', 'CRC = ZZ', 'Folder = +', 'Block = 99999999999', 'Encrypted = +'), fc.string({ maxLength: 40 }));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), fc.integer({ min: 0, max: 2 }), (lines, rc) => {
        sevenZipFailure(rc, lines, lines);
        try {
          const entries = parseSevenZipListing(lines, 20);
          expect(entries.length).toBeLessThanOrEqual(20);
          for (const e of entries) expect(Number.isSafeInteger(e.size) && e.size >= 0).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(ArchiveError);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
