// Which entries are pages, in reading order, and where ComicInfo.xml is.
import type { ErrorKind } from '../../../shared/types.js';
import type { ArchiveEntry } from './types.js';

const IMAGE_EXTENSIONS = new Set(['jpg', 'jpeg', 'png', 'webp', 'gif', 'avif', 'bmp']);

/** True for names ending in a supported image extension (case-insensitive). */
export function isImageName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  if (dot < 0 || dot < Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'))) return false;
  return IMAGE_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

function segments(name: string): string[] {
  return name.split(/[/\\]/).filter((segment) => segment !== '');
}

/** macOS resource forks, dot files and dot folders, Windows thumbnail caches: never pages. */
function isJunk(name: string): boolean {
  // Cheap screen first: nearly every name has none of these.
  const lower = name.toLowerCase();
  if (!lower.includes('.') || (!lower.startsWith('.') && !lower.includes('/.') && !lower.includes('\\.') && !lower.includes('__macosx') && !lower.includes('thumbs.db'))) {
    return false;
  }
  return segments(name).some(
    (segment) =>
      // "." and ".." are path syntax (some zippers write "./page1.jpg"), not hidden names.
      (segment.startsWith('.') && segment !== '.' && segment !== '..') || segment === '__MACOSX' || segment.toLowerCase() === 'thumbs.db',
  );
}

/**
 * A string whose plain code-unit order is the natural order of `name`: case folded, folder separators
 * turned into \x00 (so a folder's end sorts before any longer name: "Vol 1/" < "Vol 1 extra/"), and
 * every digit run replaced by \x01, its significant length, its digits and its count of leading zeros
 * (so 2 < 10 < 0010, "page1" < "page01", and numbers of any length never overflow).
 */
function sortKey(name: string): string {
  // A hand-written scan: this runs for every page of every comic in a rebuild.
  const lower = name.toLowerCase();
  const length = lower.length;
  let key = '';
  let separatorPending = false;
  let i = 0;
  while (i < length) {
    const code = lower.charCodeAt(i);
    if (code === 0x2f || code === 0x5c) {
      // Runs of separators collapse; leading and trailing ones vanish.
      separatorPending = key.length > 0;
      i++;
      continue;
    }
    if (separatorPending) {
      key += '\x00';
      separatorPending = false;
    }
    let end = i + 1;
    if (isDigit(code)) {
      while (end < length && isDigit(lower.charCodeAt(end))) end++;
      let start = i;
      while (start < end - 1 && lower.charCodeAt(start) === 0x30) start++;
      key += '\x01' + String.fromCharCode(0x20 + end - start) + lower.slice(start, end) + String.fromCharCode(0x20 + start - i);
    } else {
      while (end < length) {
        const next = lower.charCodeAt(end);
        if (isDigit(next) || next === 0x2f || next === 0x5c) break;
        end++;
      }
      key += lower.slice(i, end);
    }
    i = end;
  }
  return key;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Natural order over full paths, folder by folder, so "Vol 2/" comes before "Vol 10/". Ties: code units. */
export function compareNatural(a: string, b: string): number {
  return compareStrings(sortKey(a), sortKey(b)) || compareStrings(a, b);
}

function isPage(entry: ArchiveEntry): boolean {
  return !entry.isDirectory && !entry.isEncrypted && isImageName(entry.name) && !isJunk(entry.name);
}

/**
 * Image entries in reading order (natural sort), skipping directories, junk and encrypted entries. When
 * the format defines the order (entries with `pageOrder`: EPUB spine, PDF pages), that order is used
 * and only those entries are pages.
 */
export function listPages(entries: readonly ArchiveEntry[]): string[] {
  if (entries.some((entry) => entry.pageOrder !== undefined)) {
    return entries
      .filter((entry) => typeof entry.pageOrder === 'number' && !entry.isDirectory && !entry.isEncrypted)
      .sort((a, b) => a.pageOrder! - b.pageOrder!)
      .map((entry) => entry.name);
  }
  // Keys are prepared once per name, not once per comparison.
  const keyed = entries.filter(isPage).map((entry) => ({ name: entry.name, key: sortKey(entry.name) }));
  keyed.sort((a, b) => compareStrings(a.key, b.key) || compareStrings(a.name, b.name));
  return keyed.map((item) => item.name);
}

/** Why an archive has no pages: its images are all password protected, or it has none. */
export function noPagesReason(entries: readonly ArchiveEntry[]): ErrorKind {
  const hasEncryptedImage = entries.some((entry) => entry.isEncrypted && !entry.isDirectory && isImageName(entry.name) && !isJunk(entry.name));
  return hasEncryptedImage ? 'encrypted' : 'no-images';
}

/** ComicInfo.xml (any case), preferring the one at the root, then the shallowest. */
export function findComicInfo(entries: readonly ArchiveEntry[]): ArchiveEntry | undefined {
  return findShallowest(entries, 'comicinfo.xml');
}

/** MetronInfo.xml (any case), preferring the one at the root, then the shallowest. */
export function findMetronInfo(entries: readonly ArchiveEntry[]): ArchiveEntry | undefined {
  return findShallowest(entries, 'metroninfo.xml');
}

function findShallowest(entries: readonly ArchiveEntry[], lowerName: string): ArchiveEntry | undefined {
  let best: ArchiveEntry | undefined;
  let bestDepth = Infinity;
  for (const entry of entries) {
    if (entry.isDirectory || entry.isEncrypted || isJunk(entry.name)) continue;
    const parts = segments(entry.name);
    if (parts.length === 0 || parts[parts.length - 1].toLowerCase() !== lowerName) continue;
    if (parts.length < bestDepth) {
      best = entry;
      bestDepth = parts.length;
    }
  }
  return best;
}
