// The index pass for ZIP: reads only the central directory from the file's tail. One read of the last
// ≤ 64 KiB + 22 bytes finds the end record and, for nearly every comic, the whole directory with it; a
// second read happens only when the directory does not fit. No per-entry I/O (yauzl makes one read per
// entry and is 17–40× slower here, see docs/architecture.md §8), and every offset is checked against the size.
import type { ReadableFile } from './file-io.js';
import { isUtf8 } from 'node:buffer';
import { decodeCp437 } from './cp437.js';
import { readExactly, readUInt64LE } from './file-io.js';
import { decodeZipNameAt, findExtraField, UNICODE_PATH_EXTRA_ID, ZIP_FLAG_UTF8 } from './zip-names.js';
import { ArchiveError, type ArchiveEntry, type ArchiveLimits } from './types.js';

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_SIGNATURE_BYTES = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const EOCD_LENGTH = 22;
const MAX_COMMENT_LENGTH = 0xffff;
/** The largest tail that can hold an end record: the record plus the longest comment. */
export const ZIP_TAIL_BYTES = EOCD_LENGTH + MAX_COMMENT_LENGTH;

const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_LENGTH = 20;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const ZIP64_EOCD_LENGTH = 56;
const ZIP64_EXTRA_ID = 0x0001;

const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const CENTRAL_HEADER_LENGTH = 46;
const LOCAL_HEADER_LENGTH = 30;

const FLAG_ENCRYPTED = 0x1;
const DOS_DIRECTORY_ATTRIBUTE = 0x10;
// "Version made by" hosts whose external attributes carry MS-DOS bits: MS-DOS/OS2, NTFS, VFAT.
const DOS_ATTRIBUTE_HOSTS = new Set([0, 10, 14]);

/** Where an entry's data lives, for the extraction fast path. */
export interface ZipEntryLocation {
  localHeaderOffset: number;
  /** 0 = stored, 8 = deflate, others unsupported by the fast path. */
  method: number;
  flags: number;
}

export interface ZipDirectory {
  entries: ArchiveEntry[];
  /** Parallel to `entries`; only filled when asked for (`withLocations`). */
  locations: ZipEntryLocation[];
  comment: string | null;
  /** The bytes read from the end of the file (`size - tail.length` onwards), reusable for entry reads. */
  tail: Buffer;
}

export interface ReadZipDirectoryOptions {
  limits: Pick<ArchiveLimits, 'maxEntries'>;
  /** Bytes already read from the end of the file (e.g. the whole of a small file), to avoid a re-read. */
  tail?: Buffer;
  withLocations?: boolean;
}

interface EndRecord {
  /** Absolute position of the record that follows the central directory (EOCD or ZIP64 EOCD). */
  directoryEnd: number;
  directoryOffset: number;
  directorySize: number;
  entryCount: number;
  comment: string | null;
}

/** Reads the central directory of a ZIP of `size` bytes. Throws ArchiveError for every per-file problem. */
export async function readZipDirectory(handle: ReadableFile, size: number, options: ReadZipDirectoryOptions): Promise<ZipDirectory> {
  const tailLength = Math.min(size, ZIP_TAIL_BYTES);
  const tail =
    options.tail !== undefined && options.tail.length >= tailLength
      ? options.tail.subarray(options.tail.length - tailLength)
      : await readExactly(handle, tailLength, size - tailLength);
  const tailStart = size - tail.length;

  const end = await readEndRecord(handle, size, tail, tailStart);
  const { directoryOffset, directorySize, entryCount } = end;
  if (entryCount > options.limits.maxEntries) {
    throw new ArchiveError('too-large', `${entryCount} entries, more than the limit of ${options.limits.maxEntries}`);
  }
  if (directoryOffset + directorySize > size) {
    throw new ArchiveError('truncated', `central directory (${directorySize} bytes at ${directoryOffset}) runs past the end of the ${size}-byte file`);
  }
  if (directoryOffset + directorySize > end.directoryEnd) {
    // Bytes are missing between the directory's start and its end record (a cut in the middle).
    throw new ArchiveError('truncated', `central directory (${directorySize} bytes at ${directoryOffset}) overlaps its end record at ${end.directoryEnd}: bytes are missing`);
  }
  if (entryCount * CENTRAL_HEADER_LENGTH > directorySize) {
    throw new ArchiveError('corrupt', `central directory of ${directorySize} bytes cannot hold ${entryCount} entries`);
  }
  const maxDirectoryBytes = Math.max(16 * 1024 * 1024, options.limits.maxEntries * 1024);
  if (directorySize > maxDirectoryBytes) {
    throw new ArchiveError('too-large', `central directory of ${directorySize} bytes is over the ${maxDirectoryBytes}-byte limit`);
  }

  const directory = await bytesAt(handle, tail, tailStart, directoryOffset, directorySize);
  const { entries, locations } = parseCentralDirectory(directory, entryCount, {
    size,
    directoryOffset,
    maxEntries: options.limits.maxEntries,
    withLocations: options.withLocations === true,
  });
  return { entries, locations, comment: end.comment, tail };
}

/** `length` bytes at `offset`: from the tail already read when they lie in it (the caller checked they end before it ends), else read. */
async function bytesAt(handle: ReadableFile, tail: Buffer, tailStart: number, offset: number, length: number): Promise<Buffer> {
  return offset >= tailStart ? tail.subarray(offset - tailStart, offset - tailStart + length) : readExactly(handle, length, offset);
}

/** Finds the end record, scanning backwards; the candidate whose comment length reaches exactly the end wins. */
function findEndRecord(tail: Buffer): number {
  let fallback = -1;
  let from = tail.length - EOCD_LENGTH;
  while (from >= 0) {
    const at = tail.lastIndexOf(EOCD_SIGNATURE_BYTES, from);
    if (at < 0) break;
    if (at + EOCD_LENGTH <= tail.length) {
      const recordEnd = at + EOCD_LENGTH + tail.readUInt16LE(at + 20);
      if (recordEnd === tail.length) return at;
      // Tolerate trailing bytes after the comment, but prefer an exact match further back: a comment
      // may itself contain the signature bytes.
      if (recordEnd < tail.length && fallback < 0) fallback = at;
    }
    from = at - 1;
  }
  return fallback;
}

function decodeComment(bytes: Buffer): string | null {
  if (bytes.length === 0) return null;
  // ComicBookInfo JSON is written as UTF-8 by most taggers even though the spec says CP437.
  return isUtf8(bytes) ? bytes.toString('utf8') : decodeCp437(bytes);
}

async function readEndRecord(handle: ReadableFile, size: number, tail: Buffer, tailStart: number): Promise<EndRecord> {
  const at = findEndRecord(tail);
  if (at < 0) {
    throw new ArchiveError('truncated', 'no end-of-central-directory record: the file is cut short or is not a complete ZIP');
  }
  if (tail.readUInt32LE(at) !== EOCD_SIGNATURE) throw new ArchiveError('corrupt', 'bad end-of-central-directory record');
  const diskNumber = tail.readUInt16LE(at + 4);
  const directoryDisk = tail.readUInt16LE(at + 6);
  const entriesOnDisk = tail.readUInt16LE(at + 8);
  let entryCount = tail.readUInt16LE(at + 10);
  let directorySize = tail.readUInt32LE(at + 12);
  let directoryOffset = tail.readUInt32LE(at + 16);
  const commentLength = tail.readUInt16LE(at + 20);
  const comment = decodeComment(tail.subarray(at + EOCD_LENGTH, at + EOCD_LENGTH + commentLength));
  let directoryEnd = tailStart + at;

  const locatorAt = at - ZIP64_LOCATOR_LENGTH;
  const hasZip64Locator = locatorAt >= 0 && tail.readUInt32LE(locatorAt) === ZIP64_LOCATOR_SIGNATURE;
  if (hasZip64Locator) {
    const totalDisks = tail.readUInt32LE(locatorAt + 16);
    const recordOffset = readUInt64LE(tail, locatorAt + 8);
    if (totalDisks > 1) throw new ArchiveError('multi-volume', `split ZIP archive (${totalDisks} parts); only single-file archives are read`);
    if (recordOffset === null || recordOffset + ZIP64_EOCD_LENGTH > tailStart + locatorAt) {
      throw new ArchiveError(recordOffset !== null && recordOffset >= size ? 'truncated' : 'corrupt', 'ZIP64 end record offset is out of range');
    }
    const record = await bytesAt(handle, tail, tailStart, recordOffset, ZIP64_EOCD_LENGTH);
    if (record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) throw new ArchiveError('corrupt', 'bad ZIP64 end-of-central-directory record');
    const zip64Disk = record.readUInt32LE(16);
    const zip64DirectoryDisk = record.readUInt32LE(20);
    if (zip64Disk !== 0 || zip64DirectoryDisk !== 0) {
      throw new ArchiveError('multi-volume', 'split ZIP archive; only single-file archives are read');
    }
    const count = readUInt64LE(record, 32);
    const sizeOfDirectory = readUInt64LE(record, 40);
    const offsetOfDirectory = readUInt64LE(record, 48);
    if (count === null || sizeOfDirectory === null || offsetOfDirectory === null) {
      throw new ArchiveError('corrupt', 'ZIP64 end record holds impossible sizes');
    }
    entryCount = count;
    directorySize = sizeOfDirectory;
    directoryOffset = offsetOfDirectory;
    directoryEnd = recordOffset;
  } else {
    if (diskNumber !== 0 || directoryDisk !== 0) {
      throw new ArchiveError('multi-volume', `split ZIP archive (this is part ${diskNumber + 1}); only single-file archives are read`);
    }
    if (directoryOffset === 0xffffffff || directorySize === 0xffffffff) {
      throw new ArchiveError('corrupt', 'end record says ZIP64 but there is no ZIP64 locator');
    }
    if (entriesOnDisk !== entryCount) throw new ArchiveError('corrupt', 'end record entry counts disagree');
  }
  return { directoryEnd, directoryOffset, directorySize, entryCount, comment };
}

interface ParseContext {
  size: number;
  directoryOffset: number;
  maxEntries: number;
  withLocations: boolean;
}

function parseCentralDirectory(directory: Buffer, declaredCount: number, context: ParseContext): { entries: ArchiveEntry[]; locations: ZipEntryLocation[] } {
  const entries: ArchiveEntry[] = [];
  const locations: ZipEntryLocation[] = [];
  let pos = 0;
  // Writers without ZIP64 wrap the 16-bit count past 65,535 entries: keep reading while headers follow.
  while (entries.length < declaredCount || (pos + 4 <= directory.length && directory.readUInt32LE(pos) === CENTRAL_HEADER_SIGNATURE)) {
    const index = entries.length;
    if (index >= context.maxEntries) {
      throw new ArchiveError('too-large', `more than the limit of ${context.maxEntries} entries`);
    }
    if (pos + CENTRAL_HEADER_LENGTH > directory.length || directory.readUInt32LE(pos) !== CENTRAL_HEADER_SIGNATURE) {
      throw new ArchiveError('corrupt', `bad central directory header for entry ${index + 1} of ${declaredCount}`);
    }
    const madeByHost = directory[pos + 5];
    const flags = directory.readUInt16LE(pos + 8);
    const method = directory.readUInt16LE(pos + 10);
    const crc32 = directory.readUInt32LE(pos + 16);
    let compressedSize = directory.readUInt32LE(pos + 20);
    let size = directory.readUInt32LE(pos + 24);
    const nameLength = directory.readUInt16LE(pos + 28);
    const extraLength = directory.readUInt16LE(pos + 30);
    const commentLength = directory.readUInt16LE(pos + 32);
    const externalAttributes = directory.readUInt32LE(pos + 38);
    let localHeaderOffset = directory.readUInt32LE(pos + 42);
    const nameStart = pos + CENTRAL_HEADER_LENGTH;
    const extraStart = nameStart + nameLength;
    const next = extraStart + extraLength + commentLength;
    if (next > directory.length) {
      throw new ArchiveError('corrupt', `central directory entry ${index + 1} runs past the directory`);
    }
    const extra = extraLength > 0 ? directory.subarray(extraStart, extraStart + extraLength) : null;

    if (size === 0xffffffff || compressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) {
      const zip64 = extra === null ? null : findExtraField(extra, ZIP64_EXTRA_ID);
      if (zip64 === null) throw new ArchiveError('corrupt', `entry ${index + 1} needs a ZIP64 extra field and has none`);
      // Only the saturated fields are present, in this fixed order.
      let at = 0;
      const take = (): number => {
        const value = at + 8 <= zip64.length ? readUInt64LE(zip64, at) : null;
        if (value === null) throw new ArchiveError('corrupt', `entry ${index + 1} has a short or impossible ZIP64 extra field`);
        at += 8;
        return value;
      };
      if (size === 0xffffffff) size = take();
      if (compressedSize === 0xffffffff) compressedSize = take();
      if (localHeaderOffset === 0xffffffff) localHeaderOffset = take();
    }

    const dataEnd = localHeaderOffset + LOCAL_HEADER_LENGTH + compressedSize;
    if (dataEnd > context.size) {
      throw new ArchiveError('truncated', `entry ${index + 1} ends at ${dataEnd}, past the end of the ${context.size}-byte file`);
    }
    if (dataEnd > context.directoryOffset) {
      throw new ArchiveError('corrupt', `entry ${index + 1} overlaps the central directory`);
    }

    const unicodePath = extra === null || (flags & ZIP_FLAG_UTF8) !== 0 ? null : findExtraField(extra, UNICODE_PATH_EXTRA_ID);
    const name = decodeZipNameAt(directory, nameStart, extraStart, flags, unicodePath);
    const isDirectory =
      nameLength > 0 &&
      (directory[extraStart - 1] === 0x2f ||
        (DOS_ATTRIBUTE_HOSTS.has(madeByHost) && (externalAttributes & DOS_DIRECTORY_ATTRIBUTE) !== 0 && size === 0));
    entries.push({ name, size, compressedSize, crc32, isDirectory, isEncrypted: (flags & FLAG_ENCRYPTED) !== 0 });
    if (context.withLocations) locations.push({ localHeaderOffset, method, flags });
    pos = next;
  }
  return { entries, locations };
}
