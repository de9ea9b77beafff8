// The enrichment signature: a hash of everything enrichFile's row depends on that the index pass
// knows before it reads any entry's data. A touched file (new mtime: a sync tool, a restore, a NAS
// remount) whose fresh listing gives the signature its row was written with keeps that row's
// enrichment: its ComicInfo.xml / MetronInfo.xml is not read, inflated or parsed again, and for a CB7
// the solid block is not decoded (enrich.ts, docs/architecture.md "Metadata reuse").
//
// What is hashed: the file's name (the file-name layer of the metadata; the folder plays no part in the
// enrichment, so a row moved to another folder keeps a signature that is still true), the format and book kind,
// the whole listing in order (names, sizes, CRC-32s, directory/encrypted flags, reading order: unlike
// the fingerprint, names matter here: they choose the pages, the cover and the metadata entries), the
// archive comment (ComicBookInfo), the document metadata a PDF or EPUB index already carries, the
// metadata entries that would be read (name, size, CRC) and ENRICH_VERSION.
import { createHash } from 'node:crypto';
import type { ArchiveEntry, ArchiveIndex } from './archive/types.js';
import { findComicInfo, findMetronInfo } from './archive/pages.js';

/**
 * BUMP THIS whenever what enrichFile makes of a file changes: a parser (ComicInfo, MetronInfo,
 * ComicBookInfo, file name, PDF/EPUB metadata), the merge, page listing or cover choice, a limit, a
 * new column. Rows signed with another version are read again at their next change (a touch is
 * enough), as they would be by a forced rebuild.
 */
export const ENRICH_VERSION = 1;

/**
 * An entry whose content the enrichment reads must carry a CRC-32 for its content to be known from the
 * listing: a tar has none (crc32 0), nor do some 7z entries. An empty entry's CRC is 0 anyway.
 */
function hasCrc(entry: ArchiveEntry): boolean {
  return entry.size === 0 || entry.crc32 !== 0;
}

/**
 * The signature of the row enrichFile makes of `index` at `path` (relative, with forward slashes), or null when the listing cannot
 * vouch for the metadata entries' content (no CRC): such a file is always read.
 */
export function enrichSignature(path: string, index: ArchiveIndex): string | null {
  const fileName = path.slice(path.lastIndexOf('/') + 1);
  const metadataEntries = [findComicInfo(index.entries), findMetronInfo(index.entries)];
  if (metadataEntries.some((entry) => entry !== undefined && !hasCrc(entry))) return null;
  const hash = createHash('sha1');
  // JSON keeps the fields apart whatever they hold (a name with a newline, a comment with a NUL).
  hash.update(JSON.stringify([`longbox-enrich-v${ENRICH_VERSION}`, fileName, index.format, index.kind ?? 'comic', index.comment, index.document ?? null]));
  hash.update('\n');
  const chosen = metadataEntries.map((entry) => (entry ? [entry.name, entry.size, entry.crc32 >>> 0] : null));
  hash.update(JSON.stringify(chosen));
  // One record per entry, in listing order (order breaks ties between equally deep metadata entries).
  const records: string[] = [];
  for (const entry of index.entries) {
    records.push(JSON.stringify([entry.name, entry.size, entry.crc32 >>> 0, entry.isDirectory ? 1 : 0, entry.isEncrypted ? 1 : 0, entry.pageOrder === undefined ? -1 : entry.pageOrder]));
  }
  hash.update(`\n${records.length}\n`);
  hash.update(records.join('\n'));
  return hash.digest('hex');
}
