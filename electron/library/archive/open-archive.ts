// An archive kept open between reads: the file handle and its parsed directory, so the reader's
// page turns neither reopen nor re-parse it (ZIP: central directory with entry locations; TAR: data
// offsets; RAR: the open descriptor, and for solid archives the pages decompressed in one pass).
// Formats without a handle-based reader here go through readArchiveIndex/readArchiveEntry, so a
// format added there works through this too (only slower: one open per read).
import { fstat, type Stats } from 'node:fs';
import { promisify } from 'node:util';
import type { BookKind, ComicFormat } from '../../../shared/types.js';
import { detectFormat, DETECT_HEAD_BYTES, rarVersion } from './detect.js';
import { readArchiveEntry } from './extract.js';
import { readExactly, type ReadableFile } from './file-io.js';
import { openArchiveFile, toUnreadable } from './open-file.js';
import { isSolidRar, readRarEntries, readRarEntry, readRarIndex } from './rar.js';
import { readArchiveIndex } from './read-index.js';
import { readTarDirectory } from './tar.js';
import { readZipDirectory, type ZipDirectory } from './zip-directory.js';
import { readZipEntryHead } from './zip-head.js';
import { readZipEntryFromDirectory, readZipEntryWithYauzl } from './zip-entry.js';
import { ArchiveError, DEFAULT_ARCHIVE_LIMITS, type ArchiveEntry, type ArchiveLimits } from './types.js';

/** What identifies the file that was opened (a replaced or rewritten file differs in one of these). */
export interface FileIdentity {
  size: number;
  mtimeMs: number;
  ino: number;
}

export interface OpenArchive {
  readonly format: ComicFormat;
  readonly entries: readonly ArchiveEntry[];
  /** ZIP comment, else null. */
  readonly comment: string | null;
  /** Reading one entry costs decompressing every entry before it (solid RAR). */
  readonly solid: boolean;
  /** 'text-book' for an EPUB of flowing text (from the index); absent: a comic. */
  readonly kind?: BookKind;
  readonly identity: FileIdentity;
  /** One entry's bytes, checked (CRC where the format has one), by its listed name. */
  readEntry(name: string, options?: { maxBytes?: number }): Promise<Buffer>;
  /**
   * Up to `bytes` bytes from the start of each named entry, as cheaply as the format allows (ZIP and
   * TAR: a read, plus a partial inflate; RAR: one pass that keeps only each entry's head). Unchecked:
   * for sniffing headers only. A per-entry failure is that entry's value.
   */
  readHeads(names: readonly string[], bytes: number): Promise<Map<string, Buffer | ArchiveError>>;
  /** Bytes of decompressed entries held in memory (solid RAR), 0 elsewhere. */
  cachedBytes(): number;
  /** Drops those bytes (the next read decompresses again). */
  releaseMemory(): void;
  close(): Promise<void>;
}

export interface OpenArchiveOptions {
  limits?: Partial<ArchiveLimits>;
  /** Solid archives whose pages add up to at most this are decompressed whole on the first read and served from memory (default 192 MiB). */
  solidCacheBytes?: number;
}

function identityOf(stats: Stats): FileIdentity {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino };
}

function mapped(error: unknown): unknown {
  return toUnreadable(error);
}

/** Opens `filePath` and reads its directory. Throws ArchiveError for per-file problems, like readArchiveIndex. */
export async function openArchive(filePath: string, options: OpenArchiveOptions = {}): Promise<OpenArchive> {
  const limits: ArchiveLimits = { ...DEFAULT_ARCHIVE_LIMITS, ...options.limits };
  const { handle, size } = await openArchiveFile(filePath);
  let keep = false;
  try {
    const identity = identityOf(await promisify(fstat)(handle.fd));
    const head = await readExactly(handle, Math.min(size, DETECT_HEAD_BYTES), 0);
    const format = detectFormat(head);
    let archive: OpenArchive;
    switch (format) {
      case 'zip':
        archive = openZip(filePath, handle, size, identity, await readZipDirectory(handle, size, { limits, withLocations: true }), limits);
        break;
      case 'tar': {
        const directory = await readTarDirectory(handle, size, limits);
        archive = openTar(handle, size, identity, directory.entries, directory.dataOffsets, limits);
        break;
      }
      case 'rar': {
        const index = await readRarIndex(handle, size, rarVersion(head), limits);
        archive = openRar(handle, size, identity, index.entries, await isSolidRar(handle, size), limits, options.solidCacheBytes ?? 192 * 1024 * 1024);
        break;
      }
      default:
        await handle.close().catch(() => undefined);
        return await openGeneric(filePath, identity, limits);
    }
    keep = true;
    return archive;
  } catch (error) {
    throw mapped(error);
  } finally {
    if (!keep) await handle.close().catch(() => undefined);
  }
}

function byName(entries: readonly ArchiveEntry[]): Map<string, number> {
  const positions = new Map<string, number>();
  entries.forEach((entry, i) => {
    if (!entry.isDirectory && !positions.has(entry.name)) positions.set(entry.name, i);
  });
  return positions;
}

function notFound(name: string): ArchiveError {
  return new ArchiveError('corrupt', `entry "${name}" not found`);
}

function checkSize(entry: ArchiveEntry, maxBytes: number): void {
  if (entry.isEncrypted) throw new ArchiveError('encrypted', `entry "${entry.name}" is password protected`);
  if (entry.size > maxBytes) throw new ArchiveError('too-large', `entry "${entry.name}" declares ${entry.size} bytes, over the ${maxBytes}-byte limit`);
}

async function headsOneByOne(names: readonly string[], read: (name: string) => Promise<Buffer>): Promise<Map<string, Buffer | ArchiveError>> {
  const heads = new Map<string, Buffer | ArchiveError>();
  for (const name of names) {
    try {
      heads.set(name, await read(name));
    } catch (error) {
      const failure = mapped(error);
      if (!(failure instanceof ArchiveError)) throw failure;
      heads.set(name, failure);
    }
  }
  return heads;
}

function openZip(filePath: string, handle: ReadableFile, size: number, identity: FileIdentity, directory: ZipDirectory, limits: ArchiveLimits): OpenArchive {
  const positions = byName(directory.entries);
  const locate = (name: string): number => {
    const at = positions.get(name);
    if (at === undefined) throw notFound(name);
    return at;
  };
  return {
    format: 'zip',
    entries: directory.entries,
    comment: directory.comment,
    solid: false,
    identity,
    async readEntry(name, options = {}) {
      const maxBytes = options.maxBytes ?? limits.maxEntryBytes;
      const at = locate(name);
      checkSize(directory.entries[at], maxBytes);
      const method = directory.locations[at].method;
      try {
        // Stored and deflated entries of any size in memory (pages are a few MB); others through yauzl.
        if (method === 0 || method === 8) return await readZipEntryFromDirectory(handle, size, directory, at, maxBytes);
      } catch (error) {
        throw mapped(error);
      }
      return readZipEntryWithYauzl(filePath, name, maxBytes);
    },
    readHeads(names, bytes) {
      return headsOneByOne(names, (name) => readZipEntryHead(handle, size, directory, locate(name), bytes));
    },
    cachedBytes: () => 0,
    releaseMemory: () => undefined,
    close: () => handle.close(),
  };
}

function openTar(handle: ReadableFile, size: number, identity: FileIdentity, entries: ArchiveEntry[], dataOffsets: number[], limits: ArchiveLimits): OpenArchive {
  const positions = byName(entries);
  const read = async (name: string, length: (entry: ArchiveEntry) => number): Promise<Buffer> => {
    const at = positions.get(name);
    if (at === undefined) throw notFound(name);
    const wanted = length(entries[at]);
    return wanted === 0 ? Buffer.alloc(0) : readExactly(handle, wanted, dataOffsets[at]);
  };
  return {
    format: 'tar',
    entries,
    comment: null,
    solid: false,
    identity,
    readEntry: (name, options = {}) =>
      read(name, (entry) => {
        checkSize(entry, options.maxBytes ?? limits.maxEntryBytes);
        return entry.size;
      }).catch((error: unknown) => {
        throw mapped(error);
      }),
    readHeads: (names, bytes) => headsOneByOne(names, (name) => read(name, (entry) => Math.min(entry.size, bytes))),
    cachedBytes: () => 0,
    releaseMemory: () => undefined,
    close: () => handle.close(),
  };
}

function openRar(
  handle: ReadableFile,
  size: number,
  identity: FileIdentity,
  entries: ArchiveEntry[],
  solid: boolean,
  limits: ArchiveLimits,
  solidCacheBytes: number,
): OpenArchive {
  const positions = byName(entries);
  // Solid: the pages of one full pass, kept while the archive stays open (bounded by solidCacheBytes).
  let solidPages: Map<string, Buffer | ArchiveError> | null = null;
  let solidBytes = 0;
  const files = entries.filter((entry) => !entry.isDirectory);
  const total = files.reduce((sum, entry) => sum + entry.size, 0);
  return {
    format: 'rar',
    entries,
    comment: null,
    solid,
    identity,
    async readEntry(name, options = {}) {
      const maxBytes = options.maxBytes ?? limits.maxEntryBytes;
      const at = positions.get(name);
      if (at === undefined) throw notFound(name);
      checkSize(entries[at], maxBytes);
      try {
        if (solid && total <= solidCacheBytes) {
          if (solidPages === null) {
            const pages = new Map<string, Buffer | ArchiveError>();
            let bytes = 0;
            await readRarEntries(handle, size, files.map((entry) => entry.name), { maxBytes }, (entryName, result) => {
              pages.set(entryName, result);
              if (Buffer.isBuffer(result)) bytes += result.length;
            });
            solidPages = pages;
            solidBytes = bytes;
          }
          const page = solidPages.get(name);
          if (page === undefined) throw notFound(name);
          if (page instanceof ArchiveError) throw page;
          return page;
        }
        return await readRarEntry(handle, size, name, maxBytes);
      } catch (error) {
        throw mapped(error);
      }
    },
    async readHeads(names, bytes) {
      const heads = new Map<string, Buffer | ArchiveError>();
      try {
        if (solidPages !== null) {
          for (const name of names) {
            const page = solidPages.get(name);
            heads.set(name, page === undefined ? notFound(name) : page instanceof ArchiveError ? page : page.subarray(0, bytes));
          }
          return heads;
        }
        await readRarEntries(handle, size, names, { maxBytes: limits.maxEntryBytes, headBytes: bytes }, (name, result) => heads.set(name, result));
      } catch (error) {
        throw mapped(error);
      }
      for (const name of names) if (!heads.has(name)) heads.set(name, notFound(name));
      return heads;
    },
    cachedBytes: () => solidBytes,
    releaseMemory: () => {
      solidPages = null;
      solidBytes = 0;
    },
    close: async () => {
      solidPages = null;
      await handle.close();
    },
  };
}

/** Any other format the archive layer reads: through readArchiveIndex/readArchiveEntry (one open per call). */
async function openGeneric(filePath: string, identity: FileIdentity, limits: ArchiveLimits): Promise<OpenArchive> {
  const index = await readArchiveIndex(filePath, { limits });
  const read = (name: string, maxBytes = limits.maxEntryBytes) => readArchiveEntry(filePath, index.format, name, { maxBytes });
  return {
    format: index.format,
    entries: index.entries,
    comment: index.comment,
    solid: false,
    ...(index.kind === undefined ? {} : { kind: index.kind }),
    identity,
    readEntry: (name, options = {}) => read(name, options.maxBytes),
    readHeads: async (names, bytes) => {
      // A PDF's .png pages are renderings: sizing them would render every page. Only embedded JPEGs are read.
      const heads = await headsOneByOne(names, (name) =>
        index.format === 'pdf' && !name.endsWith('.jpg') ? Promise.reject(new ArchiveError('unsupported', 'rendered on demand', 'pdf')) : read(name),
      );
      for (const [name, value] of heads) if (Buffer.isBuffer(value)) heads.set(name, value.subarray(0, bytes));
      return heads;
    },
    cachedBytes: () => 0,
    releaseMemory: () => undefined,
    close: async () => undefined,
  };
}
