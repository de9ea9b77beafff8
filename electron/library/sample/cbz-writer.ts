// The sample library's archive writer: stored (uncompressed) ZIP entries, the shape comic scanners
// produce, with an optional archive comment (ComicBookInfo lives there). Only what the sample needs;
// the test writer with the odd and hostile shapes (deflate, ZIP64, data descriptors, raw names,
// declared sizes) is scripts/testing/zip-writer.ts.
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
    // The local header and the central directory record share one block of fields (version needed
    // to extract … file name length); it starts at byte 4 of the one and byte 6 of the other.
    const fields = { flags, time, day, crc, size: entry.data.length, nameLength: name.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeSharedFields(local, 4, fields);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x031e, 4); // made by: UNIX, spec 3.0
    writeSharedFields(central, 6, fields);
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

/** Version needed (2.0), flags, method 0 (stored), time, date, CRC-32, both sizes, name length. */
function writeSharedFields(buf: Buffer, at: number, f: { flags: number; time: number; day: number; crc: number; size: number; nameLength: number }): void {
  buf.writeUInt16LE(20, at);
  buf.writeUInt16LE(f.flags, at + 2);
  buf.writeUInt16LE(f.time, at + 6);
  buf.writeUInt16LE(f.day, at + 8);
  buf.writeUInt32LE(f.crc, at + 10);
  buf.writeUInt32LE(f.size, at + 14);
  buf.writeUInt32LE(f.size, at + 18);
  buf.writeUInt16LE(f.nameLength, at + 22);
}
