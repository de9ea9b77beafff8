// What the index pass learns about an archive without extracting anything.
import type { ComicFormat, ErrorKind } from '../../../shared/types.js';

export interface ArchiveEntry {
  /** Entry name decoded to a string (UTF-8 flag honoured, else CP437 for ZIP). Never used as a path on disk. */
  name: string;
  /** Uncompressed size as declared by the archive. */
  size: number;
  compressedSize: number;
  /** CRC-32 as declared (0 where the format has none). */
  crc32: number;
  isDirectory: boolean;
  isEncrypted: boolean;
}

export interface ArchiveIndex {
  format: ComicFormat;
  entries: ArchiveEntry[];
  /** ZIP archive comment (ComicBookInfo JSON lives there), null elsewhere. */
  comment: string | null;
}

export interface ArchiveLimits {
  /** Refuse archives with more entries than this (kind 'too-large'). */
  maxEntries: number;
  /** Refuse to extract an entry whose declared or actual size is larger (kind 'too-large'). */
  maxEntryBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 20_000,
  maxEntryBytes: 64 * 1024 * 1024,
};

/** A per-file failure: becomes the row's errorKind/errorMessage, never fails a rebuild. */
export class ArchiveError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string) {
    super(message);
    this.name = 'ArchiveError';
    this.kind = kind;
  }
}
