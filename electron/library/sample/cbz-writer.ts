// The sample library's archive writer: stored (uncompressed) ZIP entries, the shape comic scanners
// produce, with an optional archive comment (ComicBookInfo lives there). Only what the sample needs;
// the test writer with the odd and hostile shapes (deflate, ZIP64, data descriptors, raw names,
// declared sizes) is scripts/testing/zip-writer.ts, built on the record encoders below.
import { crc32 } from 'node:zlib';

export interface CbzEntry {
  name: string;
  data: Buffer;
  /** CRC-32 of `data` when the caller already knows it (saves hashing shared data again). */
  crc32?: number;
  /** Mark the entry as encrypted (flag bit 0); the data is written as given (a broken sample). */
  encrypted?: boolean;
}

export interface CbzOptions {
  comment?: string;
  /** Fixed DOS time for every entry, so generated files are reproducible. */
  date?: Date;
}

export function dosDateTime(date: Date): { time: number; day: number } {
  const time = (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2);
  const day = ((date.getFullYear() - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate();
  return { time, day };
}

/** Builds a complete stored ZIP in memory. */
export function buildCbz(entries: readonly CbzEntry[], options: CbzOptions = {}): Buffer {
  const { time, day } = dosDateTime(options.date ?? new Date(2020, 0, 1));
  const { records, directory, directoryOffset } = layOutEntries(entries, (entry, offset) => {
    const name = Buffer.from(entry.name, 'utf8');
    const flags = (entry.encrypted ? ZIP_FLAG_ENCRYPTED : 0) | (/[^\x20-\x7e]/.test(entry.name) ? ZIP_FLAG_UTF8 : 0);
    const crc = (entry.crc32 ?? crc32(entry.data)) >>> 0;
    const header: ZipEntryHeader = { flags, method: 0, time, day, crc, compressedSize: entry.data.length, size: entry.data.length, nameLength: name.length };
    return { local: [localHeader(header), name, entry.data], central: [centralHeader(header, offset), name] };
  });
  const comment = Buffer.from(options.comment ?? '', 'utf8');
  const end = endRecord({ entries: entries.length, directorySize: directory.length, directoryOffset, commentLength: comment.length });
  return Buffer.concat([...records, directory, end, comment]);
}

// The records' encoders, also used by the test writer of odd and hostile shapes (scripts/testing/zip-writer.ts).

/** One entry's bytes: its local part (header, name, data…) and its central directory record (header, name, extra). */
export interface LaidOutEntry {
  local: readonly Buffer[];
  central: readonly Buffer[];
}

/**
 * Places the entries one after another from the start of the file: `layOut` gets the offset the entry's
 * local header will start at. The central directory (the entries' central records) follows the last one.
 */
export function layOutEntries<E>(entries: readonly E[], layOut: (entry: E, offset: number) => LaidOutEntry): { records: Buffer[]; directory: Buffer; directoryOffset: number } {
  const records: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const { local, central } = layOut(entry, offset);
    for (const part of local) {
      records.push(part);
      offset += part.length;
    }
    centrals.push(...central);
  }
  return { records, directory: Buffer.concat(centrals), directoryOffset: offset };
}

export const ZIP_FLAG_ENCRYPTED = 0x1;
export const ZIP_FLAG_DATA_DESCRIPTOR = 0x8;
export const ZIP_FLAG_UTF8 = 0x800;
const LOCAL_HEADER_LENGTH = 30;

/**
 * The fields a local header and a central directory record share (from "version needed to extract" to
 * the extra field's length); the name and the extra field follow the record.
 */
export interface ZipEntryHeader {
  flags: number;
  /** 0 = stored, 8 = deflate. */
  method: number;
  time: number;
  day: number;
  crc: number;
  compressedSize: number;
  size: number;
  nameLength: number;
  extraLength?: number;
}

/** A local file header (30 bytes). */
export function localHeader(header: ZipEntryHeader): Buffer {
  const local = Buffer.alloc(LOCAL_HEADER_LENGTH);
  local.writeUInt32LE(0x04034b50, 0);
  writeSharedFields(local, 4, header);
  return local;
}

/** A central directory record (46 bytes), no comment, made by UNIX (spec 3.0). */
export function centralHeader(header: ZipEntryHeader, localHeaderOffset: number): Buffer {
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(0x031e, 4);
  writeSharedFields(central, 6, header);
  central.writeUInt32LE(localHeaderOffset, 42);
  return central;
}

/** The end of central directory record (22 bytes) of a single-file archive; the comment follows it. */
export function endRecord(end: { entries: number; directorySize: number; directoryOffset: number; commentLength: number }): Buffer {
  const record = Buffer.alloc(22);
  record.writeUInt32LE(0x06054b50, 0);
  record.writeUInt16LE(end.entries, 8);
  record.writeUInt16LE(end.entries, 10);
  record.writeUInt32LE(end.directorySize, 12);
  record.writeUInt32LE(end.directoryOffset, 16);
  record.writeUInt16LE(end.commentLength, 20);
  return record;
}

/** Version needed (2.0), flags, method, time, date, CRC-32, both sizes, name and extra field lengths. */
function writeSharedFields(buf: Buffer, at: number, h: ZipEntryHeader): void {
  buf.writeUInt16LE(20, at);
  buf.writeUInt16LE(h.flags, at + 2);
  buf.writeUInt16LE(h.method, at + 4);
  buf.writeUInt16LE(h.time, at + 6);
  buf.writeUInt16LE(h.day, at + 8);
  buf.writeUInt32LE(h.crc, at + 10);
  buf.writeUInt32LE(h.compressedSize, at + 14);
  buf.writeUInt32LE(h.size, at + 18);
  buf.writeUInt16LE(h.nameLength, at + 22);
  buf.writeUInt16LE(h.extraLength ?? 0, at + 24);
}
