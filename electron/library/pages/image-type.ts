// The content type of a page, from its first bytes (the entry's name can lie), else from its name.
const BY_EXTENSION: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  bmp: 'image/bmp',
};

export type ImageKind = 'jpeg' | 'png' | 'gif' | 'webp' | 'avif' | 'heic' | 'bmp';

const CONTENT_TYPES: Readonly<Record<ImageKind, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  heic: 'image/heic',
  bmp: 'image/bmp',
};

/** Recognises the image container from its magic bytes; null when none matches. */
export function imageKind(head: Uint8Array): ImageKind | null {
  const b = head;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'png';
  if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38 && (b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61) return 'gif';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'webp';
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp') {
    const brand = ascii(b, 8, 4);
    if (brand === 'avif' || brand === 'avis') return 'avif';
    if (['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'].includes(brand)) {
      // mif1 files are usually AVIF when they list an avif compatible brand.
      const boxSize = (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
      for (let at = 16; at + 4 <= Math.min(boxSize, b.length); at += 4) if (ascii(b, at, 4) === 'avif') return 'avif';
      return 'heic';
    }
  }
  return null;
}

function ascii(b: Uint8Array, start: number, length: number): string {
  let text = '';
  for (let i = start; i < start + length && i < b.length; i++) text += String.fromCharCode(b[i]);
  return text;
}

export function contentTypeOfImage(head: Uint8Array, name: string): string {
  const kind = imageKind(head);
  if (kind !== null) return CONTENT_TYPES[kind];
  const dot = name.lastIndexOf('.');
  return BY_EXTENSION[name.slice(dot + 1).toLowerCase()] ?? 'application/octet-stream';
}
