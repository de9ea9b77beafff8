// A page worker thread: answers list/read requests with its own PageReader (its own open archives),
// so archive parsing, inflating, CRC checks and unrar never run on the host's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { PageReader } from './page-reader.js';
import { serializeFailure, type PageWorkerRequest, type PageWorkerResponse } from './page-protocol.js';

const port = parentPort;
if (port === null) throw new Error('page-worker.ts runs as a worker thread only');
const options = (workerData ?? {}) as { maxOpen?: number; solidCacheBytes?: number };
const reader = new PageReader(options);

port.on('message', (request: PageWorkerRequest) => {
  void answer(request).then((response) => {
    if ('data' in response && response.ok) {
      const data = response.data;
      // Hand the bytes over without a copy when they own their whole buffer.
      const transferable = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer;
      port.postMessage(response, transferable ? [data.buffer as ArrayBuffer] : []);
    } else {
      port.postMessage(response);
    }
  });
});

async function answer(request: PageWorkerRequest): Promise<PageWorkerResponse> {
  try {
    if (request.op === 'list') return { id: request.id, ok: true, list: await reader.list(request.file, request.key) };
    return { id: request.id, ok: true, data: await reader.read(request.file, request.key, request.name, request.maxBytes) };
  } catch (error) {
    return { id: request.id, ok: false, failure: serializeFailure(error) };
  }
}
