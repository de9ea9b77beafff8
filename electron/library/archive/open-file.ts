// Opening a library file for reading, with OS errors mapped to the 'unreadable'/'empty' row kinds.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ReadableFile } from './file-io.js';
import { ArchiveError } from './types.js';

// O_NONBLOCK: a FIFO named like a comic must not block a thread-pool thread forever on open.
// (Undefined on Windows, where FIFOs do not appear in a folder walk.)
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

const UNREADABLE_MESSAGES: Record<string, string> = {
  ENOENT: 'The file vanished before it could be read.',
  ENOTDIR: 'The file vanished before it could be read (a folder on its path is gone).',
  EACCES: 'Permission denied.',
  EPERM: 'Permission denied.',
  EISDIR: 'This is a folder, not a file.',
  EIO: 'The disk reported an I/O error.',
  ELOOP: 'Too many symbolic links on the path.',
  ENAMETOOLONG: 'The path is too long.',
  ENXIO: 'The device is not available.',
  ESTALE: 'The network share went away (stale handle).',
  EBUSY: 'The file is busy.',
  ETIMEDOUT: 'The disk or share timed out.',
};

/** Maps a per-file OS error to an ArchiveError; other errors (EMFILE, ENOMEM…) are not per-file and are returned unchanged. */
export function toUnreadable(error: unknown): unknown {
  if (error instanceof ArchiveError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && code in UNREADABLE_MESSAGES) {
    return new ArchiveError('unreadable', `${UNREADABLE_MESSAGES[code]} (${code})`);
  }
  return error;
}

export interface OpenedFile {
  handle: ReadableFile;
  size: number;
  /** The opened file's mtime (fstat), so readers keyed by (size, mtime) need no stat of their own. */
  mtimeMs: number;
}

function checkOpened(stats: Stats): number {
  if (stats.isDirectory()) throw new ArchiveError('unreadable', `${UNREADABLE_MESSAGES.EISDIR} (EISDIR)`);
  if (!stats.isFile()) throw new ArchiveError('unreadable', 'Not a regular file (a device, socket or pipe).');
  if (stats.size === 0) throw new ArchiveError('empty', 'The file is empty (0 bytes).');
  return stats.size;
}

/** Opens a regular, non-empty file. 0 bytes → 'empty'; a folder or device → 'unreadable'. */
export async function openArchiveFile(filePath: string): Promise<OpenedFile> {
  const handle = await open(filePath, OPEN_FLAGS).catch((error: unknown) => {
    throw toUnreadable(error);
  });
  try {
    const stats = await handle.stat();
    return { handle, size: checkOpened(stats), mtimeMs: stats.mtimeMs };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw toUnreadable(error);
  }
}

/** Receives the time one file's blocking calls took, when the file is closed (index-io.ts). */
export interface BlockingIoMeter {
  record(ms: number): void;
}

/** A ReadableFile over blocking system calls: each read returns an already settled promise. */
function syncFile(fd: number, meter: BlockingIoMeter | undefined, openMs: number): ReadableFile {
  let closed = false;
  let blockedMs = openMs;
  return {
    fd,
    read(buffer, offset, length, position) {
      const started = performance.now();
      try {
        return Promise.resolve({ bytesRead: readSync(fd, buffer, offset, length, position) });
      } catch (error) {
        return Promise.reject(error as Error);
      } finally {
        blockedMs += performance.now() - started;
      }
    },
    close() {
      if (!closed) {
        closed = true;
        closeSync(fd);
        meter?.record(blockedMs);
      }
      return Promise.resolve();
    },
  };
}

/**
 * openArchiveFile with blocking calls (open, fstat, and the handle's reads and close): no thread-pool
 * round trip, no FileHandle, per call. For the index pass on files the page cache most likely holds
 * (index-io.ts decides, from the time these calls took: `meter`); on a slow disk every call blocks
 * the calling thread for the disk's latency.
 */
export function openArchiveFileSync(filePath: string, meter?: BlockingIoMeter): OpenedFile {
  const started = performance.now();
  let fd: number;
  try {
    fd = openSync(filePath, OPEN_FLAGS);
  } catch (error) {
    throw toUnreadable(error);
  }
  try {
    const stats = fstatSync(fd);
    const size = checkOpened(stats);
    return { handle: syncFile(fd, meter, performance.now() - started), size, mtimeMs: stats.mtimeMs };
  } catch (error) {
    closeSync(fd);
    throw toUnreadable(error);
  }
}
