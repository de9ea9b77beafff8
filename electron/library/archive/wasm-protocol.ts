// Messages between the engine and the WASM format worker (wasm-worker.ts ↔ wasm-worker-entry.ts).
// 7-Zip and PDFium are synchronous WebAssembly: they run in a worker thread so that a long decode or
// render never blocks the event loop that asked for it.

export interface SevenZipRunResult {
  /** 7-Zip's exit code: 0 ok, 1 warning, 2 fatal error. */
  rc: number;
  out: string[];
  err: string[];
}

export interface SevenZipExtractResult extends SevenZipRunResult {
  /** The requested entries that came out, by archive path. */
  files: Array<{ name: string; data: Uint8Array }>;
}

export interface PdfPageInfo {
  /** Filter chain of the page's one full-page image (e.g. ['DCTDecode']), null when the page must be rendered. */
  imageFilters: string[] | null;
  /** Size of the embedded image's encoded bytes (0 when rendered). */
  imageBytes: number;
}

export interface PdfIndexResult {
  /** FPDF_GetLastError when the document could not be opened (3 format, 4 password, …), else 0. */
  loadError: number;
  pageCount: number;
  /** Info dictionary entries that are present (Title, Author, Subject, Keywords, Creator, …). */
  info: Record<string, string>;
  /** Per page, up to the caller's maxPages. */
  pages: PdfPageInfo[];
}

export interface PdfPageResult {
  loadError: number;
  /** The embedded image's encoded bytes (kind 'embedded'), or RGBA pixels (kind 'rgba'). */
  kind: 'embedded' | 'rgba';
  data: Uint8Array;
  width: number;
  height: number;
}

export type WasmRequest =
  | { op: '7z-list'; path: string }
  | { op: '7z-extract'; path: string; names: string[] }
  | { op: '7z-create'; entries: Array<{ name: string; data: Uint8Array }>; level: number }
  | { op: 'pdf-index'; path: string; maxPages: number }
  | { op: 'pdf-page'; path: string; page: number; mode: 'embedded' | 'render'; maxPixels: number };

export interface WasmResults {
  '7z-list': SevenZipRunResult;
  '7z-extract': SevenZipExtractResult;
  '7z-create': SevenZipRunResult & { archive: Uint8Array };
  'pdf-index': PdfIndexResult;
  'pdf-page': PdfPageResult;
}

export type WasmReply =
  | { id: number; ok: true; result: WasmResults[keyof WasmResults]; heapBytes: number }
  | { id: number; ok: false; message: string; heapBytes: number };
