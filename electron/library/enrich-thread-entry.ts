// One enrichment thread of the rebuild worker: enrichFile (open, directory, ComicInfo, parse, merge,
// fingerprint) for each task the pool sends, several in flight (the reads are asynchronous), one reply
// per task. enrichFile never throws: every failure is already an error row.
import { parentPort, workerData } from 'node:worker_threads';
import { enrichFile } from './enrich.js';
import { IndexIo } from './index-io.js';
import type { EnrichReply, EnrichRequest, EnrichThreadData } from './enrich-protocol.js';

const data = workerData as EnrichThreadData;
const hang = new Set(data.faults?.hang ?? []);
const crash = new Set(data.faults?.crash ?? []);
// Threads live for one rebuild: one read mode per thread and rebuild.
const io = new IndexIo();

parentPort!.on('message', (task: EnrichRequest) => {
  if (task.type === 'ping') {
    parentPort!.postMessage({ type: 'pong' } satisfies EnrichReply);
    return;
  }
  // The test's hanging file: a parser stuck in a loop, which only terminating the thread stops.
  let spins = 0;
  while (hang.has(task.file.path)) spins++;
  void spins;
  // The test's crashing file: the thread dies at once, before it answers the files queued behind it
  // (as a native crash would).
  if (crash.has(task.file.path)) throw new Error(`test crash on ${task.file.path}`);
  void enrichFile(data.root, task.file, io, task.prior).then((row) => {
    const reply: EnrichReply = { type: 'row', id: task.id, row };
    parentPort!.postMessage(reply);
  });
});

// Tasks are sent (and their time limits start) only from here on: loading the modules is not a file's time.
const ready: EnrichReply = { type: 'ready' };
parentPort!.postMessage(ready);
