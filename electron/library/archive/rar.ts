// RAR 4 and RAR 5 through node-unrar-js (the official unrar source compiled to WebAssembly).
//
// Why a custom Extractor instead of createExtractorFromFile / createExtractorFromData:
// - createExtractorFromData needs the whole archive in memory (a CBR can be hundreds of MB);
// - createExtractorFromFile writes extracted entries to disk under their archive names (entry names
//   must never become paths, docs/architecture.md §7) and opens follow-up volumes by name.
// Our subclass reads the archive through the already open file descriptor and keeps extracted bytes in
// memory, capped at maxBytes. It refuses to open any other file, so volumes fail cleanly.
//
// The wasm module is a process-wide singleton that calls back into `module.extractor`; every operation
// below sets it and then runs synchronously to completion, so concurrent calls cannot interleave.
import { readSync } from 'node:fs';
import type { ReadableFile } from './file-io.js';
import { Extractor, UnrarError, type ArcHeader, type FileHeader, type SeekMethod } from 'node-unrar-js';
import { getUnrar } from 'node-unrar-js/dist/js/unrar.singleton.js';
import { checkRarStructure } from './rar-structure.js';
import { ArchiveError, type ArchiveEntry, type ArchiveIndex, type ArchiveLimits } from './types.js';
import { messageOf } from '../../../shared/errors.js';

/** The parts of the emscripten module we touch. */
interface UnrarModule {
  extractor: unknown;
  HEAPU8: Uint8Array;
}

const ARCHIVE_NAME = 'archive.rar';

interface OpenArchive {
  position: number;
}

interface Sink {
  chunks: Buffer[];
  bytes: number;
}

class FileDescriptorExtractor extends Extractor {
  protected _filePath = ARCHIVE_NAME;
  private readonly opened = new Map<number, OpenArchive>();
  private readonly sinks = new Map<number, Sink>();
  private nextHandle = 1;
  /** Set when an entry grew past maxBytes; the write is refused and the result discarded. */
  overflowed = false;
  /** The last sink created, i.e. the extracted entry. */
  lastSink: Sink | null = null;
  /** When set, keep only this many bytes of each entry and refuse the rest (unrar then skips it). */
  headBytes: number | null = null;

  constructor(
    private readonly module: UnrarModule,
    private readonly fd: number,
    private readonly size: number,
    private readonly maxBytes: number,
  ) {
    super(module);
  }

  protected open(filename: string): number {
    // Only the archive itself: volume parts and reference sources are never opened.
    if (filename !== ARCHIVE_NAME) return 0;
    const handle = this.nextHandle++;
    this.opened.set(handle, { position: 0 });
    return handle;
  }

  protected create(_filename: string): number {
    const handle = this.nextHandle++;
    const sink: Sink = { chunks: [], bytes: 0 };
    this.sinks.set(handle, sink);
    this.lastSink = sink;
    return handle;
  }

  protected closeFile(fd: number): void {
    this.opened.delete(fd);
    this.sinks.delete(fd);
  }

  protected read(fd: number, buf: number, size: number): number {
    const archive = this.opened.get(fd);
    if (archive === undefined) return -1;
    const length = Math.min(size, this.size - archive.position);
    if (length <= 0) return 0;
    const bytesRead = readSync(this.fd, this.module.HEAPU8, buf, length, archive.position);
    archive.position += bytesRead;
    return bytesRead;
  }

  protected write(fd: number, buf: number, size: number): boolean {
    const sink = this.sinks.get(fd);
    if (sink === undefined) return false;
    if (this.headBytes !== null) {
      if (sink.bytes >= this.headBytes) return false;
      const keep = Math.min(size, this.headBytes - sink.bytes);
      sink.chunks.push(Buffer.from(this.module.HEAPU8.subarray(buf, buf + keep)));
      sink.bytes += keep;
      return true;
    }
    if (sink.bytes + size > this.maxBytes) {
      this.overflowed = true;
      return false;
    }
    // Copy out: the wasm heap is reused for the next block.
    sink.chunks.push(Buffer.from(this.module.HEAPU8.subarray(buf, buf + size)));
    sink.bytes += size;
    return true;
  }

  protected tell(fd: number): number {
    return this.opened.get(fd)?.position ?? -1;
  }

  protected seek(fd: number, pos: number, method: SeekMethod): boolean {
    const archive = this.opened.get(fd);
    if (archive === undefined) return false;
    const base = method === 'SET' ? 0 : method === 'CUR' ? archive.position : this.size;
    const target = base + pos;
    if (target < 0 || target > this.size) return false;
    archive.position = target;
    return true;
  }
}

let unrarModule: Promise<UnrarModule> | null = null;

/**
 * One wasm instance per process. node-unrar-js's own singleton creates one per concurrent first call,
 * and each instance installs emscripten's process-wide 'uncaughtException'/'unhandledRejection'
 * handlers, which rethrow (turning any stray rejection in the host into a crash): remove them.
 */
function loadUnrar(): Promise<UnrarModule> {
  unrarModule ??= (async () => {
    const before = {
      uncaughtException: new Set(process.listeners('uncaughtException')),
      unhandledRejection: new Set(process.listeners('unhandledRejection')),
    };
    const module = (await getUnrar()) as UnrarModule;
    for (const listener of process.listeners('uncaughtException')) {
      if (!before.uncaughtException.has(listener)) process.removeListener('uncaughtException', listener);
    }
    for (const listener of process.listeners('unhandledRejection')) {
      if (!before.unhandledRejection.has(listener)) process.removeListener('unhandledRejection', listener);
    }
    return module;
  })();
  return unrarModule;
}

/**
 * Points the shared wasm instance at a new extractor. Synchronous on purpose: callers use it right
 * away with no await in between, so no other file's read can take the instance over meanwhile.
 */
function attachExtractor(module: UnrarModule, fd: number, size: number, maxBytes: number): FileDescriptorExtractor {
  const extractor = new FileDescriptorExtractor(module, fd, size, maxBytes);
  module.extractor = extractor;
  return extractor;
}

/** unrar keeps native state until an iterator is drained; errors after the first are irrelevant. */
function drain(iterator: Iterator<unknown>): void {
  try {
    while (!iterator.next().done);
  } catch {
    // The failing step already released the native archive.
  }
}

function toArchiveError(error: unknown, context: string): ArchiveError {
  if (error instanceof ArchiveError) return error;
  if (error instanceof UnrarError) {
    switch (error.reason) {
      case 'ERAR_MISSING_PASSWORD':
      case 'ERAR_BAD_PASSWORD':
        return new ArchiveError('encrypted', `${context}: password protected`);
      case 'ERAR_EREAD':
        return new ArchiveError('truncated', `${context}: the archive ends before its data does`);
      case 'ERAR_EOPEN':
        return new ArchiveError('multi-volume', `${context}: needs another volume`);
      default:
        return new ArchiveError('corrupt', `${context}: ${error.message}`);
    }
  }
  return new ArchiveError('corrupt', `${context}: ${messageOf(error)}`);
}

function toEntry(header: FileHeader): ArchiveEntry {
  const isDirectory = header.flags.directory;
  return {
    name: header.name,
    size: isDirectory ? 0 : header.unpSize,
    compressedSize: isDirectory ? 0 : header.packSize,
    // unrar leaves the previous header's CRC on directories.
    crc32: isDirectory ? 0 : header.crc >>> 0,
    isDirectory,
    isEncrypted: header.flags.encrypted,
  };
}

function refuseArchiveFlags(arcHeader: ArcHeader): void {
  if (arcHeader.flags.headerEncrypted) throw new ArchiveError('encrypted', 'RAR headers are password protected');
  if (arcHeader.flags.volume) throw new ArchiveError('multi-volume', 'part of a multi-volume RAR; only single-file archives are read');
}

/** Lists a RAR's entries. Header- or file-encrypted → 'encrypted', volume → 'multi-volume'. */
export async function readRarIndex(handle: ReadableFile, size: number, version: 4 | 5, limits: Pick<ArchiveLimits, 'maxEntries'>): Promise<ArchiveIndex> {
  const extractor = attachExtractor(await loadUnrar(), handle.fd, size, 0);
  const entries: ArchiveEntry[] = [];
  let entryCount = 0;
  let failure: ArchiveError | null = null;
  try {
    const list = extractor.getFileList();
    const headers = list.fileHeaders;
    try {
      refuseArchiveFlags(list.arcHeader);
      for (let step = headers.next(); !step.done; step = headers.next()) {
        entryCount++;
        if (entryCount <= limits.maxEntries) entries.push(toEntry(step.value));
      }
    } finally {
      drain(headers);
    }
  } catch (error) {
    failure = toArchiveError(error, 'RAR');
  }
  // Nothing above awaited, so the wasm singleton was ours throughout. Now check the shape: unrar
  // lists an archive cut between blocks as if it ended there, and reports a cut header as bad data.
  if (failure === null || failure.kind === 'corrupt') {
    try {
      const structure = await checkRarStructure(handle, size, version);
      if (structure === 'headers-encrypted' && failure === null) failure = new ArchiveError('encrypted', 'RAR headers are password protected');
    } catch (error) {
      const shapeError = toArchiveError(error, 'RAR');
      if (failure === null || shapeError.kind === 'truncated') failure = shapeError;
    }
  }
  if (failure !== null) throw failure;
  if (entryCount > limits.maxEntries) {
    throw new ArchiveError('too-large', `${entryCount} entries, more than the limit of ${limits.maxEntries}`);
  }
  if (entries.some((entry) => entry.isEncrypted && !entry.isDirectory)) {
    throw new ArchiveError('encrypted', 'RAR files are password protected');
  }
  return { format: 'rar', entries, comment: null };
}

/** Extracts one entry by its listed name into memory, refusing entries larger than maxBytes. */
export async function readRarEntry(handle: ReadableFile, size: number, entryName: string, maxBytes: number): Promise<Buffer> {
  const extractor = attachExtractor(await loadUnrar(), handle.fd, size, maxBytes);
  let found: FileHeader | null = null;
  try {
    const extracted = extractor.extract({ files: [entryName] });
    const files = extracted.files;
    try {
      refuseArchiveFlags(extracted.arcHeader);
      for (let step = files.next(); !step.done; step = files.next()) found = step.value.fileHeader;
    } finally {
      drain(files);
    }
  } catch (error) {
    if (extractor.overflowed) throw new ArchiveError('too-large', `RAR entry "${entryName}" is larger than ${maxBytes} bytes`);
    if (error instanceof UnrarError && error.reason === 'ERAR_BAD_DATA') {
      throw new ArchiveError('corrupt', `RAR entry "${entryName}": data is damaged (checksum mismatch)`);
    }
    throw toArchiveError(error, `RAR entry "${entryName}"`);
  }
  // unrar does not stop when a write is refused: it skips the rest of the entry and reports success.
  if (extractor.overflowed) throw new ArchiveError('too-large', `RAR entry "${entryName}" is larger than ${maxBytes} bytes`);
  if (found === null) throw new ArchiveError('corrupt', `RAR entry "${entryName}" not found`);
  if (found.flags.directory) throw new ArchiveError('corrupt', `RAR entry "${entryName}" is a directory`);
  const sink = extractor.lastSink;
  const bytes = sink?.bytes ?? 0;
  if (bytes !== found.unpSize) throw new ArchiveError('corrupt', `RAR entry "${entryName}" gave ${bytes} bytes, its header says ${found.unpSize}`);
  return sink === null ? Buffer.alloc(0) : Buffer.concat(sink.chunks, bytes);
}

/** Whether a RAR is solid (every entry's data depends on the entries before it). */
export async function isSolidRar(handle: ReadableFile, size: number): Promise<boolean> {
  const extractor = attachExtractor(await loadUnrar(), handle.fd, size, 0);
  const list = extractor.getFileList();
  drain(list.fileHeaders);
  return list.arcHeader.flags.solid;
}

/**
 * Extracts several entries in one pass over the archive (one decompression of a solid archive, instead
 * of one per entry), calling `onEntry` with each entry's bytes in archive order. With `headBytes`, only
 * the first bytes of each entry are kept (the rest is refused, which unrar skips). Per-entry problems
 * (too large, damaged) are reported to `onEntry` as an error; archive-level ones throw.
 */
export async function readRarEntries(
  handle: ReadableFile,
  size: number,
  names: readonly string[],
  options: { maxBytes: number; headBytes?: number },
  onEntry: (name: string, result: Buffer | ArchiveError) => void,
): Promise<void> {
  const extractor = attachExtractor(await loadUnrar(), handle.fd, size, options.maxBytes);
  if (options.headBytes !== undefined) extractor.headBytes = options.headBytes;
  const wanted = new Set(names);
  try {
    const extracted = extractor.extract({ files: [...wanted] });
    const files = extracted.files;
    try {
      refuseArchiveFlags(extracted.arcHeader);
      for (let step = files.next(); !step.done; step = files.next()) {
        const header = step.value.fileHeader;
        const sink = extractor.lastSink;
        extractor.lastSink = null;
        if (header.flags.directory) continue;
        if (extractor.overflowed) {
          extractor.overflowed = false;
          onEntry(header.name, new ArchiveError('too-large', `RAR entry "${header.name}" is larger than ${options.maxBytes} bytes`));
          continue;
        }
        const bytes = sink?.bytes ?? 0;
        const expected = options.headBytes === undefined ? header.unpSize : Math.min(header.unpSize, options.headBytes);
        if (bytes !== expected) {
          onEntry(header.name, new ArchiveError('corrupt', `RAR entry "${header.name}" gave ${bytes} bytes, expected ${expected}`));
          continue;
        }
        onEntry(header.name, sink === null ? Buffer.alloc(0) : Buffer.concat(sink.chunks, bytes));
      }
    } finally {
      drain(files);
    }
  } catch (error) {
    if (error instanceof UnrarError && error.reason === 'ERAR_BAD_DATA') throw new ArchiveError('corrupt', 'RAR: data is damaged (checksum mismatch)');
    throw toArchiveError(error, 'RAR');
  }
}
