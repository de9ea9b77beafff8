// What a reader sees when a page cannot be served: every archive failure becomes one LongboxError
// with a code the UI can act on (PAGE_DAMAGED, ENCRYPTED, FILE_MISSING, ROOT_UNREADABLE, UNSUPPORTED).
import { stat } from 'node:fs/promises';
import { LongboxError } from '../../../shared/errors.js';
import type { ErrorKind } from '../../../shared/types.js';
import { ArchiveError } from '../archive/index.js';

function codeOf(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

async function exists(path: string): Promise<boolean | 'unknown'> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    const code = codeOf(error);
    return code === 'ENOENT' || code === 'ENOTDIR' ? false : 'unknown';
  }
}

/** The LongboxError for an archive error kind recorded on the row (or thrown by the archive layer). */
export function errorForKind(kind: ErrorKind, message: string): LongboxError {
  switch (kind) {
    case 'encrypted':
      return new LongboxError('ENCRYPTED', `The comic is password protected: ${message}`);
    case 'unsupported':
      return new LongboxError('UNSUPPORTED', `This file cannot be read: ${message}`);
    case 'no-images':
      return new LongboxError('NOT_FOUND', 'The comic has no pages.');
    case 'unreadable':
      return new LongboxError('FILE_MISSING', `The comic's file cannot be read: ${message}`);
    case 'not-archive':
    case 'corrupt':
    case 'truncated':
    case 'multi-volume':
    case 'empty':
    case 'too-large':
    case 'timeout':
      return new LongboxError('PAGE_DAMAGED', `The comic is damaged: ${message}`);
  }
}

/**
 * Maps a failure while reading `file` to a LongboxError. An unreadable file is told apart by looking:
 * the library folder itself gone (a disk or share offline) is ROOT_UNREADABLE, the file gone is
 * FILE_MISSING, anything else (permissions, I/O) PAGE_DAMAGED with the OS's reason.
 */
export async function toPageError(error: unknown, file: string, root: string): Promise<unknown> {
  if (error instanceof LongboxError) return error;
  if (!(error instanceof ArchiveError)) return error;
  if (error.kind !== 'unreadable') return errorForKind(error.kind, error.message);
  if ((await exists(root)) !== true) {
    return new LongboxError('ROOT_UNREADABLE', 'The library folder cannot be reached (is the disk or share offline?).');
  }
  if ((await exists(file)) === false) {
    return new LongboxError('FILE_MISSING', "The comic's file is gone (deleted or moved since the last scan).");
  }
  return new LongboxError('PAGE_DAMAGED', `The comic's file cannot be read: ${error.message}`);
}
