// Parses 7-Zip's technical listing (`7zz l -slt`) and its error lines into entries or an ArchiveError.
// Pure functions over strings, so the fuzz tests can throw anything at them.
import { ArchiveError, type ArchiveEntry } from './types.js';

export interface SevenZipEntry extends ArchiveEntry {
  /** Solid block (folder) index; entries sharing one decode together. Null for empty files and folders. */
  block: number | null;
}

/** The failure 7-Zip's messages describe, or null when they describe none. */
export function sevenZipFailure(rc: number, out: readonly string[], err: readonly string[]): ArchiveError | null {
  const text = [...err, ...out].join('\n');
  if (/Cannot open encrypted archive|Wrong password|Data Error in encrypted file/i.test(text)) {
    return new ArchiveError('encrypted', 'The archive is password protected.', '7z');
  }
  if (/Unexpected end of archive|Unexpected end of data/i.test(text)) {
    return new ArchiveError('truncated', 'The 7z archive ends early (truncated or still downloading).', '7z');
  }
  if (/There are some data after the end of the payload|Headers Error|Cannot open the file as|Can not open the file as|Data Error|CRC Failed|Unsupported Method/i.test(text)) {
    const reason = /Unsupported Method/i.test(text) ? 'uses an unsupported compression method' : 'is damaged';
    return new ArchiveError('corrupt', `The 7z archive ${reason}.`, '7z');
  }
  if (/Can not open|Cannot open|No more files|Is not archive/i.test(text) || rc >= 2) {
    return new ArchiveError('corrupt', 'The 7z archive could not be read.', '7z');
  }
  return null;
}

function hexCrc(value: string | undefined): number {
  if (!value || !/^[0-9A-Fa-f]{1,8}$/.test(value)) return 0;
  return parseInt(value, 16) >>> 0;
}

function size(value: string | undefined): number {
  if (!value || !/^\d{1,16}$/.test(value)) return 0;
  return Number(value);
}

/**
 * Entries from `l -slt` output. The archive's own properties come before the `----------` line; each
 * entry after it is a block of `Key = Value` lines ended by a blank line.
 */
export function parseSevenZipListing(lines: readonly string[], maxEntries: number): SevenZipEntry[] {
  const start = lines.indexOf('----------');
  if (start < 0) throw new ArchiveError('corrupt', 'The 7z listing has no entry section.', '7z');
  const entries: SevenZipEntry[] = [];
  let fields = new Map<string, string>();
  const flush = () => {
    if (!fields.has('Path')) {
      fields = new Map();
      return;
    }
    if (entries.length >= maxEntries) throw new ArchiveError('too-large', `The archive has more than ${maxEntries} entries.`, '7z');
    const attributes = fields.get('Attributes') ?? '';
    const block = fields.get('Block');
    entries.push({
      name: fields.get('Path')!,
      size: size(fields.get('Size')),
      compressedSize: size(fields.get('Packed Size')),
      crc32: hexCrc(fields.get('CRC')),
      // 7-Zip prints the Windows attribute letters first ("RHS8DA…", then a space and the POSIX mode):
      // a 'D' among them is the directory bit, wherever it stands (a read-only folder is "RD").
      isDirectory: fields.get('Folder') === '+' || /^[^ ]*D/.test(attributes),
      isEncrypted: fields.get('Encrypted') === '+',
      block: block !== undefined && /^\d{1,9}$/.test(block) ? Number(block) : null,
    });
    fields = new Map();
  };
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') {
      flush();
      continue;
    }
    const eq = line.indexOf(' = ');
    if (eq > 0) fields.set(line.slice(0, eq), line.slice(eq + 3));
    else if (line.endsWith(' =')) fields.set(line.slice(0, -2), '');
  }
  flush();
  return entries;
}
