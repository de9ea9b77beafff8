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
// archive comment (ComicBookInfo), the document metadata a PDF or EPUB index already carries (its
// OPF for an EPUB, PDFium's Info dictionary for a PDF), and ENRICH_VERSION.
import { createHash } from 'node:crypto';
import type { ArchiveIndex } from './archive/types.js';

/**
 * BUMP THIS whenever what enrichFile makes of a file changes: a parser (ComicInfo, MetronInfo,
 * ComicBookInfo, file name, PDF/EPUB metadata), the merge, page listing or cover choice, a limit, a
 * new column. Rows signed with another version are read again at their next change (a touch is
 * enough), as they would be by a forced rebuild.
 */
export const ENRICH_VERSION = 1;

/** A name the enrichment may read as metadata (findComicInfo / findMetronInfo choose among these). */
const METADATA_NAME = /(?:^|\/)(?:comicinfo|metroninfo)\.xml$/i;

/**
 * The signature of the row enrichFile makes of `index` at `path` (relative, with forward slashes), or
 * null when the listing cannot vouch for a metadata entry's content: an entry the enrichment may read
 * needs a CRC-32 (a tar has none, crc32 0, nor do some 7z entries; an empty entry's CRC is 0 anyway).
 * Such a file is always read. The chosen metadata entries (name, size, CRC) are hashed as part of the
 * listing, which decides them.
 */
export function enrichSignature(path: string, index: ArchiveIndex): string | null {
  const fileName = path.slice(path.lastIndexOf('/') + 1);
  // Length-prefixed fields keep them apart whatever they hold (a name with a newline or a '|'); one
  // string, one update (a JSON record per entry cost ≈ 3× more).
  const field = (text: string) => `${text.length}:${text}|`;
  let text = `longbox-enrich-v${ENRICH_VERSION}|${field(fileName)}${index.format}|${index.kind ?? 'comic'}|`;
  text += index.comment === null ? '-|' : field(index.comment);
  text += index.document === undefined ? '-|' : field(JSON.stringify(index.document));
  // One record per entry, in listing order (order breaks ties between equally deep metadata entries).
  text += `${index.entries.length}\n`;
  for (const entry of index.entries) {
    if (entry.size > 0 && entry.crc32 === 0 && !entry.isDirectory && METADATA_NAME.test(entry.name)) return null;
    const order = entry.pageOrder === undefined ? 'u' : entry.pageOrder === null ? 'n' : String(entry.pageOrder);
    text += `${field(entry.name)}${entry.size}|${entry.crc32 >>> 0}|${entry.isDirectory ? 'd' : 'f'}${entry.isEncrypted ? 'e' : 'p'}|${order}\n`;
  }
  const hash = createHash('sha1');
  hash.update(text);
  return hash.digest('hex');
}
