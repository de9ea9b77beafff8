// One rule for which names are comics: the extension table names a contract format for each, the walk
// keeps exactly the names the rule accepts (the watcher and the shell call the same isComicFileName).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMIC_FORMATS } from '../../../shared/types.js';
import { COMIC_EXTENSIONS, EXTENSION_FORMATS, formatOfExtension, isComicFileName, isIgnoredName } from './library-files.js';
import { walkLibrary } from './walk.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lb-library-files-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the library file rule', () => {
  it('names a contract format for every extension, and an extension for every format but unknown', () => {
    for (const [ext, format] of Object.entries(EXTENSION_FORMATS)) {
      expect(ext).toMatch(/^\.[a-z0-9]+$/);
      expect(COMIC_FORMATS).toContain(format);
      expect(formatOfExtension(ext)).toBe(format);
    }
    expect(new Set(Object.values(EXTENSION_FORMATS))).toEqual(new Set(COMIC_FORMATS.filter((f) => f !== 'unknown')));
    expect([...COMIC_EXTENSIONS].sort()).toEqual(Object.keys(EXTENSION_FORMATS).sort());
    expect(formatOfExtension('.txt')).toBe('unknown');
    expect(formatOfExtension('constructor')).toBe('unknown');
  });

  it('walks exactly the names the rule accepts', () => {
    const names = ['A.CBZ', 'b.cbr', 'c.cb7', 'd.cbt', 'e.zip', 'f.rar', 'g.7z', 'h.pdf', 'i.epub', 'notes.txt', 'cover.jpg', '.hidden.cbz', '.cbz', 'noext'];
    for (const name of names) writeFileSync(join(root, name), 'x');
    for (const folder of ['.git', '__MACOSX', 'Shelf']) {
      mkdirSync(join(root, folder));
      writeFileSync(join(root, folder, 'inside.cbz'), 'x');
    }
    const walked = walkLibrary(root).files.map((f) => f.path).sort();
    const accepted = [...names, ...['.git', '__MACOSX', 'Shelf'].filter((f) => !isIgnoredName(f)).map((f) => `${f}/inside.cbz`)]
      .filter((path) => path.split('/').every((part) => !isIgnoredName(part)) && isComicFileName(path))
      .sort();
    expect(walked).toEqual(accepted);
    expect(walked).toEqual(['A.CBZ', 'Shelf/inside.cbz', 'b.cbr', 'c.cb7', 'd.cbt', 'e.zip', 'f.rar', 'g.7z', 'h.pdf', 'i.epub']);
  });
});
