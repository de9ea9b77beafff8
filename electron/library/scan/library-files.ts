// Which names in a library folder are comics and which are skipped: one rule for the walk (rows), the
// watcher (what wakes a rebuild) and the shell (a file opened from the file manager).

/** Extensions that become rows. A format that cannot be read yet is recorded with an error, not skipped. */
export const COMIC_EXTENSIONS: ReadonlySet<string> = new Set(['.cbz', '.cbr', '.cb7', '.cbt', '.zip', '.rar', '.7z', '.pdf', '.epub']);

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
