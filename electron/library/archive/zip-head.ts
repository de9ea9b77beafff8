// The first bytes of a ZIP entry without reading or inflating the rest: for image headers (page sizes).
import { constants, inflateRawSync } from 'node:zlib';
import { readExactly, type ReadableFile } from './file-io.js';
import type { ZipDirectory } from './zip-directory.js';
import { ArchiveError } from './types.js';

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_LENGTH = 30;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;

/** Where the entry's (compressed) data starts, from its local header. */
async function dataStart(handle: ReadableFile, size: number, directory: ZipDirectory, index: number): Promise<number> {
  const start = directory.locations[index].localHeaderOffset;
  if (start + LOCAL_HEADER_LENGTH > size) throw new ArchiveError('truncated', `ZIP entry "${directory.entries[index].name}" runs past the end of the file`);
  const header = await readExactly(handle, LOCAL_HEADER_LENGTH, start);
  if (header.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) throw new ArchiveError('corrupt', `ZIP entry "${directory.entries[index].name}" has a bad local header`);
  return start + LOCAL_HEADER_LENGTH + header.readUInt16LE(26) + header.readUInt16LE(28);
}

/**
 * Up to `bytes` bytes from the start of entry `index` (fewer when the entry is shorter). Stored: one
 * read. Deflated: reads at most `bytes` compressed bytes and inflates only them (a partial stream).
 * Not checked against the CRC: only for sniffing headers, never for serving.
 */
export async function readZipEntryHead(handle: ReadableFile, size: number, directory: ZipDirectory, index: number, bytes: number): Promise<Buffer> {
  const entry = directory.entries[index];
  if (entry.isEncrypted) throw new ArchiveError('encrypted', `ZIP entry "${entry.name}" is password protected`);
  const method = directory.locations[index].method;
  if (method !== METHOD_STORED && method !== METHOD_DEFLATE) {
    throw new ArchiveError('unsupported', `ZIP entry "${entry.name}" uses compression method ${method}`);
  }
  const at = await dataStart(handle, size, directory, index);
  const available = Math.max(0, Math.min(entry.compressedSize, size - at));
  if (method === METHOD_STORED) return readExactly(handle, Math.min(bytes, available), at);
  let input = await readExactly(handle, Math.min(bytes, available), at);
  for (;;) {
    try {
      // Z_SYNC_FLUSH: a cut stream yields what it has instead of failing with "unexpected end".
      const out = inflateRawSync(input, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: Math.max(bytes * 8, 1 << 20) });
      return out.subarray(0, bytes);
    } catch (error) {
      // Very compressible data (a BMP) inflates past the bound: try a shorter piece.
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' && input.length > 256) {
        input = input.subarray(0, input.length >> 2);
        continue;
      }
      throw new ArchiveError('corrupt', `ZIP entry "${entry.name}": ${(error as Error).message}`);
    }
  }
}
