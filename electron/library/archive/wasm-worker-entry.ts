// The WASM format worker thread: answers one request at a time from wasm-worker.ts (see wasm-protocol.ts).
import { parentPort } from 'node:worker_threads';
import type { WasmReply, WasmRequest, WasmResults } from './wasm-protocol.js';
import { sevenZipCreate, sevenZipExtract, sevenZipHeapBytes, sevenZipList } from './seven-zip-wasm.js';
import { pdfHeapBytes, pdfIndex, pdfPage } from './pdf-wasm.js';
import { messageOf } from '../../../shared/errors.js';

async function handle(request: WasmRequest): Promise<WasmResults[WasmRequest['op']]> {
  switch (request.op) {
    case '7z-list':
      return sevenZipList(request.path);
    case '7z-extract':
      return sevenZipExtract(request.path, request.names);
    case '7z-create':
      return sevenZipCreate(request.entries, request.level);
    case 'pdf-index':
      return pdfIndex(request.path, request.maxPages);
    case 'pdf-page':
      return pdfPage(request.path, request.page, request.mode, request.maxPixels);
  }
}

function transferables(result: unknown): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  const add = (data: unknown) => {
    if (data instanceof Uint8Array && data.buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength) out.push(data.buffer);
  };
  if (result && typeof result === 'object') {
    if ('data' in result) add(result.data);
    if ('archive' in result) add(result.archive);
    if ('files' in result && Array.isArray(result.files)) for (const file of result.files as Array<{ data: unknown }>) add(file.data);
  }
  return out;
}

parentPort?.on('message', (message: { id: number; request: WasmRequest }) => {
  void handle(message.request).then(
    (result) => {
      const reply: WasmReply = { id: message.id, ok: true, result, heapBytes: sevenZipHeapBytes() + pdfHeapBytes() };
      parentPort?.postMessage(reply, transferables(result));
    },
    (error: unknown) => {
      const reply: WasmReply = { id: message.id, ok: false, message: messageOf(error), heapBytes: sevenZipHeapBytes() + pdfHeapBytes() };
      parentPort?.postMessage(reply);
    },
  );
});
