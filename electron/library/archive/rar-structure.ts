// A walk over RAR block headers that only checks the archive's shape against the file size. unrar
// lists a RAR cut between two blocks (or inside a header) without any error, as if it ended there;
// this walk reports such files as 'truncated'. Names and flags come from unrar, not from here.
import type { ReadableFile } from './file-io.js';
import { WindowedReader } from './file-io.js';
import { ArchiveError } from './types.js';

export type RarStructure = 'complete' | 'headers-encrypted';

const RAR4_MARKER_LENGTH = 7;
const RAR5_SIGNATURE_LENGTH = 8;
// Headers are small; a small window avoids reading page data while hopping between headers.
const WINDOW_BYTES = 8 * 1024;

/** Checks that every block fits in the file and that the archive reaches its end block. */
export async function checkRarStructure(handle: ReadableFile, size: number, version: 4 | 5): Promise<RarStructure> {
  const reader = new WindowedReader(handle, size, WINDOW_BYTES);
  return version === 5 ? walkRar5(reader) : walkRar4(reader);
}

const RAR4_MAIN_HEAD = 0x73;
const RAR4_FILE_HEAD = 0x74;
const RAR4_NEWSUB_HEAD = 0x7a;
const RAR4_END_HEAD = 0x7b;
const MHD_PASSWORD = 0x0080;
const LHD_LARGE = 0x0100;
const LONG_BLOCK = 0x8000;

async function walkRar4(reader: WindowedReader): Promise<RarStructure> {
  let pos = RAR4_MARKER_LENGTH;
  let blocks = 0;
  for (;;) {
    // RAR before 3.0 wrote no end block: ending exactly on a block boundary is complete.
    if (pos === reader.size && blocks > 0) return 'complete';
    const header = await reader.read(pos, 36);
    if (header.length < 7) throw new ArchiveError('truncated', `RAR block header at ${pos} is cut short`);
    const type = header[2];
    const flags = header.readUInt16LE(3);
    const headSize = header.readUInt16LE(5);
    if (headSize < 7) throw new ArchiveError('corrupt', `RAR block at ${pos} has an impossible size`);
    if (type === RAR4_MAIN_HEAD && (flags & MHD_PASSWORD) !== 0) return 'headers-encrypted';
    let dataSize = 0;
    if (type === RAR4_FILE_HEAD || type === RAR4_NEWSUB_HEAD || (flags & LONG_BLOCK) !== 0) {
      if (header.length < 11) throw new ArchiveError('truncated', `RAR block header at ${pos} is cut short`);
      dataSize = header.readUInt32LE(7);
      if ((type === RAR4_FILE_HEAD || type === RAR4_NEWSUB_HEAD) && (flags & LHD_LARGE) !== 0) {
        if (header.length < 36) throw new ArchiveError('truncated', `RAR file header at ${pos} is cut short`);
        dataSize += header.readUInt32LE(32) * 0x1_0000_0000;
      }
    }
    const next = pos + headSize + dataSize;
    if (next > reader.size) throw new ArchiveError('truncated', `RAR block at ${pos} ends at ${next}, past the end of the ${reader.size}-byte file`);
    if (type === RAR4_END_HEAD) return 'complete';
    pos = next;
    blocks++;
  }
}

const RAR5_CRYPT = 4;
const RAR5_END = 5;
const HFL_EXTRA = 0x0001;
const HFL_DATA = 0x0002;
// The format caps a header at 2 MiB.
const RAR5_MAX_HEADER = 2 * 1024 * 1024;

interface Vint {
  value: number;
  next: number;
}

/** Reads a RAR5 vint at `at`, or null when the buffer ends inside it. */
function readVint(bytes: Buffer, at: number): Vint | null {
  let value = 0;
  let scale = 1;
  for (let i = at; i < bytes.length && i < at + 10; i++) {
    value += (bytes[i] & 0x7f) * scale;
    if ((bytes[i] & 0x80) === 0) return { value, next: i + 1 };
    scale *= 128;
  }
  return null;
}

async function walkRar5(reader: WindowedReader): Promise<RarStructure> {
  let pos = RAR5_SIGNATURE_LENGTH;
  for (;;) {
    if (pos === reader.size) throw new ArchiveError('truncated', 'RAR5 archive ends without its end-of-archive header');
    const header = await reader.read(pos, 64);
    const cutShort = (): ArchiveError => new ArchiveError('truncated', `RAR5 header at ${pos} is cut short`);
    const headerSize = readVint(header, 4);
    if (headerSize === null) throw cutShort();
    if (headerSize.value < 2 || headerSize.value > RAR5_MAX_HEADER) throw new ArchiveError('corrupt', `RAR5 header at ${pos} has an impossible size`);
    const type = readVint(header, headerSize.next);
    if (type === null) throw cutShort();
    const flags = readVint(header, type.next);
    if (flags === null) throw cutShort();
    let at = flags.next;
    if ((flags.value & HFL_EXTRA) !== 0) {
      const extraSize = readVint(header, at);
      if (extraSize === null) throw cutShort();
      at = extraSize.next;
    }
    let dataSize = 0;
    if ((flags.value & HFL_DATA) !== 0) {
      const data = readVint(header, at);
      if (data === null) throw cutShort();
      dataSize = data.value;
    }
    if (type.value === RAR5_CRYPT) return 'headers-encrypted';
    const next = pos + headerSize.next + headerSize.value + dataSize;
    if (next > reader.size) throw new ArchiveError('truncated', `RAR5 block at ${pos} ends at ${next}, past the end of the ${reader.size}-byte file`);
    if (type.value === RAR5_END) return 'complete';
    pos = next;
  }
}
