import { describe, expect, it } from 'vitest';
import { compareNatural, findComicInfo, isImageName, listPages, noPagesReason } from './pages.js';
import type { ArchiveEntry } from './types.js';

function entry(name: string, extra: Partial<ArchiveEntry> = {}): ArchiveEntry {
  return { name, size: 10, compressedSize: 10, crc32: 1, isDirectory: name.endsWith('/'), isEncrypted: false, ...extra };
}

describe('isImageName', () => {
  it('accepts the supported image extensions in any case', () => {
    for (const name of ['a.jpg', 'a.JPEG', 'b/c.Png', 'x.webp', 'x.GIF', 'x.avif', 'x.bmp']) expect(isImageName(name)).toBe(true);
  });
  it('rejects other files, extension-less names and dots in folder names', () => {
    for (const name of ['ComicInfo.xml', 'Thumbs.db', 'jpg', 'folder.jpg/readme', 'a.jpg.txt', 'a.tiff', '']) expect(isImageName(name)).toBe(false);
  });
});

describe('listPages', () => {
  it('orders pages naturally: page2 before page10, numbers compared by value', () => {
    const names = ['page10.jpg', 'page2.jpg', 'page1.jpg', 'Page3.jpg', 'page01.jpg', 'page100.jpg', 'page9.png'];
    expect(listPages(names.map((n) => entry(n)))).toEqual(['page1.jpg', 'page01.jpg', 'page2.jpg', 'Page3.jpg', 'page9.png', 'page10.jpg', 'page100.jpg']);
  });

  it('orders folders naturally too, comparing full paths folder by folder', () => {
    const names = ['Vol 10/p1.jpg', 'Vol 2/p10.jpg', 'Vol 2/p2.jpg', 'Vol 1 extra/p1.jpg', 'Vol 1/p1.jpg', 'cover.jpg'];
    expect(listPages(names.map((n) => entry(n)))).toEqual(['cover.jpg', 'Vol 1/p1.jpg', 'Vol 1 extra/p1.jpg', 'Vol 2/p2.jpg', 'Vol 2/p10.jpg', 'Vol 10/p1.jpg']);
  });

  it('handles numbers longer than any integer type without overflow', () => {
    const names = ['p123456789012345678901234567890.jpg', 'p99999999999999999999999999999.jpg'];
    expect(listPages(names.map((n) => entry(n)))).toEqual(['p99999999999999999999999999999.jpg', 'p123456789012345678901234567890.jpg']);
  });

  it('skips directories, __MACOSX, dot files, dot folders, Thumbs.db, non-images and encrypted entries', () => {
    const entries = [
      entry('images/'),
      entry('images/001.jpg'),
      entry('__MACOSX/images/._001.jpg'),
      entry('images/._002.jpg'),
      entry('.hidden/003.jpg'),
      entry('images/.DS_Store'),
      entry('Thumbs.db'),
      entry('ComicInfo.xml'),
      entry('images/004.jpg', { isEncrypted: true }),
      entry('images/005.png'),
    ];
    expect(listPages(entries)).toEqual(['images/001.jpg', 'images/005.png']);
  });

  it('returns nothing for an archive without images, and says why', () => {
    const entries = [entry('ComicInfo.xml'), entry('readme.txt')];
    expect(listPages(entries)).toEqual([]);
    expect(noPagesReason(entries)).toBe('no-images');
    expect(noPagesReason([entry('a.jpg', { isEncrypted: true })])).toBe('encrypted');
  });

  it('keeps traversal-looking names as plain names', () => {
    expect(listPages([entry('/abs/path.jpg'), entry('../../x.jpg'), entry('./page1.jpg')])).toEqual(['./page1.jpg', '../../x.jpg', '/abs/path.jpg']);
  });
});

describe('compareNatural', () => {
  it('is a consistent total order', () => {
    const names = ['a', 'A', 'a1', 'a01', 'a001', 'a2', 'a10', 'b', 'a/b', 'a b', 'a-1', ''];
    const sorted = [...names].sort(compareNatural);
    for (let i = 0; i < sorted.length; i++) {
      for (let j = 0; j < sorted.length; j++) {
        expect(Math.sign(compareNatural(sorted[i], sorted[j]))).toBe(Math.sign(i - j));
      }
    }
  });
});

describe('findComicInfo', () => {
  it('finds ComicInfo.xml in any case and prefers the root one', () => {
    const nested = entry('extras/ComicInfo.xml');
    const root = entry('comicinfo.XML');
    expect(findComicInfo([nested, entry('a.jpg'), root])).toBe(root);
    expect(findComicInfo([entry('a.jpg'), nested])).toBe(nested);
    expect(findComicInfo([entry('a/b/ComicInfo.xml'), nested])).toBe(nested);
  });
  it('ignores directories, __MACOSX copies, encrypted entries and look-alikes', () => {
    expect(findComicInfo([entry('ComicInfo.xml/'), entry('__MACOSX/ComicInfo.xml'), entry('ComicInfo.xml', { isEncrypted: true }), entry('MyComicInfo.xml')])).toBeUndefined();
  });
});
