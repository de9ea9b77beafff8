// One reader thread of the LibraryService (read-pool.ts): its own read-only connection to library.db
// with user.db attached, answering the reads of store/read-methods.ts one message at a time. Each read
// is one read transaction on that connection, so it sees one complete generation; a later read sees
// whichever generation is live when it starts. Nothing here writes.
import { parentPort, workerData } from 'node:worker_threads';
import { LongboxError, toSerializedError, type SerializedError } from '../../shared/errors.js';
import type { ReadReply, ReadRequest, ReadThreadData } from './read-protocol.js';
import { isCorruptionError, openDatabase } from './store/open-database.js';
import { isReadName, openReadSide, runRead, type ReadArgs, type ReadName, type ReadSide } from './store/read-methods.js';

const data = workerData as ReadThreadData;
const exitOn = new Set(data.faults?.exitOn ?? []);

function serialized(err: unknown): SerializedError {
  if (isCorruptionError(err)) return { code: 'DB_CORRUPT', message: `The library cache is damaged: ${toSerializedError(err).message}` };
  return toSerializedError(err);
}

function post(reply: ReadReply): void {
  parentPort!.postMessage(reply);
}

let side: ReadSide;
try {
  const db = openDatabase(data.dbFile, { readonly: true, ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}) });
  side = openReadSide(db, data.userDbFile);
} catch (err) {
  post({ type: 'failed', error: serialized(err) });
  process.exit(1);
}

parentPort!.on('message', (request: ReadRequest) => {
  if (exitOn.has(request.name)) process.exit(3);
  try {
    if (!isReadName(request.name)) throw new LongboxError('INTERNAL', `unknown read ${String(request.name)}`);
    const value = runRead(side, request.name, request.args as ReadArgs<ReadName>);
    post({ type: 'answer', id: request.id, value });
  } catch (err) {
    post({ type: 'error', id: request.id, error: serialized(err) });
  }
});

post({ type: 'ready' });
