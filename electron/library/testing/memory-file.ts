// A ReadableFile over a Buffer: the archive readers without disk I/O, so thousands of test runs are cheap.
import type { ReadableFile } from '../archive/file-io.js';

export function memoryFile(data: Buffer): ReadableFile {
  return {
    fd: -1,
    read: (buffer: Buffer, offset: number, length: number, position: number) => {
      const n = Math.max(0, Math.min(length, data.length - position));
      data.copy(buffer, offset, position, position + n);
      return Promise.resolve({ bytesRead: n });
    },
    close: () => Promise.resolve(),
  };
}
