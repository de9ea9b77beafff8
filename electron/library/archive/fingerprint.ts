// Content fingerprints that survive renames, moves and remounts (docs/architecture.md §4), computed from what
// the index pass already read: no extra I/O for archives with a directory.
import { createHash } from 'node:crypto';
import type { ReadableFile } from './file-io.js';
import { readExactly } from './file-io.js';
import type { ArchiveEntry } from './types.js';

const EDGE_BYTES = 64 * 1024;

/**
 * sha1 over the file size and the entries' (size, CRC-32) pairs, sorted. Names are left out on purpose:
 * the same comic with renamed pages is still the same comic. Directories carry no content and are skipped.
 */
export function fingerprintFromIndex(size: number, entries: readonly ArchiveEntry[]): string {
  const pairs: Array<[number, number]> = [];
  for (const entry of entries) if (!entry.isDirectory) pairs.push([entry.size, entry.crc32 >>> 0]);
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const hash = createHash('sha1');
  hash.update(`longbox-index-v1:${size}:${pairs.length}\n`);
  // One 12-byte record per entry (size as 48 bits, 2 zero bytes, CRC-32), hashed in one update.
  const records = Buffer.alloc(12 * pairs.length);
  pairs.forEach(([entrySize, crc], i) => {
    records.writeUIntLE(entrySize, 12 * i, 6);
    records.writeUInt32LE(crc, 12 * i + 8);
  });
  hash.update(records);
  return hash.digest('hex');
}

/** sha1 over the size and the first and last 64 KiB, for files without a directory (broken files). */
export async function fingerprintFromEdges(handle: ReadableFile, size: number): Promise<string> {
  const hash = createHash('sha1');
  hash.update(`longbox-edges-v1:${size}\n`);
  const headLength = Math.min(size, EDGE_BYTES);
  if (headLength > 0) hash.update(await readExactly(handle, headLength, 0));
  // The tail never overlaps the head, so small files are hashed once.
  const tailLength = Math.min(size - headLength, EDGE_BYTES);
  if (tailLength > 0) hash.update(await readExactly(handle, tailLength, size - tailLength));
  return hash.digest('hex');
}
