// Container detection by magic bytes. The extension is never trusted: a `.cbz` that is really a RAR is
// read as a RAR, and a text file named `.cbz` is 'unknown'.
import type { ComicFormat } from '../../../shared/types.js';

/** How many leading bytes `detectFormat` wants to see (tar's magic sits at 257, PDF may start late). */
export const DETECT_HEAD_BYTES = 4096;

const ZIP_LOCAL_HEADER = 0x04034b50;
const ZIP_END_OF_CENTRAL_DIRECTORY = 0x06054b50;
// Split/spanned archives start with a marker followed by the first local header.
const ZIP_SPANNED_MARKER = 0x08074b50;
const ZIP_SPANNED_MARKER_OLD = 0x30304b50; // "PK00"

const RAR4_SIGNATURE = Buffer.from('Rar!\x1a\x07\x00', 'latin1');
const RAR5_SIGNATURE = Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1');
const SEVEN_ZIP_SIGNATURE = Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]);
const TAR_MAGIC = Buffer.from('ustar', 'latin1');
const TAR_MAGIC_OFFSET = 257;
const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');
// Readers accept "%PDF-" anywhere in the first KiB (some writers prepend junk).
const PDF_SEARCH_BYTES = 1024;
const EPUB_MIMETYPE_NAME = Buffer.from('mimetype', 'latin1');
const EPUB_MIMETYPE = Buffer.from('application/epub+zip', 'latin1');

function startsWith(head: Buffer, magic: Buffer, offset = 0): boolean {
  return head.length >= offset + magic.length && head.compare(magic, 0, magic.length, offset, offset + magic.length) === 0;
}

/** The EPUB rule (OCF): the first local entry is a stored `mimetype` holding `application/epub+zip`. */
function isEpub(head: Buffer): boolean {
  if (head.length < 30) return false;
  const nameLength = head.readUInt16LE(26);
  const extraLength = head.readUInt16LE(28);
  if (nameLength !== EPUB_MIMETYPE_NAME.length || !startsWith(head, EPUB_MIMETYPE_NAME, 30)) return false;
  return startsWith(head, EPUB_MIMETYPE, 30 + nameLength + extraLength);
}

/** Detects the container from the first bytes of a file (pass at least DETECT_HEAD_BYTES when available). */
export function detectFormat(head: Buffer): ComicFormat {
  if (head.length >= 4) {
    const signature = head.readUInt32LE(0);
    if (signature === ZIP_LOCAL_HEADER) return isEpub(head) ? 'epub' : 'zip';
    if (signature === ZIP_END_OF_CENTRAL_DIRECTORY) return 'zip';
    if ((signature === ZIP_SPANNED_MARKER || signature === ZIP_SPANNED_MARKER_OLD) && head.length >= 8) {
      if (head.readUInt32LE(4) === ZIP_LOCAL_HEADER) return 'zip';
    }
  }
  if (startsWith(head, RAR5_SIGNATURE) || startsWith(head, RAR4_SIGNATURE)) return 'rar';
  if (startsWith(head, SEVEN_ZIP_SIGNATURE)) return '7z';
  if (startsWith(head, TAR_MAGIC, TAR_MAGIC_OFFSET)) return 'tar';
  const pdfWindow = head.subarray(0, PDF_SEARCH_BYTES);
  if (pdfWindow.indexOf(PDF_MAGIC) !== -1) return 'pdf';
  return 'unknown';
}

/** RAR generation from the signature; only meaningful when detectFormat said 'rar'. */
export function rarVersion(head: Buffer): 4 | 5 {
  return startsWith(head, RAR5_SIGNATURE) ? 5 : 4;
}
