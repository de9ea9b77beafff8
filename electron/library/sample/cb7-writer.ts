// CB7 (7z) for the sample library, written by 7-Zip itself (7z-wasm, in the format worker): a user's
// machine needs no 7z tool to build the sample library.
import { ArchiveError } from '../archive/types.js';
import { wasmWorker } from '../archive/wasm-worker.js';

export async function buildCb7(entries: ReadonlyArray<{ name: string; data: Buffer }>, options: { level?: number } = {}): Promise<Buffer> {
  const result = await wasmWorker().run({ op: '7z-create', entries: entries.map((e) => ({ name: e.name, data: new Uint8Array(e.data) })), level: options.level ?? 1 });
  if (result.rc >= 2 || result.archive.length === 0) throw new ArchiveError('corrupt', `7-Zip could not write the archive: ${result.err.join(' ').slice(0, 200)}`, '7z');
  return Buffer.from(result.archive.buffer, result.archive.byteOffset, result.archive.byteLength);
}
