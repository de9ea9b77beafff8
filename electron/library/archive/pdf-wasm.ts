// PDFium (WebAssembly, @hyzyla/pdfium's build, driven through its raw FPDF_* exports) inside the format
// worker: page count, Info dictionary, and per page either the one full-page embedded image (the usual
// comic PDF: a JPEG per page, served as is) or a rendering to RGBA pixels (encoded by the engine).
//
// PDFium reads from memory, so the file is copied into the WASM heap; the last document stays open
// (page after page of one book is the reader's pattern) and is closed when another file is asked for.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PDFiumModule } from '@hyzyla/pdfium';
import type { PdfIndexResult, PdfPageInfo, PdfPageResult } from './wasm-protocol.js';

/** The raw PDFium exports used here (the package types only its wrapper classes). */
interface Pdfium {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _FPDF_InitLibrary(): void;
  _FPDF_LoadMemDocument(ptr: number, size: number, password: number): number;
  _FPDF_CloseDocument(doc: number): void;
  _FPDF_GetLastError(): number;
  _FPDF_GetPageCount(doc: number): number;
  _FPDF_GetMetaText(doc: number, tag: number, buffer: number, length: number): number;
  _FPDF_LoadPage(doc: number, index: number): number;
  _FPDF_ClosePage(page: number): void;
  _FPDF_GetPageWidthF(page: number): number;
  _FPDF_GetPageHeightF(page: number): number;
  _FPDFPage_CountObjects(page: number): number;
  _FPDFPage_GetObject(page: number, index: number): number;
  _FPDFPageObj_GetType(object: number): number;
  _FPDFPageObj_GetBounds(object: number, left: number, bottom: number, right: number, top: number): number;
  _FPDFTextObj_GetTextRenderMode(object: number): number;
  _FPDFImageObj_GetImageFilterCount(object: number): number;
  _FPDFImageObj_GetImageFilter(object: number, index: number, buffer: number, length: number): number;
  _FPDFImageObj_GetImageDataRaw(object: number, buffer: number, length: number): number;
  _FPDFImageObj_GetImagePixelSize(object: number, width: number, height: number): number;
  _FPDFBitmap_CreateEx(width: number, height: number, format: number, first: number, stride: number): number;
  _FPDFBitmap_FillRect(bitmap: number, left: number, top: number, width: number, height: number, color: number): void;
  _FPDFBitmap_GetBuffer(bitmap: number): number;
  _FPDFBitmap_GetStride(bitmap: number): number;
  _FPDFBitmap_Destroy(bitmap: number): void;
  _FPDF_RenderPageBitmap(bitmap: number, page: number, x: number, y: number, w: number, h: number, rotate: number, flags: number): void;
}

const OBJECT_TEXT = 1;
const OBJECT_IMAGE = 3;
const TEXT_INVISIBLE = 3;
const BITMAP_BGRA = 4;
const RENDER_ANNOTATIONS = 0x01;
const RENDER_RGBA = 0x10; // FPDF_REVERSE_BYTE_ORDER: RGBA instead of BGRA
/** An image covering at least this share of the page is "the page". */
const FULL_PAGE_SHARE = 0.9;
const INFO_KEYS = ['Title', 'Author', 'Subject', 'Keywords', 'Creator', 'Producer', 'CreationDate'];

let pdfium: Promise<Pdfium> | null = null;
let loaded: Pdfium | null = null;

function load(): Promise<Pdfium> {
  pdfium ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmPath = require.resolve('@hyzyla/pdfium/pdfium.wasm');
    const module = (await PDFiumModule({ wasmBinary: new Uint8Array(readFileSync(wasmPath)).buffer })) as unknown as Pdfium;
    module._FPDF_InitLibrary();
    loaded = module;
    return module;
  })();
  pdfium.catch(() => {
    pdfium = null;
  });
  return pdfium;
}

interface OpenDocument {
  key: string;
  doc: number;
  buffer: number;
}

let open: OpenDocument | null = null;

function closeOpen(m: Pdfium): void {
  if (!open) return;
  m._FPDF_CloseDocument(open.doc);
  m._free(open.buffer);
  open = null;
}

/** Opens (or reuses) the document; returns its handle or the PDFium load error. */
function openDocument(m: Pdfium, filePath: string): { doc: number; error: number } {
  const stats = statSync(filePath);
  const key = `${filePath}\0${stats.size}\0${stats.mtimeMs}`;
  if (open?.key === key) return { doc: open.doc, error: 0 };
  closeOpen(m);
  const bytes = readFileSync(filePath);
  const buffer = m._malloc(bytes.length);
  if (buffer === 0) return { doc: 0, error: -1 };
  m.HEAPU8.set(bytes, buffer);
  const doc = m._FPDF_LoadMemDocument(buffer, bytes.length, 0);
  if (doc === 0) {
    const error = m._FPDF_GetLastError();
    m._free(buffer);
    return { doc: 0, error: error || 1 };
  }
  open = { key, doc, buffer };
  return { doc, error: 0 };
}

function metaText(m: Pdfium, doc: number, tag: string): string {
  const tagBytes = Buffer.from(`${tag}\0`, 'latin1');
  const tagPtr = m._malloc(tagBytes.length);
  m.HEAPU8.set(tagBytes, tagPtr);
  try {
    const length = m._FPDF_GetMetaText(doc, tagPtr, 0, 0);
    if (length <= 2) return '';
    const out = m._malloc(length);
    try {
      m._FPDF_GetMetaText(doc, tagPtr, out, length);
      return Buffer.from(m.HEAPU8.subarray(out, out + length - 2)).toString('utf16le');
    } finally {
      m._free(out);
    }
  } finally {
    m._free(tagPtr);
  }
}

function imageFilters(m: Pdfium, object: number): string[] {
  const filters: string[] = [];
  const count = m._FPDFImageObj_GetImageFilterCount(object);
  for (let i = 0; i < count; i++) {
    const length = m._FPDFImageObj_GetImageFilter(object, i, 0, 0);
    const ptr = m._malloc(length);
    m._FPDFImageObj_GetImageFilter(object, i, ptr, length);
    filters.push(Buffer.from(m.HEAPU8.subarray(ptr, ptr + length - 1)).toString('latin1'));
    m._free(ptr);
  }
  return filters;
}

/** The page's one full-page image object, or 0 when the page has anything else visible (or no such image). */
function fullPageImage(m: Pdfium, page: number): number {
  const area = m._FPDF_GetPageWidthF(page) * m._FPDF_GetPageHeightF(page);
  const count = m._FPDFPage_CountObjects(page);
  let image = 0;
  const box = m._malloc(16);
  try {
    for (let i = 0; i < count; i++) {
      const object = m._FPDFPage_GetObject(page, i);
      const type = m._FPDFPageObj_GetType(object);
      // Invisible text is a scan's OCR layer: the image is still the whole page.
      if (type === OBJECT_TEXT && m._FPDFTextObj_GetTextRenderMode(object) === TEXT_INVISIBLE) continue;
      if (type !== OBJECT_IMAGE || image !== 0) return 0;
      if (!m._FPDFPageObj_GetBounds(object, box, box + 4, box + 8, box + 12)) return 0;
      const [left, bottom, right, top] = new Float32Array(m.HEAPU8.buffer, box, 4);
      if (area <= 0 || ((right - left) * (top - bottom)) / area < FULL_PAGE_SHARE) return 0;
      image = object;
    }
  } finally {
    m._free(box);
  }
  return image;
}

function inspectPage(m: Pdfium, doc: number, index: number): PdfPageInfo {
  const page = m._FPDF_LoadPage(doc, index);
  if (page === 0) return { imageFilters: null, imageBytes: 0 };
  try {
    const image = fullPageImage(m, page);
    if (image === 0) return { imageFilters: null, imageBytes: 0 };
    return { imageFilters: imageFilters(m, image), imageBytes: m._FPDFImageObj_GetImageDataRaw(image, 0, 0) };
  } finally {
    m._FPDF_ClosePage(page);
  }
}

export async function pdfIndex(filePath: string, maxPages: number): Promise<PdfIndexResult> {
  const m = await load();
  const { doc, error } = openDocument(m, filePath);
  if (doc === 0) return { loadError: error, pageCount: 0, info: {}, pages: [] };
  const pageCount = m._FPDF_GetPageCount(doc);
  const info: Record<string, string> = {};
  for (const key of INFO_KEYS) {
    const value = metaText(m, doc, key);
    if (value.trim() !== '') info[key] = value;
  }
  const pages: PdfPageInfo[] = [];
  for (let i = 0; i < Math.min(pageCount, maxPages); i++) pages.push(inspectPage(m, doc, i));
  return { loadError: 0, pageCount, info, pages };
}

function renderPage(m: Pdfium, page: number, maxPixels: number): PdfPageResult {
  const widthPt = m._FPDF_GetPageWidthF(page);
  const heightPt = m._FPDF_GetPageHeightF(page);
  // 2.5× (180 dpi) at most, fewer when that would pass the pixel budget.
  const scale = Math.min(2.5, Math.sqrt(maxPixels / Math.max(1, widthPt * heightPt)));
  const width = Math.max(1, Math.floor(widthPt * scale));
  const height = Math.max(1, Math.floor(heightPt * scale));
  const bitmap = m._FPDFBitmap_CreateEx(width, height, BITMAP_BGRA, 0, 0);
  if (bitmap === 0) throw new Error(`could not allocate a ${width}×${height} bitmap`);
  try {
    m._FPDFBitmap_FillRect(bitmap, 0, 0, width, height, 0xffffffff);
    m._FPDF_RenderPageBitmap(bitmap, page, 0, 0, width, height, 0, RENDER_ANNOTATIONS | RENDER_RGBA);
    const stride = m._FPDFBitmap_GetStride(bitmap);
    const start = m._FPDFBitmap_GetBuffer(bitmap);
    const data = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++) data.set(m.HEAPU8.subarray(start + y * stride, start + y * stride + width * 4), y * width * 4);
    return { loadError: 0, kind: 'rgba', data, width, height };
  } finally {
    m._FPDFBitmap_Destroy(bitmap);
  }
}

export async function pdfPage(filePath: string, index: number, mode: 'embedded' | 'render', maxPixels: number): Promise<PdfPageResult> {
  const m = await load();
  const { doc, error } = openDocument(m, filePath);
  if (doc === 0) return { loadError: error, kind: 'rgba', data: new Uint8Array(0), width: 0, height: 0 };
  if (index < 0 || index >= m._FPDF_GetPageCount(doc)) throw new Error(`the PDF has no page ${index + 1}`);
  const page = m._FPDF_LoadPage(doc, index);
  if (page === 0) throw new Error(`page ${index + 1} could not be loaded (damaged)`);
  try {
    if (mode === 'embedded') {
      const image = fullPageImage(m, page);
      if (image !== 0) {
        const length = m._FPDFImageObj_GetImageDataRaw(image, 0, 0);
        const ptr = m._malloc(length);
        try {
          m._FPDFImageObj_GetImageDataRaw(image, ptr, length);
          return { loadError: 0, kind: 'embedded', data: new Uint8Array(m.HEAPU8.subarray(ptr, ptr + length)), width: 0, height: 0 };
        } finally {
          m._free(ptr);
        }
      }
    }
    return renderPage(m, page, maxPixels);
  } finally {
    m._FPDF_ClosePage(page);
  }
}

/** Current size of PDFium's WebAssembly heap (0 before first use): heaps grow and never shrink. */
export function pdfHeapBytes(): number {
  return loaded?.HEAPU8.length ?? 0;
}
