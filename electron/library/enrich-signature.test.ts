// The enrichment signature changes with everything the enrichment reads from a listing, and only with that.
import { describe, expect, it } from 'vitest';
import { enrichSignature } from './enrich-signature.js';
import type { ArchiveEntry, ArchiveIndex } from './archive/types.js';

const entry = (name: string, size: number, crc32: number, more: Partial<ArchiveEntry> = {}): ArchiveEntry => ({ name, size, compressedSize: size, crc32, isDirectory: false, isEncrypted: false, ...more });
const index = (entries: ArchiveEntry[], more: Partial<ArchiveIndex> = {}): ArchiveIndex => ({ format: 'zip', entries, comment: null, ...more });
const pages = [entry('p001.jpg', 100, 1), entry('p002.jpg', 200, 2)];
const base = index([...pages, entry('ComicInfo.xml', 50, 0xabc)]);
const sign = (i: ArchiveIndex, path = 'Saga/Saga 001.cbz') => enrichSignature(path, i);

describe('enrichSignature', () => {
  it('is the same for the same listing and file name, whatever the folder', () => {
    expect(sign(base)).toMatch(/^[0-9a-f]{40}$/);
    expect(sign(index([...base.entries]))).toBe(sign(base));
    expect(sign(base, 'Elsewhere/Saga 001.cbz')).toBe(sign(base));
  });

  it('changes with the file name, the format, the kind, the comment, the document and every field of every entry', () => {
    const others: ArchiveIndex[] = [
      index([...pages, entry('ComicInfo.xml', 50, 0xabd)]), // ComicInfo rewritten, same size
      index([...pages, entry('ComicInfo.xml', 51, 0xabc)]),
      index([entry('p001.jpg', 100, 1), entry('p003.jpg', 200, 2), entry('ComicInfo.xml', 50, 0xabc)]), // a page renamed
      index([pages[1]!, pages[0]!, entry('ComicInfo.xml', 50, 0xabc)]), // order
      index([...pages, entry('ComicInfo.xml', 50, 0xabc, { isEncrypted: true })]),
      index([...pages, entry('ComicInfo.xml', 50, 0xabc, { isDirectory: true })]),
      index([...pages.map((p, i) => ({ ...p, pageOrder: i })), entry('ComicInfo.xml', 50, 0xabc)]),
      index(base.entries, { comment: '{"ComicBookInfo/1.0":{}}' }),
      index(base.entries, { format: 'rar' }),
      index(base.entries, { kind: 'text-book' }),
      index(base.entries, { document: { source: 'epub', metadata: { title: 'T' }, embeddedXml: null } }),
    ];
    const signatures = new Set([sign(base), ...others.map((o) => sign(o)), sign(base, 'Saga/Saga 002.cbz')]);
    expect(signatures.size).toBe(others.length + 2);
  });

  it('keeps fields apart: a name holding the separators does not pass for two entries', () => {
    const a = index([entry('a|1|2|fp|u\n1:b', 3, 4)]);
    const b = index([entry('a', 1, 2), entry('b', 3, 4)]);
    expect(sign(a)).not.toBe(sign(b));
  });

  it('is null when a metadata entry has no CRC to vouch for its content (a tar), not for an empty one', () => {
    expect(sign(index([...pages, entry('ComicInfo.xml', 50, 0)], { format: 'tar' }))).toBeNull();
    expect(sign(index([...pages, entry('sub/metroninfo.XML', 50, 0)]))).toBeNull();
    expect(sign(index([...pages, entry('ComicInfo.xml', 0, 0)]))).not.toBeNull();
    expect(sign(index([entry('p001.jpg', 100, 0)], { format: 'tar' }))).not.toBeNull();
  });
});
