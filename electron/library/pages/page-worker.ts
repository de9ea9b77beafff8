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
  // The page's bytes are copied to the host (structured clone), never transferred: the archive layers
  // keep pages they decoded together in caches (a 7z solid window, a solid RAR's pass), and a
  // transferred buffer is detached on this side, so the next read of that page from the cache was an
  // empty buffer whose transfer threw and left the request unanswered (the reader hung on it). A copy
  // costs about a millisecond for a few MB; a reply that still cannot be posted becomes an error reply.
  void answer(request).then((response) => {
    try {
      port.postMessage(response);
    } catch (error) {
      port.postMessage({ id: request.id, ok: false, failure: serializeFailure(error) } satisfies PageWorkerResponse);
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
