// Which names in a library folder are comics and which are skipped: one rule for the walk (rows), the
// watcher (what wakes a rebuild) and the shell (a file opened from the file manager).
import type { ComicFormat } from '../../../shared/types.js';

/**
 * Extensions that become rows, with the container each names. The format of a row is detected from the
 * file's magic bytes; this one is only the row's format when the file cannot be read at all.
 */
export const EXTENSION_FORMATS: Readonly<Record<string, Exclude<ComicFormat, 'unknown'>>> = {
  '.cbz': 'zip',
  '.cbr': 'rar',
  '.cb7': '7z',
  '.cbt': 'tar',
  '.zip': 'zip',
  '.rar': 'rar',
  '.7z': '7z',
  '.pdf': 'pdf',
  '.epub': 'epub',
};

/** Extensions that become rows. A format that cannot be read yet is recorded with an error, not skipped. */
export const COMIC_EXTENSIONS: ReadonlySet<string> = new Set(Object.keys(EXTENSION_FORMATS));

/** The container an extension (as extensionOf gives it) names; 'unknown' for any other. */
export function formatOfExtension(ext: string): ComicFormat {
  return Object.hasOwn(EXTENSION_FORMATS, ext) ? EXTENSION_FORMATS[ext]! : 'unknown';
}

/** `.CBZ` → `.cbz`; '' for no extension (and for dot-files: `.cbz` alone is a hidden file, not a comic). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

/** Hidden files and folders and the system folders of removable drives are never part of a library. */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name === '__MACOSX' || name === '$RECYCLE.BIN' || name === 'System Volume Information';
}

export function isComicFileName(name: string): boolean {
  return COMIC_EXTENSIONS.has(extensionOf(name));
}
