// PDF: one virtual image entry per page (`page-00001.jpg` when the page is one full-page JPEG, served
// as embedded; `page-00001.png` otherwise, rendered by PDFium and encoded with sharp), so covers, page
// counts and page routes treat a PDF like any archive. The work runs in the WASM format worker.
import { stat } from 'node:fs/promises';
import type Sharp from 'sharp';
import { embeddedComicXml, pdfInfoMetadata } from '../metadata/document.js';
import type { PdfIndexResult } from './wasm-protocol.js';
import { wasmWorker } from './wasm-worker.js';
import { ArchiveError, type ArchiveEntry, type ArchiveIndex, type ArchiveLimits } from './types.js';

/** PDFium reads from memory (a copy of the file in its heap, which stops at 2 GiB): refuse bigger files. */
export const MAX_PDF_BYTES = 1024 * 1024 * 1024;
/** Pixel budget of a rendered page (about 2450 × 3270). */
const RENDER_MAX_PIXELS = 8_000_000;
const PAGE_NAME = /^page-(\d{5,})\.(jpg|png)$/;

function pageName(index: number, embeddedJpeg: boolean): string {
  return `page-${String(index + 1).padStart(5, '0')}.${embeddedJpeg ? 'jpg' : 'png'}`;
}

function loadFailure(code: number): ArchiveError {
  switch (code) {
    case 4:
      return new ArchiveError('encrypted', 'The PDF is password protected.', 'pdf');
    case 2:
      return new ArchiveError('unreadable', 'The PDF could not be opened.', 'pdf');
    case -1:
      return new ArchiveError('too-large', 'The PDF is too large to open.', 'pdf');
    default:
      return new ArchiveError('corrupt', 'The PDF is damaged or truncated (PDFium could not open it).', 'pdf');
  }
}

async function checkSize(filePath: string, knownSize?: number): Promise<void> {
  const size = knownSize ?? (await stat(filePath)).size;
  if (size > MAX_PDF_BYTES) throw new ArchiveError('too-large', `The PDF is ${Math.round(size / 2 ** 20)} MiB, over the ${MAX_PDF_BYTES / 2 ** 20} MiB limit.`, 'pdf');
}

export function pdfIndexFrom(result: PdfIndexResult, limits: ArchiveLimits): ArchiveIndex {
  if (result.loadError !== 0) throw loadFailure(result.loadError);
  if (result.pageCount > limits.maxEntries) throw new ArchiveError('too-large', `The PDF has ${result.pageCount} pages, over the ${limits.maxEntries}-page limit.`, 'pdf');
  const entries: ArchiveEntry[] = result.pages.map((page, i) => {
    const embeddedJpeg = page.imageFilters !== null && page.imageFilters.length === 1 && page.imageFilters[0] === 'DCTDecode';
    return { name: pageName(i, embeddedJpeg), size: page.imageBytes, compressedSize: page.imageBytes, crc32: 0, isDirectory: false, isEncrypted: false, pageOrder: i };
  });
  return {
    format: 'pdf',
    entries,
    comment: null,
    document: { source: 'pdf', metadata: pdfInfoMetadata(result.info), embeddedXml: embeddedComicXml(result.info.Keywords, result.info.Subject) },
  };
}

/** `knownSize`: the caller's fstat of the file (the index pass), so no stat of its own. */
export async function readPdfIndex(filePath: string, limits: ArchiveLimits, knownSize?: number): Promise<ArchiveIndex> {
  await checkSize(filePath, knownSize);
  return pdfIndexFrom(await wasmWorker().run({ op: 'pdf-index', path: filePath, maxPages: limits.maxEntries }), limits);
}

let sharpModule: Promise<typeof Sharp> | null = null;
function loadSharp(): Promise<typeof Sharp> {
  sharpModule ??= import('sharp').then(({ default: sharp }) => sharp);
  return sharpModule;
}

/** One page's image: the embedded JPEG as stored, or the page rendered and encoded as the name says. */
export async function readPdfEntry(filePath: string, entryName: string, maxBytes: number): Promise<Buffer> {
  const match = PAGE_NAME.exec(entryName);
  if (!match) throw new ArchiveError('corrupt', `PDF entry "${entryName}" not found`, 'pdf');
  await checkSize(filePath);
  const index = Number(match[1]) - 1;
  const jpeg = match[2] === 'jpg';
  const page = await wasmWorker().run({ op: 'pdf-page', path: filePath, page: index, mode: jpeg ? 'embedded' : 'render', maxPixels: RENDER_MAX_PIXELS });
  if (page.loadError !== 0) throw loadFailure(page.loadError);
  let data: Buffer;
  if (page.kind === 'embedded') data = Buffer.from(page.data.buffer, page.data.byteOffset, page.data.byteLength);
  else {
    const sharp = await loadSharp();
    const image = sharp(Buffer.from(page.data.buffer, page.data.byteOffset, page.data.byteLength), { raw: { width: page.width, height: page.height, channels: 4 } });
    data = jpeg ? await image.flatten({ background: '#ffffff' }).jpeg({ quality: 90 }).toBuffer() : await image.png({ compressionLevel: 6 }).toBuffer();
  }
  if (data.length > maxBytes) throw new ArchiveError('too-large', `Page ${index + 1} is ${data.length} bytes, over the ${maxBytes}-byte limit.`, 'pdf');
  return data;
}
