// Positioned reads shared by the readers. A short read means the file shrank after it was measured.
import { ArchiveError } from './types.js';

/** The part of a `fs/promises` FileHandle the readers use (narrow, so tests can pass doubles). */
export interface ReadableFile {
  readonly fd: number;
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}

/** Reads exactly `length` bytes at `position`, or throws `truncated`. */
export async function readExactly(handle: ReadableFile, length: number, position: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) {
      throw new ArchiveError('truncated', `file ended after ${position + filled} bytes, expected ${position + length} (changed while reading?)`);
    }
    filled += bytesRead;
  }
  return buffer;
}

/** Reads a little-endian 64-bit unsigned integer as a Number, or null when it exceeds 2^53. */
export function readUInt64LE(buffer: Buffer, offset: number): number | null {
  const low = buffer.readUInt32LE(offset);
  const high = buffer.readUInt32LE(offset + 4);
  if (high >= 0x200000) return null;
  return high * 0x1_0000_0000 + low;
}

/**
 * Serves small positioned reads from a cached window, so walking many small headers (tar, RAR) costs one
 * system call per window rather than one per header.
 */
export class WindowedReader {
  private window: Buffer = Buffer.alloc(0);
  private windowStart = 0;

  constructor(
    private readonly handle: ReadableFile,
    readonly size: number,
    private readonly windowBytes = 64 * 1024,
  ) {}

  /** Returns up to `length` bytes at `position` (fewer only at the end of the file). */
  async read(position: number, length: number): Promise<Buffer> {
    const wanted = Math.min(length, Math.max(0, this.size - position));
    if (wanted === 0) return Buffer.alloc(0);
    const offset = position - this.windowStart;
    if (offset < 0 || offset + wanted > this.window.length) {
      const fill = Math.min(Math.max(wanted, this.windowBytes), this.size - position);
      this.window = await readExactly(this.handle, fill, position);
      this.windowStart = position;
    }
    const start = position - this.windowStart;
    return this.window.subarray(start, start + wanted);
  }
}
