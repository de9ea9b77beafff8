// readArchiveIndex: open once, read the head for the magic, dispatch to the format's reader.
import type { ComicFormat } from '../../../shared/types.js';
import { detectFormat, DETECT_HEAD_BYTES, rarVersion } from './detect.js';
import { readExactly } from './file-io.js';
import { openArchiveFile, openArchiveFileSync, toUnreadable, type BlockingIoMeter } from './open-file.js';
import { readEpubIndex } from './epub.js';
import { readPdfEntry, readPdfIndex } from './pdf.js';
import { readRarEntry, readRarIndex } from './rar.js';
import { readSevenZipEntry, readSevenZipIndex } from './seven-zip.js';
import { readTarEntry, readTarIndex } from './tar.js';
import { readZipDirectory, ZIP_TAIL_BYTES } from './zip-directory.js';
import { readZipEntryFromDirectory } from './zip-entry.js';
import { ArchiveError, DEFAULT_ARCHIVE_LIMITS, type ArchiveEntry, type ArchiveIndex, type ArchiveLimits } from './types.js';

export interface ReadArchiveIndexOptions {
  limits?: Partial<ArchiveLimits>;
  /**
   * Also read one entry chosen from the listing (e.g. `findComicInfo`) while the file is open, instead
   * of a separate readArchiveEntry call: saves an open, a stat and a tail read per file, and for ZIPs
   * the entry's bytes are often inside the tail already read. The result is `index.entry`.
   */
  readEntry?: (entries: readonly ArchiveEntry[]) => ArchiveEntry | undefined;
  /** Size cap for `readEntry` (declared and actual; 'too-large' beyond). Default: limits.maxEntryBytes. */
  readEntryMaxBytes?: number;
  /**
   * Called with the listing (without `entry`) before `readEntry`'s entry is read: true leaves it unread
   * (no read, inflate or 7z decode). The rebuild's metadata reuse says so when the listing shows the
   * file's metadata unchanged (enrich-signature.ts). Every format's reader comes through here.
   */
  skipEntry?: (index: ArchiveIndex) => boolean;
  /**
   * Blocking reads (openArchiveFileSync) instead of the thread pool: cheaper per call on a warm cache.
   * The meter gets the time the file's blocking calls took.
   */
  syncIo?: BlockingIoMeter | false;
}

/** Reads the entry chosen by `options.readEntry`, recording a per-entry failure instead of throwing it. */
async function withEntry(
  index: ArchiveIndex,
  options: ReadArchiveIndexOptions,
  maxBytes: number,
  read: (chosen: ArchiveEntry) => Promise<Buffer>,
): Promise<ArchiveIndex> {
  if (options.skipEntry?.(index) === true) return index;
  const chosen = options.readEntry?.(index.entries);
  if (chosen === undefined) return index;
  try {
    return { ...index, entry: { name: chosen.name, data: await read(chosen) } };
  } catch (error) {
    const mapped = toUnreadable(error);
    if (!(mapped instanceof ArchiveError)) throw mapped;
    return { ...index, entry: { name: chosen.name, error: mapped } };
  }
}

/**
 * Lists an archive's entries without extracting anything. Per-file problems throw ArchiveError
 * (its kind becomes the row's error); only failures that are not about this file (EMFILE, ENOMEM…)
 * throw anything else. The file handle is always closed.
 */
export async function readArchiveIndex(filePath: string, options: ReadArchiveIndexOptions = {}): Promise<ArchiveIndex> {
  const limits: ArchiveLimits = { ...DEFAULT_ARCHIVE_LIMITS, ...options.limits };
  const maxEntryBytes = options.readEntryMaxBytes ?? limits.maxEntryBytes;
  const { handle, size, mtimeMs } = options.syncIo ? openArchiveFileSync(filePath, options.syncIo) : await openArchiveFile(filePath);
  let detected: ComicFormat | null = null;
  try {
    // Small files (most single-chapter CBZs are not, but many test and web files are) are read in one
    // go and the same bytes serve as head and tail.
    const whole = size <= ZIP_TAIL_BYTES ? await readExactly(handle, size, 0) : null;
    const head = whole ?? (await readExactly(handle, Math.min(size, DETECT_HEAD_BYTES), 0));
    const format = detectFormat(head);
    detected = format === 'unknown' ? null : format;
    switch (format) {
      case 'zip': {
        const wantsEntry = options.readEntry !== undefined;
        const directory = await readZipDirectory(handle, size, { limits, tail: whole ?? undefined, withLocations: wantsEntry });
        const index: ArchiveIndex = { format, entries: directory.entries, comment: directory.comment };
        return await withEntry(index, options, maxEntryBytes, (chosen) => {
          const at = directory.entries.indexOf(chosen);
          const position = at >= 0 ? at : directory.entries.findIndex((entry) => entry.name === chosen.name && !entry.isDirectory);
          if (position < 0) throw new ArchiveError('corrupt', `ZIP entry "${chosen.name}" not found`);
          return readZipEntryFromDirectory(handle, size, directory, position, maxEntryBytes);
        });
      }
      case 'rar': {
        const index = await readRarIndex(handle, size, rarVersion(head), limits);
        return await withEntry(index, options, maxEntryBytes, (chosen) => readRarEntry(handle, size, chosen.name, maxEntryBytes));
      }
      case 'tar': {
        const index = await readTarIndex(handle, size, limits);
        return await withEntry(index, options, maxEntryBytes, (chosen) => readTarEntry(handle, size, chosen.name, maxEntryBytes));
      }
      case '7z': {
        // The listing and the entry are keyed by the size and mtime of the file opened here: no stat.
        const known = { size, mtimeMs };
        // Listed from the headers through this handle; only the entry's extraction goes to 7-Zip WASM.
        const index = await readSevenZipIndex(filePath, limits, known, { handle, size, head: whole ?? head });
        return await withEntry(index, options, maxEntryBytes, (chosen) => readSevenZipEntry(filePath, chosen.name, maxEntryBytes, { maxEntries: limits.maxEntries, keep: false, known }));
      }
      case 'pdf': {
        const index = await readPdfIndex(filePath, limits, size);
        return await withEntry(index, options, maxEntryBytes, (chosen) => readPdfEntry(filePath, chosen.name, maxEntryBytes));
      }
      case 'epub': {
        const directory = await readZipDirectory(handle, size, { limits, tail: whole ?? undefined, withLocations: true });
        const index = await readEpubIndex(handle, size, directory);
        return await withEntry(index, options, maxEntryBytes, (chosen) => readZipEntryFromDirectory(handle, size, directory, directory.entries.findIndex((e) => e.name === chosen.name), maxEntryBytes));
      }
      case 'unknown':
        throw new ArchiveError('not-archive', 'Not a comic archive: the file starts with no known archive signature');
    }
  } catch (error) {
    const mapped = toUnreadable(error);
    if (mapped instanceof ArchiveError && mapped.format === null) mapped.format = detected;
    throw mapped;
  } finally {
    await handle.close().catch(() => undefined);
  }
}
