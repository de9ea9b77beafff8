import { describe, expect, it } from 'vitest';
import { buildZip } from '../../../scripts/testing/zip-writer.js';
import { buildRar } from '../../../scripts/testing/rar-writer.js';
import { detectFormat, rarVersion } from './detect.js';

function tarHead(): Buffer {
  const block = Buffer.alloc(512);
  block.write('page.jpg', 0);
  block.write('ustar\0', 257, 'latin1');
  return block;
}

describe('detectFormat', () => {
  it('recognises ZIP by local header, empty-archive end record and spanned marker', () => {
    expect(detectFormat(buildZip([{ name: 'a.jpg', data: Buffer.from('x') }]))).toBe('zip');
    expect(detectFormat(buildZip([]))).toBe('zip');
    const spanned = Buffer.concat([Buffer.from([0x50, 0x4b, 0x07, 0x08]), buildZip([{ name: 'a.jpg', data: Buffer.from('x') }])]);
    expect(detectFormat(spanned)).toBe('zip');
    // The marker alone, without a local header after it, is not a ZIP.
    expect(detectFormat(Buffer.from([0x50, 0x4b, 0x07, 0x08, 0, 0, 0, 0]))).toBe('unknown');
  });

  it('recognises RAR4 and RAR5 signatures and tells them apart', () => {
    const rar4 = buildRar([{ name: 'a.jpg', data: Buffer.from('x') }], { version: 4 });
    const rar5 = buildRar([{ name: 'a.jpg', data: Buffer.from('x') }], { version: 5 });
    expect(detectFormat(rar4)).toBe('rar');
    expect(detectFormat(rar5)).toBe('rar');
    expect(rarVersion(rar4)).toBe(4);
    expect(rarVersion(rar5)).toBe(5);
    expect(detectFormat(Buffer.from('Rar!\x1a\x07\x02', 'latin1'))).toBe('unknown');
  });

  it('recognises 7z, tar (ustar at 257) and PDF', () => {
    expect(detectFormat(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]))).toBe('7z');
    expect(detectFormat(tarHead())).toBe('tar');
    expect(detectFormat(Buffer.from('%PDF-1.7\n'))).toBe('pdf');
    expect(detectFormat(Buffer.concat([Buffer.alloc(100, 0x20), Buffer.from('%PDF-1.4')]))).toBe('pdf');
  });

  it('recognises EPUB as a ZIP whose first entry is a stored mimetype of application/epub+zip', () => {
    const epub = buildZip([
      { name: 'mimetype', data: Buffer.from('application/epub+zip') },
      { name: 'OEBPS/content.opf', data: Buffer.from('<package/>') },
    ]);
    expect(detectFormat(epub)).toBe('epub');
    const otherMimetype = buildZip([{ name: 'mimetype', data: Buffer.from('application/zip') }]);
    expect(detectFormat(otherMimetype)).toBe('zip');
    const mimetypeNotFirst = buildZip([
      { name: 'page.jpg', data: Buffer.from('x') },
      { name: 'mimetype', data: Buffer.from('application/epub+zip') },
    ]);
    expect(detectFormat(mimetypeNotFirst)).toBe('zip');
  });

  it('says unknown for text, empty and short input', () => {
    expect(detectFormat(Buffer.from('just some text, named .cbz'))).toBe('unknown');
    expect(detectFormat(Buffer.alloc(0))).toBe('unknown');
    expect(detectFormat(Buffer.from('PK'))).toBe('unknown');
  });
});
