// The streams info of a 7z header (pack info, folders and their coders, unpack sizes, substreams:
// the files' sizes and CRCs within each folder), read as 7-Zip 24's 7zIn.cpp reads it: every count is
// checked against the header bytes left before anything is allocated for it.
import { corrupt, countTrue, HeaderBytes, MAX_CODERS, MAX_FOLDER_STREAMS, NID } from './seven-zip-header-bytes.js';
import { ArchiveError } from './types.js';

export interface Coder {
  methodId: number;
  numInStreams: number;
  props: Buffer;
}

export interface Folder {
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

export interface StreamsInfo {
  /** Offset of the first pack stream after the signature header. */
  dataOffset: number;
  packSizes: number[];
  folders: Folder[];
  /** One per unpack stream (file with data), in order. */
  unpackSizes: number[];
  digests: Array<number | null>;
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

export function readStreamsInfo(r: HeaderBytes, rangeLimit: number, maxEntries: number): StreamsInfo {
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
