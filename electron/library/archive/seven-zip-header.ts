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
import { ArchiveError } from './types.js';

/** Largest next header or decoded header accepted (a 20,000-entry header is a few MB). */
export const MAX_HEADER_BYTES = 64 * 1024 * 1024;
/** Bytes before the next header read along with it: the packed header usually sits right there. */
const LOOKBEHIND_BYTES = 16 * 1024;

const SIGNATURE = [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c];
const START_HEADER_BYTES = 32;

const NID = {
  end: 0x00,
  header: 0x01,
  archiveProperties: 0x02,
  additionalStreamsInfo: 0x03,
  mainStreamsInfo: 0x04,
  filesInfo: 0x05,
  packInfo: 0x06,
  unpackInfo: 0x07,
  subStreamsInfo: 0x08,
  size: 0x09,
  crc: 0x0a,
  folder: 0x0b,
  codersUnpackSize: 0x0c,
  numUnpackStream: 0x0d,
  emptyStream: 0x0e,
  emptyFile: 0x0f,
  anti: 0x10,
  name: 0x11,
  cTime: 0x12,
  aTime: 0x13,
  mTime: 0x14,
  winAttributes: 0x15,
  encodedHeader: 0x17,
  startPos: 0x18,
  dummy: 0x19,
} as const;

const METHOD_COPY = 0x00;
const METHOD_LZMA2 = 0x21;
const METHOD_LZMA = 0x030101;
const METHOD_AES = 0x06f10701;
/** 7-Zip's limits on coders per folder and streams per folder. */
const MAX_CODERS = 64;
const MAX_FOLDER_STREAMS = 64;
/** 7-Zip's CNum limit (ReadNum). */
const NUM_MAX = 0x7fffffff;
const FILE_ATTRIBUTE_DIRECTORY = 0x10;

export type SevenZipHeaderResult = { kind: 'listed'; entries: SevenZipEntry[] } | { kind: 'unsupported'; reason: string };

/** Something 7-Zip reads but this reader leaves to it. */
class Unsupported extends Error {}

function corrupt(why: string): ArchiveError {
  return new ArchiveError('corrupt', `The 7z archive is damaged (${why}).`, '7z');
}

/** A cursor over header bytes; reading past its end is a damaged header. */
class HeaderBytes {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  byte(): number {
    if (this.pos >= this.end) throw corrupt('header ends early');
    return this.buf[this.pos++]!;
  }

  bytes(length: number): Buffer {
    if (length > this.remaining) throw corrupt('header ends early');
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  skip(length: number): void {
    if (length > this.remaining) throw corrupt('header ends early');
    this.pos += length;
  }

  /** 7z's variable-length number: the first byte's leading 1 bits count the extra bytes (LE). */
  number(): number {
    const first = this.byte();
    let extra = 0;
    while (extra < 8 && first & (0x80 >>> extra)) extra++;
    if (extra > this.remaining) throw corrupt('header ends early');
    let low = 0;
    let scale = 1;
    let value = 0;
    for (let i = 0; i < extra; i++) {
      low += this.buf[this.pos++]! * scale;
      scale *= 256;
    }
    value = low;
    if (extra < 8) {
      const high = first & ((0x80 >>> extra) - 1);
      value += high * scale;
    }
    if (!Number.isSafeInteger(value)) throw corrupt('a number is over 2^53');
    return value;
  }

  /** A count or index (7-Zip's ReadNum: at most 2^31 − 1). */
  num(): number {
    const value = this.number();
    if (value > NUM_MAX) throw corrupt('a count is out of range');
    return value;
  }

  uint32(): number {
    if (this.remaining < 4) throw corrupt('header ends early');
    const value = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return value;
  }

  skipData(): void {
    this.skip(this.number());
  }

  /** Skips properties until `id` (kEnd before it is damage), like 7-Zip's WaitId. */
  waitFor(id: number): void {
    for (;;) {
      const type = this.number();
      if (type === id) return;
      if (type === NID.end) throw corrupt(`property ${id} missing`);
      this.skipData();
    }
  }

  /** `count` bits, most significant first. */
  bits(count: number): boolean[] {
    if (Math.ceil(count / 8) > this.remaining) throw corrupt('header ends early');
    const out = new Array<boolean>(count);
    let b = 0;
    for (let i = 0; i < count; i++) {
      if ((i & 7) === 0) b = this.buf[this.pos++]!;
      out[i] = (b & (0x80 >>> (i & 7))) !== 0;
    }
    return out;
  }

  /** A bit vector preceded by an "all defined" byte. */
  definedBits(count: number): boolean[] {
    if (this.byte() !== 0) return new Array<boolean>(count).fill(true);
    return this.bits(count);
  }

  /** The "external" byte before some properties' data: data in additional streams is not supported. */
  noExternal(): void {
    if (this.byte() !== 0) throw corrupt('header data in an additional stream');
  }
}

interface Coder {
  methodId: number;
  numInStreams: number;
  props: Buffer;
}

interface Folder {
  coders: Coder[];
  /** Index of this folder's first pack stream in the streams info. */
  firstPackStream: number;
  numPackStreams: number;
  /** Unpack size of the folder's final output (the coder no bond feeds). */
  unpackSize: number;
  /** Unpack sizes, one per coder. */
  coderUnpackSizes: number[];
  crc: number | null;
  numUnpackStreams: number;
}

interface StreamsInfo {
  /** Offset of the first pack stream after the signature header. */
  dataOffset: number;
  packSizes: number[];
  folders: Folder[];
  /** One per unpack stream (file with data), in order. */
  unpackSizes: number[];
  digests: Array<number | null>;
}

function countTrue(values: readonly boolean[]): number {
  let n = 0;
  for (const v of values) if (v) n++;
  return n;
}

function readPackInfo(r: HeaderBytes, info: StreamsInfo, rangeLimit: number): void {
  info.dataOffset = r.number();
  if (info.dataOffset > rangeLimit) throw corrupt('pack position past the header');
  const numPackStreams = r.num();
  r.waitFor(NID.size);
  if (numPackStreams > r.remaining) throw corrupt('more pack streams than header bytes');
  let sum = 0;
  for (let i = 0; i < numPackStreams; i++) {
    const size = r.number();
    info.packSizes.push(size);
    sum += size;
    if (!Number.isSafeInteger(sum)) throw corrupt('pack sizes overflow');
  }
  if (sum > rangeLimit - info.dataOffset) throw corrupt('packed data runs into the header');
  for (;;) {
    const type = r.number();
    if (type === NID.end) return;
    if (type === NID.crc) {
      const defined = r.definedBits(numPackStreams);
      r.skip(4 * countTrue(defined));
      continue;
    }
    r.skipData();
  }
}

function readFolder(r: HeaderBytes): Omit<Folder, 'firstPackStream' | 'unpackSize' | 'coderUnpackSizes' | 'crc' | 'numUnpackStreams'> & { mainCoder: number } {
  const numCoders = r.num();
  if (numCoders === 0 || numCoders > MAX_CODERS) throw corrupt('bad coder count');
  const coders: Coder[] = [];
  let numInStreams = 0;
  for (let i = 0; i < numCoders; i++) {
    const mainByte = r.byte();
    if (mainByte & 0xc0) throw corrupt('unknown coder flags');
    const idSize = mainByte & 0x0f;
    if (idSize > 8) throw corrupt('coder id too long');
    let methodId = 0;
    for (const b of r.bytes(idSize)) methodId = methodId * 256 + b;
    let coderIn = 1;
    if (mainByte & 0x10) {
      coderIn = r.num();
      if (coderIn > MAX_FOLDER_STREAMS) throw corrupt('too many coder streams');
      if (r.num() !== 1) throw corrupt('a coder with several outputs');
    }
    numInStreams += coderIn;
    if (numInStreams > MAX_FOLDER_STREAMS) throw corrupt('too many folder streams');
    const props = mainByte & 0x20 ? r.bytes(r.num()) : Buffer.alloc(0);
    coders.push({ methodId, numInStreams: coderIn, props });
  }
  if (numCoders === 1 && numInStreams === 1) return { coders, numPackStreams: 1, mainCoder: 0 };
  const numBonds = numCoders - 1;
  if (numInStreams < numBonds) throw corrupt('bad bonds');
  const streamUsed = new Array<boolean>(numInStreams).fill(false);
  const coderUsed = new Array<boolean>(numCoders).fill(false);
  for (let i = 0; i < numBonds; i++) {
    const inIndex = r.num();
    if (inIndex >= numInStreams || streamUsed[inIndex]) throw corrupt('bad bond');
    streamUsed[inIndex] = true;
    const outIndex = r.num();
    if (outIndex >= numCoders || coderUsed[outIndex]) throw corrupt('bad bond');
    coderUsed[outIndex] = true;
  }
  const numPackStreams = numInStreams - numBonds;
  if (numPackStreams !== 1) {
    for (let i = 0; i < numPackStreams; i++) {
      const index = r.num();
      if (index >= numInStreams || streamUsed[index]) throw corrupt('bad pack stream index');
      streamUsed[index] = true;
    }
  }
  const mainCoder = coderUsed.indexOf(false);
  if (mainCoder < 0) throw corrupt('no main coder');
  return { coders, numPackStreams, mainCoder };
}

function readUnpackInfo(r: HeaderBytes, info: StreamsInfo): void {
  r.waitFor(NID.folder);
  const numFolders = r.num();
  // Each folder takes at least 2 bytes (coder count and coder flags).
  if (numFolders > r.remaining) throw corrupt('more folders than header bytes');
  r.noExternal();
  const parsed: Array<ReturnType<typeof readFolder> & { firstPackStream: number }> = [];
  let packStreamIndex = 0;
  for (let i = 0; i < numFolders; i++) {
    const folder = readFolder(r);
    if (folder.numPackStreams > info.packSizes.length - packStreamIndex) throw corrupt('folder uses missing pack streams');
    parsed.push({ ...folder, firstPackStream: packStreamIndex });
    packStreamIndex += folder.numPackStreams;
  }
  r.waitFor(NID.codersUnpackSize);
  for (const folder of parsed) {
    const coderUnpackSizes = folder.coders.map(() => r.number());
    info.folders.push({
      coders: folder.coders,
      firstPackStream: folder.firstPackStream,
      numPackStreams: folder.numPackStreams,
      coderUnpackSizes,
      unpackSize: coderUnpackSizes[folder.mainCoder]!,
      crc: null,
      numUnpackStreams: 1,
    });
  }
  for (;;) {
    const type = r.number();
    if (type === NID.end) return;
    if (type === NID.crc) {
      const defined = r.definedBits(numFolders);
      for (let i = 0; i < numFolders; i++) info.folders[i]!.crc = defined[i] ? r.uint32() : null;
      continue;
    }
    r.skipData();
  }
}

function readSubStreamsInfo(r: HeaderBytes, info: StreamsInfo, maxEntries: number): void {
  const folders = info.folders;
  let type: number;
  for (;;) {
    type = r.number();
    if (type === NID.numUnpackStream) {
      let total = 0;
      for (const folder of folders) {
        folder.numUnpackStreams = r.num();
        total += folder.numUnpackStreams;
      }
      // Every unpack stream is a file: more than the entry limit is a too-large archive.
      if (total > maxEntries) throw new ArchiveError('too-large', `The archive has more than ${maxEntries} entries.`, '7z');
      continue;
    }
    if (type === NID.crc || type === NID.size || type === NID.end) break;
    r.skipData();
  }
  if (type === NID.size) {
    for (const folder of folders) {
      if (folder.numUnpackStreams === 0) continue;
      let sum = 0;
      for (let j = 1; j < folder.numUnpackStreams; j++) {
        const size = r.number();
        info.unpackSizes.push(size);
        sum += size;
        if (!Number.isSafeInteger(sum)) throw corrupt('unpack sizes overflow');
      }
      if (folder.unpackSize < sum) throw corrupt('file sizes exceed their folder');
      info.unpackSizes.push(folder.unpackSize - sum);
    }
    type = r.number();
  } else {
    for (const folder of folders) {
      if (folder.numUnpackStreams > 1) throw corrupt('file sizes missing');
      if (folder.numUnpackStreams === 1) info.unpackSizes.push(folder.unpackSize);
    }
  }
  // A folder holding one file with a folder CRC gives that file its CRC; the others are listed here.
  const knownFromFolder = (folder: Folder) => folder.numUnpackStreams === 1 && folder.crc !== null;
  let numDigests = 0;
  for (const folder of folders) if (!knownFromFolder(folder)) numDigests += folder.numUnpackStreams;
  let digests: Array<number | null> | null = null;
  for (;;) {
    if (type === NID.end) break;
    if (type === NID.crc) {
      const defined = r.definedBits(numDigests);
      digests = [];
      let k = 0;
      for (const folder of folders) {
        if (knownFromFolder(folder)) digests.push(folder.crc);
        else for (let j = 0; j < folder.numUnpackStreams; j++) digests.push(defined[k++] ? r.uint32() : null);
      }
    } else r.skipData();
    type = r.number();
  }
  if (digests === null || digests.length !== info.unpackSizes.length) {
    digests = [];
    for (const folder of folders) {
      if (knownFromFolder(folder)) digests.push(folder.crc);
      else for (let j = 0; j < folder.numUnpackStreams; j++) digests.push(null);
    }
  }
  info.digests = digests;
}

function readStreamsInfo(r: HeaderBytes, rangeLimit: number, maxEntries: number): StreamsInfo {
  const info: StreamsInfo = { dataOffset: 0, packSizes: [], folders: [], unpackSizes: [], digests: [] };
  let type = r.number();
  if (type === NID.packInfo) {
    readPackInfo(r, info, rangeLimit);
    type = r.number();
  }
  if (type === NID.unpackInfo) {
    readUnpackInfo(r, info);
    type = r.number();
  }
  if (type === NID.subStreamsInfo) {
    readSubStreamsInfo(r, info, maxEntries);
    type = r.number();
  } else {
    // Without substreams info 7-Zip gives the files no CRC, even where the folder has one.
    for (const folder of info.folders) {
      info.unpackSizes.push(folder.unpackSize);
      info.digests.push(null);
    }
  }
  if (type !== NID.end) throw corrupt('streams info does not end');
  return info;
}

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
