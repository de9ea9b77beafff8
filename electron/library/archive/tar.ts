// tar (ustar, GNU long names, pax path/size records): a walk over 512-byte headers with positioned
// reads. tar has no central directory and no CRCs, so the index pass reads one header per entry.
import type { ReadableFile } from './file-io.js';
import { readExactly, WindowedReader } from './file-io.js';
import { ArchiveError, type ArchiveEntry, type ArchiveIndex, type ArchiveLimits } from './types.js';

const BLOCK = 512;
const WINDOW_BYTES = 16 * 1024;
/** GNU long names and pax records are small; anything bigger is damage, not a name. */
const MAX_META_BYTES = 1024 * 1024;

interface TarMember extends ArchiveEntry {
  /** Absolute offset of the member's data. */
  dataOffset: number;
}

function cString(block: Buffer, start: number, length: number): string {
  const end = block.indexOf(0, start);
  return block.toString('utf8', start, end === -1 || end > start + length ? start + length : end);
}

/** Numeric header fields: octal text, or GNU base-256 when the high bit of the first byte is set. */
function parseNumber(block: Buffer, start: number, length: number, at: number): number {
  if ((block[start] & 0x80) !== 0) {
    let value = block[start] & 0x7f;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + block[i];
    if (!Number.isSafeInteger(value)) throw new ArchiveError('corrupt', `tar header at ${at} holds an impossible number`);
    return value;
  }
  const text = block.toString('latin1', start, start + length).replace(/[\0 ]+$/, '').trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new ArchiveError('corrupt', `tar header at ${at} has a bad numeric field`);
  return parseInt(text, 8);
}

function checksumMatches(block: Buffer): boolean {
  const stored = block.toString('latin1', 148, 156).replace(/[\0 ]+$/, '').trim();
  if (!/^[0-7]+$/.test(stored)) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : block[i];
    unsigned += byte;
    signed += byte >= 0x80 ? byte - 256 : byte;
  }
  const expected = parseInt(stored, 8);
  // Some old writers summed signed chars.
  return expected === unsigned || expected === signed;
}

function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

/** pax extended header records: "<length> <key>=<value>\n". */
function parsePax(data: Buffer, at: number): Map<string, string> {
  const records = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) break;
    const length = parseInt(data.toString('latin1', pos, space), 10);
    if (!Number.isInteger(length) || length <= 0 || pos + length > data.length) {
      throw new ArchiveError('corrupt', `tar pax header at ${at} is malformed`);
    }
    const record = data.toString('utf8', space + 1, pos + length - 1);
    const equals = record.indexOf('=');
    if (equals > 0) records.set(record.slice(0, equals), record.slice(equals + 1));
    pos += length;
  }
  return records;
}

/**
 * Walks the members, calling `visit` for each file or directory; stops early when `visit` returns true.
 * Throws 'truncated' when a header or its data runs past the end of the file.
 */
async function walkTar(handle: ReadableFile, size: number, visit: (member: TarMember) => boolean): Promise<void> {
  const reader = new WindowedReader(handle, size, WINDOW_BYTES);
  let pos = 0;
  let longName: string | null = null;
  let paxPath: string | null = null;
  let paxSize: number | null = null;
  // A tar may end at EOF without its two zero blocks; ending exactly on a boundary is accepted.
  while (pos < size) {
    const block = await reader.read(pos, BLOCK);
    if (block.length < BLOCK) throw new ArchiveError('truncated', `tar header at ${pos} is cut short`);
    if (isZeroBlock(block)) return;
    if (!checksumMatches(block)) throw new ArchiveError('corrupt', `tar header at ${pos} has a bad checksum`);
    const type = String.fromCharCode(block[156]);
    const headerSize = parseNumber(block, 124, 12, pos);
    const memberSize = paxSize ?? headerSize;
    const dataOffset = pos + BLOCK;
    const next = dataOffset + Math.ceil(memberSize / BLOCK) * BLOCK;
    if (dataOffset + memberSize > size) {
      throw new ArchiveError('truncated', `tar member at ${pos} ends at ${dataOffset + memberSize}, past the end of the ${size}-byte file`);
    }

    if (type === 'L' || type === 'x' || type === 'g' || type === 'K') {
      if (memberSize > MAX_META_BYTES) throw new ArchiveError('corrupt', `tar metadata block at ${pos} is implausibly large`);
      const data = memberSize === 0 ? Buffer.alloc(0) : await readExactly(handle, memberSize, dataOffset);
      if (type === 'L') longName = cString(data, 0, data.length);
      if (type === 'x') {
        const records = parsePax(data, pos);
        paxPath = records.get('path') ?? paxPath;
        const declared = records.get('size');
        if (declared !== undefined) {
          if (!/^\d+$/.test(declared)) throw new ArchiveError('corrupt', `tar pax size at ${pos} is not a number`);
          paxSize = Number(declared);
        }
      }
      pos = dataOffset + Math.ceil(memberSize / BLOCK) * BLOCK;
      continue;
    }
    if (type === 'M') throw new ArchiveError('multi-volume', 'part of a multi-volume tar; only single-file archives are read');

    const isUstar = block.toString('latin1', 257, 263) === 'ustar\0';
    const prefix = isUstar ? cString(block, 345, 155) : '';
    const headerName = cString(block, 0, 100);
    const name = paxPath ?? longName ?? (prefix !== '' ? `${prefix}/${headerName}` : headerName);
    longName = null;
    paxPath = null;
    paxSize = null;

    const isFile = type === '0' || type === '\0' || type === '7';
    const isDirectory = type === '5' || (isFile && name.endsWith('/'));
    if (isFile || isDirectory) {
      const member: TarMember = {
        name,
        size: isDirectory ? 0 : memberSize,
        compressedSize: isDirectory ? 0 : memberSize,
        crc32: 0,
        isDirectory,
        isEncrypted: false,
        dataOffset,
      };
      if (visit(member)) return;
    }
    // Links, devices, FIFOs and sparse members have nothing a comic reader can use: skipped.
    pos = next;
  }
}

/** A tar's entries and, parallel to them, where each one's data starts (for reading entries by position later). */
export async function readTarDirectory(
  handle: ReadableFile,
  size: number,
  limits: Pick<ArchiveLimits, 'maxEntries'>,
): Promise<{ entries: ArchiveEntry[]; dataOffsets: number[] }> {
  const entries: ArchiveEntry[] = [];
  const dataOffsets: number[] = [];
  await walkTar(handle, size, (member) => {
    if (entries.length >= limits.maxEntries) {
      throw new ArchiveError('too-large', `more than the limit of ${limits.maxEntries} entries`);
    }
    const { dataOffset, ...entry } = member;
    entries.push(entry);
    dataOffsets.push(dataOffset);
    return false;
  });
  return { entries, dataOffsets };
}

/** Lists a tar's files and directories (no CRCs: crc32 is 0). */
export async function readTarIndex(handle: ReadableFile, size: number, limits: Pick<ArchiveLimits, 'maxEntries'>): Promise<ArchiveIndex> {
  const { entries } = await readTarDirectory(handle, size, limits);
  return { format: 'tar', entries, comment: null };
}

/** Reads one member's data by its listed name. */
export async function readTarEntry(handle: ReadableFile, size: number, entryName: string, maxBytes: number): Promise<Buffer> {
  let found: TarMember | null = null;
  await walkTar(handle, size, (member) => {
    if (member.name !== entryName || member.isDirectory) return false;
    found = member;
    return true;
  });
  const member = found as TarMember | null;
  if (member === null) throw new ArchiveError('corrupt', `tar entry "${entryName}" not found`);
  if (member.size > maxBytes) throw new ArchiveError('too-large', `tar entry "${entryName}" is ${member.size} bytes, over the ${maxBytes}-byte limit`);
  return member.size === 0 ? Buffer.alloc(0) : readExactly(handle, member.size, member.dataOffset);
}
