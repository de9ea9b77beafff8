// 7z / CB7: listing from the headers in TypeScript (seven-zip-header.ts), on the caller's thread; 7-Zip in
// the WASM format worker only extracts, and lists what the TypeScript reader leaves to it.
//
// Solid archives compress many pages as one stream (a "block"): reaching page 40 means decoding pages
// 1–39 first. So a read from a solid block also extracts the next few pages of that block in the same
// decode and keeps them in a small byte-bounded cache: a reader turning pages pays one decode per
// window, not one per page.
import { stat } from 'node:fs/promises';
import type { ReadableFile } from './file-io.js';
import { openArchiveFile } from './open-file.js';
import { listPages } from './pages.js';
import { readSevenZipHeader } from './seven-zip-header.js';
import { parseSevenZipListing, sevenZipFailure, type SevenZipEntry } from './seven-zip-listing.js';
import { ArchiveError, type ArchiveIndex, type ArchiveLimits } from './types.js';
import { wasmWorker } from './wasm-worker.js';

/** Pages extracted together from one solid block (the asked-for one and those after it). */
const SOLID_WINDOW_ENTRIES = 8;
const SOLID_WINDOW_BYTES = 48 * 1024 * 1024;
/** Bytes of extracted entries kept per process. */
const CACHE_BYTES = 96 * 1024 * 1024;
const LISTINGS_KEPT = 16;

class ByteLru<V extends { length: number }> {
  #map = new Map<string, V>();
  #bytes = 0;
  constructor(readonly maxBytes: number) {}
  get bytes(): number {
    return this.#bytes;
  }
  get(key: string): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    if (value.length > this.maxBytes) return;
    const old = this.#map.get(key);
    if (old) this.#bytes -= old.length;
    this.#map.delete(key);
    this.#map.set(key, value);
    this.#bytes += value.length;
    for (const [k, v] of this.#map) {
      if (this.#bytes <= this.maxBytes) break;
      this.#map.delete(k);
      this.#bytes -= v.length;
    }
  }
}

const entryCache = new ByteLru<Buffer>(CACHE_BYTES);

/** Bytes of extracted entries this process keeps (tests: the index pass keeps none). */
export function keptEntryBytes(): number {
  return entryCache.bytes;
}
const listings = new Map<string, SevenZipEntry[]>();

/** Size and mtime the caller already has (the index pass's fstat of the opened file). */
export interface KnownStat {
  size: number;
  mtimeMs: number;
}

async function fileKey(filePath: string, known?: KnownStat): Promise<string> {
  const stats = known ?? (await stat(filePath));
  return `${filePath}\0${stats.size}\0${stats.mtimeMs}`;
}

/** The file already open (the index pass): the TypeScript listing reads through it. */
export interface OpenSevenZip {
  handle: ReadableFile;
  size: number;
  /** The first bytes of the file, when the caller has read them (the start header is there). */
  head?: Buffer;
}

/** 7-Zip WASM's listing: the fallback, in the format worker. */
async function wasmListing(filePath: string, maxEntries: number): Promise<SevenZipEntry[]> {
  const { rc, out, err } = await wasmWorker().run({ op: '7z-list', path: filePath });
  const failure = sevenZipFailure(rc, out, err);
  if (failure) throw failure;
  return parseSevenZipListing(out, maxEntries);
}

/**
 * The TypeScript listing, or null when 7-Zip should list the file: the reader said 'unsupported' (a
 * header coder it does not decode, an encrypted header, an unusual name…), or found the header damaged
 * ('corrupt', 'truncated'): 7-Zip tolerates some damage (it searches for a moved signature header,
 * recovers a zeroed one), so its verdict is the row's, as before. Too many entries, or a header over
 * the size cap, is final (7-Zip would list them only to be refused), and so is a file that cannot be
 * opened or read.
 */
async function headerListing(filePath: string, maxEntries: number, open: OpenSevenZip | undefined): Promise<SevenZipEntry[] | null> {
  const opened = open ?? (await openArchiveFile(filePath));
  try {
    const result = await readSevenZipHeader(opened.handle, opened.size, { maxEntries, head: open?.head });
    return result.kind === 'listed' ? result.entries : null;
  } catch (error) {
    if (error instanceof ArchiveError && (error.kind === 'corrupt' || error.kind === 'truncated')) return null;
    // too-large, or the file could not be opened or read (unreadable, an OS error): that is the answer.
    throw error;
  } finally {
    if (!open) await opened.handle.close().catch(() => undefined);
  }
}

/** Listings that came from each reader in this process (tests, profiles). */
export const sevenZipListings = { typescript: 0, wasm: 0 };

/**
 * `LONGBOX_7Z_LISTING=wasm`: every 7z listed by 7-Zip WASM, as before the TypeScript reader (A/B
 * measurements in one checkout; a way out if the reader ever lists a file wrongly).
 */
export const SEVEN_ZIP_LISTING_ENV = 'LONGBOX_7Z_LISTING';

async function listEntries(filePath: string, key: string, maxEntries: number, open?: OpenSevenZip): Promise<SevenZipEntry[]> {
  const cached = listings.get(key);
  if (cached && cached.length <= maxEntries) return cached;
  let entries = process.env[SEVEN_ZIP_LISTING_ENV] === 'wasm' ? null : await headerListing(filePath, maxEntries, open);
  if (entries) sevenZipListings.typescript++;
  else {
    entries = await wasmListing(filePath, maxEntries);
    sevenZipListings.wasm++;
  }
  listings.set(key, entries);
  if (listings.size > LISTINGS_KEPT) listings.delete(listings.keys().next().value!);
  return entries;
}

/** Lists a 7z archive; `open`: the file the caller has open (no second open, no stat then). */
export async function readSevenZipIndex(filePath: string, limits: ArchiveLimits, known?: KnownStat, open?: OpenSevenZip): Promise<ArchiveIndex> {
  const entries = await listEntries(filePath, await fileKey(filePath, known), limits.maxEntries, open);
  return { format: '7z', entries, comment: null };
}

/** The entries to extract along with `entry`: the next pages of its solid block, within the window. */
function windowFor(entries: readonly SevenZipEntry[], entry: SevenZipEntry, maxBytes: number): SevenZipEntry[] {
  if (entry.block === null) return [entry];
  const inBlock = entries.filter((other) => other.block === entry.block && !other.isDirectory);
  if (inBlock.length < 2) return [entry];
  const pages = new Set(listPages(inBlock));
  const window = [entry];
  let bytes = entry.size;
  for (let i = inBlock.indexOf(entry) + 1; i < inBlock.length && window.length < SOLID_WINDOW_ENTRIES; i++) {
    const next = inBlock[i]!;
    if (!pages.has(next.name) || next.size > maxBytes || bytes + next.size > SOLID_WINDOW_BYTES) break;
    window.push(next);
    bytes += next.size;
  }
  return window;
}

export interface SevenZipEntryOptions {
  maxEntries?: number;
  /**
   * false: this entry only, and nothing kept (the index pass reads one ComicInfo.xml per file, once:
   * kept, each rescan of a touched CB7 added its window to the cache under a new mtime key, and the
   * rebuild worker grew by ≈ 14 KB per CB7 per rebuild up to CACHE_BYTES). Default true (a reader).
   */
  keep?: boolean;
  /** The file's size and mtime when the caller has them (no stat then). */
  known?: KnownStat;
}

export async function readSevenZipEntry(filePath: string, entryName: string, maxBytes: number, options: SevenZipEntryOptions = {}): Promise<Buffer> {
  const keep = options.keep ?? true;
  const maxEntries = options.maxEntries ?? Number.MAX_SAFE_INTEGER;
  const key = await fileKey(filePath, options.known);
  const hit = entryCache.get(`${key}\0${entryName}`);
  if (hit) return hit;
  const entries = await listEntries(filePath, key, maxEntries);
  const entry = entries.find((candidate) => candidate.name === entryName && !candidate.isDirectory);
  if (!entry) throw new ArchiveError('corrupt', `7z entry "${entryName}" not found`, '7z');
  if (entry.isEncrypted) throw new ArchiveError('encrypted', `"${entryName}" is password protected.`, '7z');
  if (entry.size > maxBytes) throw new ArchiveError('too-large', `"${entryName}" is ${entry.size} bytes, over the ${maxBytes}-byte limit.`, '7z');
  if (entry.size === 0) return Buffer.alloc(0);
  const window = keep ? windowFor(entries, entry, maxBytes) : [entry];
  const { rc, out, err, files } = await wasmWorker().run({ op: '7z-extract', path: filePath, names: window.map((e) => e.name) });
  let wanted: Buffer | null = null;
  for (const file of files) {
    const data = Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength);
    if (file.name === entryName) wanted = data;
    else if (keep) entryCache.set(`${key}\0${file.name}`, data);
  }
  if (wanted === null || wanted.length !== entry.size) {
    throw sevenZipFailure(rc, out, err) ?? new ArchiveError('corrupt', `7z entry "${entryName}" could not be extracted.`, '7z');
  }
  if (keep) entryCache.set(`${key}\0${entryName}`, wanted);
  return wanted;
}
