// The 7z format's headers, read in TypeScript from positioned reads: the listing of a CB7 without a call
// into 7-Zip WASM. Layout (7-Zip's DOC/7zFormat.txt): a 32-byte signature header (magic, version, CRC of
// the next 20 bytes: offset, size and CRC of the "next header" near the end of the file). The next
// header is a kHeader, or a kEncodedHeader: streams info of one folder whose decoded bytes are the
// kHeader (7-Zip compresses headers with LZMA by default; lzma-decoder.ts).
//
// The result must equal what `7zz l -slt` + parseSevenZipListing give, so the checks follow 7-Zip 24's
// reader (CPP/7zip/Archive/7z/7zIn.cpp) closely: where 7-Zip would report a header error this throws
// 'corrupt' or 'truncated'; where it would list with a warning, or the listing would differ from the
// raw names (empty names, names 7-Zip prints rewritten), or a header coder is not LZMA/LZMA2/copy
// (BCJ, PPMd, AES-encrypted headers…), the result is `unsupported` and the caller asks 7-Zip WASM.
//
// Bounds: every count is checked against the bytes left before anything is allocated for it, entries
// against limits.maxEntries, numbers above 2^53 are refused, the header and its decoded form against
// MAX_HEADER_BYTES; every loop advances through a buffer of known size.
import { crc32 } from 'node:zlib';
import { readExactly, type ReadableFile } from './file-io.js';
import { decodeLzma1, decodeLzma2, LzmaDataError, parseLzmaProperties } from './lzma-decoder.js';
import type { SevenZipEntry } from './seven-zip-listing.js';
import { corrupt, countTrue, FILE_ATTRIBUTE_DIRECTORY, HeaderBytes, METHOD_AES, METHOD_COPY, METHOD_LZMA, METHOD_LZMA2, NID, Unsupported } from './seven-zip-header-bytes.js';
import { readStreamsInfo, type Folder, type StreamsInfo } from './seven-zip-streams.js';
import { ArchiveError } from './types.js';

/** Largest next header or decoded header accepted (a 20,000-entry header is a few MB). */
export const MAX_HEADER_BYTES = 64 * 1024 * 1024;
/** Bytes before the next header read along with it: the packed header usually sits right there. */
const LOOKBEHIND_BYTES = 16 * 1024;

const SIGNATURE = [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c];
const START_HEADER_BYTES = 32;

export type SevenZipHeaderResult = { kind: 'listed'; entries: SevenZipEntry[] } | { kind: 'unsupported'; reason: string };

interface FileItem {
  name: string;
  hasStream: boolean;
  isDir: boolean;
  size: number;
  crc: number | null;
  attrib: number | null;
}

/** The names property: `count` NUL-terminated UTF-16LE strings filling the property exactly. */
function readNames(r: HeaderBytes, count: number): string[] {
  r.noExternal();
  const names: string[] = [];
  let pos = r.pos;
  const end = r.end;
  for (let i = 0; i < count; i++) {
    let j = pos;
    while (j + 1 < end && (r.buf[j]! | r.buf[j + 1]!) !== 0) j += 2;
    if (j + 1 >= end) throw corrupt('a file name has no end');
    names.push(r.buf.toString('utf16le', pos, j));
    pos = j + 2;
  }
  if (pos !== end) throw corrupt('bytes after the file names');
  r.pos = end;
  return names;
}

/** Time or start-position vectors: only their size is checked (7-Zip rejects a wrong one). */
function skipUInt64Vector(r: HeaderBytes, count: number): void {
  const defined = r.definedBits(count);
  r.noExternal();
  r.skip(8 * countTrue(defined));
}

/**
 * Names that 7-Zip would not list as they are stored: empty (it lists a default name), with a newline
 * (printed as '?'), unpaired surrogates, or U+EF80–U+EFFF (its escape range for raw bytes), or too long.
 */
function listedAsStored(name: string): boolean {
  if (name.length === 0 || name.length >= (1 << 14) - 1) return false;
  return !/[\n\uef80-\uefff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(name);
}

function readFilesInfo(r: HeaderBytes, info: StreamsInfo, maxEntries: number): FileItem[] {
  const numFiles = r.num();
  if (numFiles > maxEntries) throw new ArchiveError('too-large', `The archive has more than ${maxEntries} entries.`, '7z');
  let emptyStream: boolean[] = [];
  let emptyFile: boolean[] = [];
  let names: string[] | null = null;
  let attribs: Array<number | null> = [];
  let numEmptyStreams = 0;
  for (;;) {
    const type = r.number();
    if (type === NID.end) break;
    const size = r.number();
    if (size > r.remaining) throw corrupt('a file property runs past the header');
    const p = new HeaderBytes(r.buf, r.pos, r.pos + size);
    switch (type) {
      case NID.name:
        names = readNames(p, numFiles);
        break;
      case NID.winAttributes: {
        const defined = p.definedBits(numFiles);
        p.noExternal();
        attribs = defined.map((d) => (d ? p.uint32() : null));
        break;
      }
      case NID.emptyStream:
        emptyStream = p.bits(numFiles);
        numEmptyStreams = countTrue(emptyStream);
        emptyFile = [];
        break;
      case NID.emptyFile:
        emptyFile = p.bits(numEmptyStreams);
        break;
      case NID.anti:
        // Anti items (deletions in update archives) are listed like other entries.
        p.bits(numEmptyStreams);
        break;
      case NID.startPos:
      case NID.cTime:
      case NID.aTime:
      case NID.mTime:
        skipUInt64Vector(p, numFiles);
        break;
      case NID.dummy:
        while (p.remaining > 0) if (p.byte() !== 0) throw corrupt('padding is not zero');
        break;
      default:
        // 7-Zip lists these with an "unsupported feature" warning; leave the verdict to it.
        throw new Unsupported(`file property ${type}`);
    }
    if (p.remaining !== 0) throw corrupt(`file property ${type} has extra bytes`);
    r.pos += size;
  }
  if (numFiles - numEmptyStreams !== info.unpackSizes.length) throw corrupt('files and streams disagree');
  if (names === null && numFiles > 0) throw new Unsupported('no file names');
  const fileNames = names ?? [];
  const files: FileItem[] = [];
  let sizeIndex = 0;
  let emptyIndex = 0;
  for (let i = 0; i < numFiles; i++) {
    const attrib = attribs[i] ?? null;
    if (emptyStream[i] !== true) {
      files.push({ name: fileNames[i]!, hasStream: true, isDir: false, size: info.unpackSizes[sizeIndex]!, crc: info.digests[sizeIndex] ?? null, attrib });
      sizeIndex++;
    } else {
      files.push({ name: fileNames[i]!, hasStream: false, isDir: emptyFile[emptyIndex] !== true, size: 0, crc: null, attrib });
      emptyIndex++;
    }
  }
  return files;
}

/** Which folder each file's data is in (null: none), and each folder's first file, as 7-Zip links them. */
function linkFiles(files: readonly FileItem[], folders: readonly Folder[]): { folderOf: Array<number | null>; firstFile: number[] } {
  const folderOf: Array<number | null> = [];
  const firstFile = new Array<number>(folders.length).fill(-1);
  let folderIndex = 0;
  let indexInFolder = 0;
  for (let i = 0; i < files.length; i++) {
    const emptyStream = !files[i]!.hasStream;
    if (indexInFolder === 0) {
      if (emptyStream) {
        folderOf.push(null);
        continue;
      }
      for (;;) {
        if (folderIndex >= folders.length) throw corrupt('more files than folders');
        firstFile[folderIndex] = i;
        if (folders[folderIndex]!.numUnpackStreams !== 0) break;
        folderIndex++;
      }
    }
    folderOf.push(folderIndex);
    if (emptyStream) continue;
    if (++indexInFolder >= folders[folderIndex]!.numUnpackStreams) {
      folderIndex++;
      indexInFolder = 0;
    }
  }
  if (indexInFolder !== 0) throw corrupt('a folder has fewer files than streams');
  for (; folderIndex < folders.length; folderIndex++) if (folders[folderIndex]!.numUnpackStreams !== 0) throw corrupt('a folder has no files');
  return { folderOf, firstFile };
}

function readHeader(r: HeaderBytes, rangeLimit: number, maxEntries: number): SevenZipEntry[] {
  let type = r.number();
  if (type === NID.archiveProperties) {
    for (;;) {
      if (r.number() === NID.end) break;
      r.skipData();
    }
    type = r.number();
  }
  if (type === NID.additionalStreamsInfo) throw new Unsupported('additional streams');
  let info: StreamsInfo = { dataOffset: 0, packSizes: [], folders: [], unpackSizes: [], digests: [] };
  if (type === NID.mainStreamsInfo) {
    info = readStreamsInfo(r, rangeLimit, maxEntries);
    type = r.number();
  }
  let files: FileItem[] = [];
  if (type === NID.filesInfo) {
    files = readFilesInfo(r, info, maxEntries);
    type = r.number();
  }
  const { folderOf, firstFile } = linkFiles(files, info.folders);
  if (type !== NID.end) throw new Unsupported('header continues after its end');
  if (r.remaining !== 0) throw corrupt('bytes after the header');
  const encrypted = info.folders.map((folder) => folder.coders.some((coder) => coder.methodId === METHOD_AES));
  const packSizeOf = (folder: Folder) => {
    let sum = 0;
    for (let i = 0; i < folder.numPackStreams; i++) sum += info.packSizes[folder.firstPackStream + i]!;
    return sum;
  };
  return files.map((file, i): SevenZipEntry => {
    if (!listedAsStored(file.name)) throw new Unsupported('a name 7-Zip lists differently');
    const folder = folderOf[i]!;
    const attrib = file.attrib ?? 0;
    return {
      name: file.name,
      size: file.size,
      compressedSize: folder !== null && firstFile[folder] === i ? packSizeOf(info.folders[folder]!) : 0,
      crc32: file.crc ?? 0,
      // 7-Zip lists the directory attribute for directories; a set attribute bit counts too.
      isDirectory: file.isDir || (attrib & FILE_ATTRIBUTE_DIRECTORY) !== 0,
      isEncrypted: folder !== null && encrypted[folder]!,
      block: folder,
    };
  });
}

/** Reads `[position, position + length)`, from `window` when it holds the range. */
interface ByteSource {
  read(position: number, length: number): Promise<Buffer>;
}

interface Window {
  start: number;
  bytes: Buffer;
}

function within(window: Window, position: number, length: number): Buffer | null {
  if (position < window.start || position + length > window.start + window.bytes.length) return null;
  return window.bytes.subarray(position - window.start, position - window.start + length);
}

function byteSource(handle: ReadableFile, windows: readonly Window[]): ByteSource {
  return {
    read(position, length) {
      for (const window of windows) {
        const hit = within(window, position, length);
        if (hit) return Promise.resolve(hit);
      }
      return readExactly(handle, length, position);
    },
  };
}

/** Decodes the one folder of an encoded header into the kHeader bytes. */
async function decodeHeaderFolder(info: StreamsInfo, source: ByteSource): Promise<Buffer> {
  const folder = info.folders[0]!;
  if (folder.coders.length !== 1 || folder.numPackStreams !== 1) throw new Unsupported('header coded by several coders');
  const coder = folder.coders[0]!;
  if (coder.methodId === METHOD_AES) throw new Unsupported('encrypted header');
  if (folder.unpackSize > MAX_HEADER_BYTES) throw new ArchiveError('too-large', `The 7z header is over ${MAX_HEADER_BYTES} bytes.`, '7z');
  let packStart = START_HEADER_BYTES + info.dataOffset;
  for (let i = 0; i < folder.firstPackStream; i++) packStart += info.packSizes[i]!;
  const packSize = info.packSizes[folder.firstPackStream]!;
  const packed = await source.read(packStart, packSize);
  let data: Uint8Array;
  try {
    switch (coder.methodId) {
      case METHOD_COPY:
        data = packed;
        break;
      case METHOD_LZMA:
        data = decodeLzma1(packed, parseLzmaProperties(coder.props), folder.unpackSize);
        break;
      case METHOD_LZMA2:
        if (coder.props.length !== 1) throw corrupt('LZMA2 properties');
        data = decodeLzma2(packed, coder.props[0]!, folder.unpackSize);
        break;
      default:
        throw new Unsupported(`header coder ${coder.methodId.toString(16)}`);
    }
  } catch (error) {
    if (error instanceof LzmaDataError) throw corrupt(`encoded header: ${error.message}`);
    throw error;
  }
  if (data.length !== folder.unpackSize) throw corrupt('encoded header size');
  if (folder.crc !== null && crc32(data) !== folder.crc) throw corrupt('encoded header CRC');
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

export interface SevenZipHeaderOptions {
  maxEntries: number;
  /** Bytes the caller already has from the start of the file (the index pass's head read). */
  head?: Buffer;
}

/**
 * Lists a 7z archive from its headers. Throws ArchiveError ('corrupt', 'truncated', 'too-large') for a
 * damaged or oversized header; returns `unsupported` for what 7-Zip WASM should read instead.
 */
export async function readSevenZipHeader(handle: ReadableFile, size: number, options: SevenZipHeaderOptions): Promise<SevenZipHeaderResult> {
  try {
    return { kind: 'listed', entries: await readHeaders(handle, size, options) };
  } catch (error) {
    if (error instanceof Unsupported) return { kind: 'unsupported', reason: error.message };
    throw error;
  }
}

async function readHeaders(handle: ReadableFile, size: number, options: SevenZipHeaderOptions): Promise<SevenZipEntry[]> {
  if (size < START_HEADER_BYTES) throw new ArchiveError('truncated', 'The 7z archive ends early (truncated or still downloading).', '7z');
  const head = options.head && options.head.length >= START_HEADER_BYTES ? options.head : await readExactly(handle, START_HEADER_BYTES, 0);
  if (SIGNATURE.some((b, i) => head[i] !== b)) throw corrupt('no 7z signature');
  if (head[6] !== 0) throw corrupt(`format version ${head[6]}`);
  if (crc32(head.subarray(12, 32)) !== head.readUInt32LE(8)) throw corrupt('start header CRC');
  const offsetLow = head.readUInt32LE(12);
  const offsetHigh = head.readUInt32LE(16);
  const sizeLow = head.readUInt32LE(20);
  const sizeHigh = head.readUInt32LE(24);
  const nextHeaderCrc = head.readUInt32LE(28);
  if (offsetHigh >= 0x200000 || sizeHigh >= 0x200000) throw corrupt('next header position over 2^53');
  const nextHeaderOffset = offsetHigh * 0x1_0000_0000 + offsetLow;
  const nextHeaderSize = sizeHigh * 0x1_0000_0000 + sizeLow;
  if (nextHeaderSize === 0) {
    if (nextHeaderOffset !== 0 || nextHeaderCrc !== 0) throw corrupt('empty archive with a header position');
    if (size !== START_HEADER_BYTES) throw new Unsupported('data after an empty archive');
    return [];
  }
  const headerStart = START_HEADER_BYTES + nextHeaderOffset;
  if (nextHeaderOffset + nextHeaderSize > size - START_HEADER_BYTES) {
    throw new ArchiveError('truncated', 'The 7z archive ends early (truncated or still downloading).', '7z');
  }
  // Bytes after the archive (padding, a second copy's tail…): 7-Zip lists it with a warning, so do we.
  if (nextHeaderSize > MAX_HEADER_BYTES) throw new ArchiveError('too-large', `The 7z header is over ${MAX_HEADER_BYTES} bytes.`, '7z');
  // One read for the next header and the bytes before it, where an encoded header's packed bytes are
  // (none when the caller's head holds the whole file).
  const windows: Window[] = options.head ? [{ start: 0, bytes: options.head }] : [];
  let header = windows[0] ? within(windows[0], headerStart, nextHeaderSize) : null;
  if (!header) {
    const windowStart = Math.max(START_HEADER_BYTES, headerStart - LOOKBEHIND_BYTES);
    const bytes = await readExactly(handle, headerStart + nextHeaderSize - windowStart, windowStart);
    windows.push({ start: windowStart, bytes });
    header = bytes.subarray(headerStart - windowStart);
  }
  const source = byteSource(handle, windows);
  if (crc32(header) !== nextHeaderCrc) throw corrupt('next header CRC');
  const r = new HeaderBytes(header);
  const type = r.number();
  if (type === NID.header) return readHeader(r, nextHeaderOffset, options.maxEntries);
  if (type !== NID.encodedHeader) throw corrupt('next header is neither a header nor an encoded header');
  const info = readStreamsInfo(r, nextHeaderOffset, options.maxEntries);
  if (r.remaining !== 0) throw corrupt('bytes after the encoded header');
  if (info.folders.length === 0) return [];
  if (info.folders.length > 1) throw corrupt('encoded header in several folders');
  const decoded = await decodeHeaderFolder(info, source);
  const inner = new HeaderBytes(decoded);
  if (inner.number() !== NID.header) throw corrupt('decoded header is not a header');
  return readHeader(inner, nextHeaderOffset, options.maxEntries);
}
