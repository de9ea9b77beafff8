// The part of page serving that touches archives: a small bounded cache of open archives (handle +
// parsed directory, see archive/open-archive.ts), the page list with pixel sizes from image headers,
// and page bytes. Runs inside a page worker thread (page-worker.ts), or in the calling thread when
// workers are unavailable. Format-agnostic: only the archive layer's functions.
import { stat } from 'node:fs/promises';
import type { BookKind } from '../../../shared/types.js';
import { ArchiveError, findComicInfo, listPages, openArchive, type FileIdentity, type OpenArchive } from '../archive/index.js';
import { parseComicInfoPages } from './comicinfo-pages.js';
import { IMAGE_HEAD_BYTES, IMAGE_HEAD_MAX_BYTES, readImageSize } from './image-size.js';

export interface PageEntry {
  name: string;
  size: number;
  width: number | null;
  height: number | null;
  /** ComicInfo marks the page DoublePage. */
  doublePage: boolean;
}

/** A comic's pages in reading order, and what kind of book it is. */
export interface PageEntries {
  pages: PageEntry[];
  kind: BookKind;
}

export interface PageReaderOptions {
  /** Archives kept open at once (default 4); the least recently used is closed beyond that. */
  maxOpen?: number;
  /** Per solid archive, pages decompressed in one pass and kept (default 192 MiB). */
  solidCacheBytes?: number;
  /** Decompressed pages held across all open archives (default 256 MiB): beyond it, the least recently used archive's are dropped. */
  memoryBudgetBytes?: number;
}

export interface PageReaderStats {
  opens: number;
  open: number;
}

const COMICINFO_MAX_BYTES = 1024 * 1024;

interface Slot {
  file: string;
  /** The comic's fingerprint when opened: a rebuilt row with another fingerprint reopens. */
  key: string;
  archive: Promise<OpenArchive>;
  users: number;
  evicted: boolean;
}

function sameFile(a: FileIdentity, b: { size: number; mtimeMs: number; ino: number }): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

export class PageReader {
  readonly #maxOpen: number;
  readonly #solidCacheBytes: number | undefined;
  readonly #memoryBudget: number;
  /** Insertion order = recency. */
  readonly #slots = new Map<string, Slot>();
  #opens = 0;

  constructor(options: PageReaderOptions = {}) {
    this.#maxOpen = Math.max(1, options.maxOpen ?? 4);
    this.#solidCacheBytes = options.solidCacheBytes;
    this.#memoryBudget = options.memoryBudgetBytes ?? 256 * 1024 * 1024;
  }

  /** Keeps the decompressed pages of solid archives within the budget, dropping the least recently used first. */
  async #enforceMemoryBudget(current: OpenArchive): Promise<void> {
    const open: OpenArchive[] = [];
    for (const slot of this.#slots.values()) {
      const archive = await slot.archive.catch(() => null);
      if (archive) open.push(archive);
    }
    let total = open.reduce((sum, archive) => sum + archive.cachedBytes(), 0);
    for (const archive of open) {
      if (total <= this.#memoryBudget) break;
      if (archive === current || archive.cachedBytes() === 0) continue;
      total -= archive.cachedBytes();
      archive.releaseMemory();
    }
  }

  stats(): PageReaderStats {
    return { opens: this.#opens, open: this.#slots.size };
  }

  /** Runs `use` with the open archive for `file`, opening it (or reopening a changed file) first. */
  async #with<T>(file: string, key: string, use: (archive: OpenArchive) => Promise<T>): Promise<T> {
    let slot = this.#slots.get(file);
    if (slot && slot.key === key) {
      // A page turn must not read a file replaced or deleted since it was opened (the open handle
      // would still read the old bytes): one stat says whether it is still the same file.
      const [opened, current] = await Promise.all([slot.archive.catch(() => null), stat(file).catch(() => null)]);
      if (opened === null || current === null || !sameFile(opened.identity, current)) {
        this.#evict(slot);
        slot = undefined;
      }
    } else if (slot) {
      this.#evict(slot);
      slot = undefined;
    }
    if (!slot) {
      this.#opens++;
      const created: Slot = {
        file,
        key,
        archive: openArchive(file, this.#solidCacheBytes === undefined ? {} : { solidCacheBytes: this.#solidCacheBytes }),
        users: 0,
        evicted: false,
      };
      // A failed open is not kept: the next request tries again (the disk may be back).
      created.archive.catch(() => {
        if (this.#slots.get(file) === created) this.#slots.delete(file);
      });
      slot = created;
      this.#slots.set(file, slot);
      this.#trim();
    } else {
      this.#slots.delete(file);
      this.#slots.set(file, slot);
    }
    slot.users++;
    try {
      const archive = await slot.archive;
      const result = await use(archive);
      if (archive.cachedBytes() > 0) await this.#enforceMemoryBudget(archive);
      return result;
    } finally {
      slot.users--;
      if (slot.evicted && slot.users === 0) this.#close(slot);
    }
  }

  #trim(): void {
    for (const slot of this.#slots.values()) {
      if (this.#slots.size <= this.#maxOpen) break;
      this.#evict(slot);
    }
  }

  #evict(slot: Slot): void {
    if (this.#slots.get(slot.file) === slot) this.#slots.delete(slot.file);
    slot.evicted = true;
    if (slot.users === 0) this.#close(slot);
  }

  #close(slot: Slot): void {
    slot.archive.then(
      (archive) => archive.close().catch(() => undefined),
      () => undefined,
    );
  }

  /** Pages in reading order with sizes: ComicInfo <Pages> where it gives both, else the image header. */
  list(file: string, key: string): Promise<PageEntries> {
    return this.#with(file, key, async (archive) => {
      const names = listPages(archive.entries);
      const sizes = new Map(archive.entries.filter((entry) => !entry.isDirectory).map((entry) => [entry.name, entry.size]));
      let declared = new Map<number, { width: number | null; height: number | null; doublePage: boolean }>();
      const comicInfo = findComicInfo(archive.entries);
      if (comicInfo !== undefined && comicInfo.size <= COMICINFO_MAX_BYTES) {
        try {
          declared = parseComicInfoPages(await archive.readEntry(comicInfo.name, { maxBytes: COMICINFO_MAX_BYTES }));
        } catch (error) {
          if (!(error instanceof ArchiveError)) throw error;
          // An unreadable ComicInfo.xml only means no declared sizes.
        }
      }
      const pages: PageEntry[] = names.map((name, i) => {
        const info = declared.get(i);
        const hasSize = info?.width != null && info.height != null;
        return { name, size: sizes.get(name) ?? 0, width: hasSize ? info.width : null, height: hasSize ? info.height : null, doublePage: info?.doublePage ?? false };
      });
      const unsized = pages.filter((page) => page.width === null);
      let pending = unsized;
      for (const bytes of [IMAGE_HEAD_BYTES, IMAGE_HEAD_MAX_BYTES]) {
        if (pending.length === 0) break;
        const heads = await archive.readHeads(
          pending.map((page) => page.name),
          bytes,
        );
        const again: PageEntry[] = [];
        for (const page of pending) {
          const head = heads.get(page.name);
          if (!Buffer.isBuffer(head)) continue; // unreadable head: size unknown, the page itself will say why
          const size = readImageSize(head);
          if (size === 'more' && head.length >= bytes) again.push(page);
          else if (size !== null && size !== 'more') {
            page.width = size.width;
            page.height = size.height;
          }
        }
        pending = again;
      }
      return { pages, kind: archive.kind ?? 'comic' };
    });
  }

  /** One entry's bytes (checked by the archive layer). */
  read(file: string, key: string, name: string, maxBytes: number): Promise<Buffer> {
    return this.#with(file, key, (archive) => archive.readEntry(name, { maxBytes }));
  }

  async close(): Promise<void> {
    const slots = [...this.#slots.values()];
    this.#slots.clear();
    await Promise.all(
      slots.map(async (slot) => {
        slot.evicted = true;
        const archive = await slot.archive.catch(() => null);
        await archive?.close().catch(() => undefined);
      }),
    );
  }
}
