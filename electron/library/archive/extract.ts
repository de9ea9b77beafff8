// readArchiveEntry: one entry's bytes, by the name the index pass listed. Entry names are only compared
// with other names, never joined to a path on disk (docs/architecture.md §7).
import type { ComicFormat } from '../../../shared/types.js';
import { openArchiveFile, toUnreadable } from './open-file.js';
import { readPdfEntry } from './pdf.js';
import { readRarEntry } from './rar.js';
import { readSevenZipEntry } from './seven-zip.js';
import { readTarEntry } from './tar.js';
import { readZipEntry } from './zip-entry.js';
import { ArchiveError, DEFAULT_ARCHIVE_LIMITS } from './types.js';

export interface ReadArchiveEntryOptions {
  /** Refuse entries whose declared or actual size is larger ('too-large'). Default: maxEntryBytes. */
  maxBytes?: number;
  /** Read once (the index pass): a CB7 decodes only this entry and its reader keeps nothing (seven-zip.ts). */
  once?: boolean;
}

export async function readArchiveEntry(filePath: string, format: ComicFormat, entryName: string, options: ReadArchiveEntryOptions = {}): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? DEFAULT_ARCHIVE_LIMITS.maxEntryBytes;
  switch (format) {
    case 'zip':
    case 'epub':
      return readZipEntry(filePath, entryName, maxBytes);
    case 'rar':
    case 'tar': {
      const { handle, size } = await openArchiveFile(filePath);
      try {
        return format === 'rar' ? await readRarEntry(handle, size, entryName, maxBytes) : await readTarEntry(handle, size, entryName, maxBytes);
      } catch (error) {
        throw toUnreadable(error);
      } finally {
        await handle.close().catch(() => undefined);
      }
    }
    case '7z':
    case 'pdf':
      try {
        return format === '7z' ? await readSevenZipEntry(filePath, entryName, maxBytes, { keep: options.once !== true }) : await readPdfEntry(filePath, entryName, maxBytes);
      } catch (error) {
        throw toUnreadable(error);
      }
    default:
      throw new ArchiveError('unsupported', `reading entries from ${format} files is not supported`, format);
  }
}
