// What the index pass learns about an archive without extracting anything.
import type { BookKind, ComicFormat, ComicMetadata, ErrorKind } from '../../../shared/types.js';

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
  /**
   * Reading position when the format defines the order (EPUB spine, PDF page number); null marks an entry
   * that is not a page in such a format. When any entry of an index has the field, the pages are exactly
   * the entries with a number, in that order (listPages), whatever their names.
   */
  pageOrder?: number | null;
}

/** Metadata a document format carries itself (PDF Info dictionary, EPUB OPF), for the merge. */
export interface DocumentMetadata {
  source: 'pdf' | 'epub';
  metadata: Partial<ComicMetadata>;
  /** A ComicInfo.xml or MetronInfo.xml document stored inside the document's metadata (comicbox does this for PDFs). */
  embeddedXml: string | null;
}

export interface ArchiveIndex {
  format: ComicFormat;
  entries: ArchiveEntry[];
  /** ZIP archive comment (ComicBookInfo JSON lives there), null elsewhere. */
  comment: string | null;
  /**
   * The entry asked for with readArchiveIndex's `readEntry` option (e.g. ComicInfo.xml), read through
   * the same open file, often from bytes the index pass already had. Absent when not asked for or
   * when the chooser picked nothing. A failure here is per entry: the index itself is still valid.
   */
  entry?: ArchiveEntryRead;
  /** 'text-book' for an EPUB of flowing text: its only page is the cover. Absent means 'comic'. */
  kind?: BookKind;
  document?: DocumentMetadata;
}

export type ArchiveEntryRead = { name: string; data: Buffer; error?: undefined } | { name: string; data?: undefined; error: ArchiveError };

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
  /** The container detected before the failure, when known (e.g. '7z' for an unsupported 7z). */
  format: ComicFormat | null;
  constructor(kind: ErrorKind, message: string, format: ComicFormat | null = null) {
    super(message);
    this.name = 'ArchiveError';
    this.kind = kind;
    this.format = format;
  }
}
