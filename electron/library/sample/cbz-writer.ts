// The sample library's archive writer: stored (uncompressed) ZIP entries, the shape comic scanners
// produce, with an optional archive comment (ComicBookInfo lives there). Only what the sample needs;
// the test writer with the odd and hostile shapes (deflate, ZIP64, data descriptors, raw names,
// declared sizes) is scripts/fixtures/zip-writer.ts.
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
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const crc = (entry.crc32 ?? crc32(entry.data)) >>> 0;
    const flags = (entry.encrypted ? 0x1 : 0) | (/[^\x20-\x7e]/.test(entry.name) ? 0x800 : 0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(day, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x031e, 4); // made by: UNIX, spec 3.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(day, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    parts.push(local, name, entry.data);
    centrals.push(central, name);
    offset += 30 + name.length + entry.data.length;
  }
  const directory = Buffer.concat(centrals);
  const comment = Buffer.from(options.comment ?? '', 'utf8');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...parts, directory, end, comment]);
}
