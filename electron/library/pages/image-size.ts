// Pixel sizes from the first bytes of an image, without decoding it: JPEG (SOF marker, EXIF
// orientation), PNG (IHDR), WebP (VP8, VP8L, VP8X), GIF (logical screen), AVIF/HEIF (ispe, irot),
// BMP (DIB header). The size reported is the one a browser shows: turned by EXIF orientation 5–8
// and by an odd AVIF/HEIF rotation.
import { imageKind } from './image-type.js';

export interface ImageSize {
  width: number;
  height: number;
}

/**
 * The image's displayed size from `head` (its first bytes). 'more' when the answer lies beyond the
 * head (a JPEG with big metadata segments first): call again with more bytes. null when the bytes
 * are not an image we know or the header is damaged.
 */
export type SizeResult = ImageSize | 'more' | null;

/** Enough for every format except JPEGs that carry large EXIF/ICC segments before their frame header. */
export const IMAGE_HEAD_BYTES = 16 * 1024;
/** The most a caller should read to find a JPEG's frame header (EXIF thumbnails, ICC, XMP, Photoshop). */
export const IMAGE_HEAD_MAX_BYTES = 256 * 1024;

const MAX_DIMENSION = 1_000_000;

function sized(width: number, height: number, swap = false): ImageSize | null {
  if (!(width > 0 && height > 0 && width <= MAX_DIMENSION && height <= MAX_DIMENSION)) return null;
  return swap ? { width: height, height: width } : { width, height };
}

export function readImageSize(head: Buffer): SizeResult {
  switch (imageKind(head)) {
    case 'jpeg':
      return jpegSize(head);
    case 'png':
      // Signature (8), IHDR length (4), "IHDR" (4), width, height.
      if (head.length < 24) return 'more';
      if (head.toString('latin1', 12, 16) !== 'IHDR') return null;
      return sized(head.readUInt32BE(16), head.readUInt32BE(20));
    case 'gif':
      if (head.length < 10) return 'more';
      return sized(head.readUInt16LE(6), head.readUInt16LE(8));
    case 'webp':
      return webpSize(head);
    case 'avif':
    case 'heic':
      return isoBmffSize(head);
    case 'bmp':
      return bmpSize(head);
    case null:
      return null;
  }
}

// ---- JPEG ----------------------------------------------------------------------------------------

/** Start-of-frame markers (every coding process); C4 (DHT), C8 (JPG) and CC (DAC) are not frames. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegSize(b: Buffer): SizeResult {
  let orientation = 1;
  let at = 2;
  for (;;) {
    if (at + 4 > b.length) return 'more';
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1];
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // no length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image or scan before any frame header
    const length = b.readUInt16BE(at + 2);
    if (length < 2) return null;
    if (isStartOfFrame(marker)) {
      if (at + 9 > b.length) return 'more';
      const height = b.readUInt16BE(at + 5);
      const width = b.readUInt16BE(at + 7);
      return sized(width, height, orientation >= 5 && orientation <= 8);
    }
    if (marker === 0xe1 && orientation === 1) {
      const end = Math.min(b.length, at + 2 + length);
      orientation = exifOrientation(b.subarray(at + 4, end)) ?? 1;
    }
    at += 2 + length;
  }
}

/** Orientation (tag 0x0112) from an APP1 payload ("Exif\0\0" + TIFF), or null. */
function exifOrientation(app1: Buffer): number | null {
  if (app1.length < 14 || app1.toString('latin1', 0, 6) !== 'Exif\0\0') return null;
  const tiff = app1.subarray(6);
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const little = order === 'II';
  const u16 = (offset: number) => (little ? tiff.readUInt16LE(offset) : tiff.readUInt16BE(offset));
  const u32 = (offset: number) => (little ? tiff.readUInt32LE(offset) : tiff.readUInt32BE(offset));
  if (u16(2) !== 42) return null;
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return null;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return null;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : null;
    }
  }
  return null;
}

// ---- WebP ----------------------------------------------------------------------------------------

function webpSize(b: Buffer): SizeResult {
  if (b.length < 30) return 'more';
  const chunk = b.toString('latin1', 12, 16);
  if (chunk === 'VP8 ') {
    // Frame tag (3 bytes at 20), start code 9d 01 2a, then 14-bit width and height (2 bits of scale).
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return null;
    return sized(b.readUInt16LE(26) & 0x3fff, b.readUInt16LE(28) & 0x3fff);
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) return null;
    const bits = b.readUInt32LE(21);
    return sized((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X') {
    return sized(b.readUIntLE(24, 3) + 1, b.readUIntLE(27, 3) + 1);
  }
  return null;
}

// ---- AVIF / HEIF (ISO base media file format) ---------------------------------------------------

interface Box {
  type: string;
  /** Start of the payload. */
  start: number;
  end: number;
}

/** The boxes in b[from, to); stops at a box that runs past `to` (truncated head). */
function* boxes(b: Buffer, from: number, to: number): Generator<Box | 'cut'> {
  let at = from;
  while (at + 8 <= to) {
    let size = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      if (at + 16 > to) return yield 'cut';
      size = Number(b.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) {
      size = to - at;
    }
    if (size < header) return;
    if (at + size > to) {
      yield { type, start: at + header, end: to };
      return yield 'cut';
    }
    yield { type, start: at + header, end: at + size };
    at += size;
  }
}

function isoBmffSize(b: Buffer): SizeResult {
  let meta: Box | null = null;
  for (const box of boxes(b, 0, b.length)) {
    if (box === 'cut') return 'more';
    if (box.type === 'meta') {
      meta = box;
      break;
    }
    if (box.type === 'mdat') return null; // media data before metadata: not a still image we can size cheaply
  }
  if (meta === null) return 'more';
  let ipco: Box | null = null;
  let cut = false;
  // meta is a full box: 4 bytes of version and flags before its children.
  for (const box of boxes(b, meta.start + 4, meta.end)) {
    if (box === 'cut') {
      cut = true;
      break;
    }
    if (box.type !== 'iprp') continue;
    for (const inner of boxes(b, box.start, box.end)) {
      if (inner === 'cut') {
        cut = true;
        break;
      }
      if (inner.type === 'ipco') ipco = inner;
    }
  }
  if (ipco === null) return cut ? 'more' : null;
  // The primary image's ispe is the largest (alpha planes, thumbnails and grid tiles are smaller).
  let best: ImageSize | null = null;
  let quarterTurns = 0;
  for (const property of boxes(b, ipco.start, ipco.end)) {
    if (property === 'cut') return 'more';
    if (property.type === 'ispe' && property.end - property.start >= 12) {
      const width = b.readUInt32BE(property.start + 4);
      const height = b.readUInt32BE(property.start + 8);
      if (best === null || width * height > best.width * best.height) best = { width, height };
    }
    if (property.type === 'irot' && property.end > property.start) quarterTurns = b[property.start] & 0x3;
  }
  if (best === null) return null;
  return sized(best.width, best.height, quarterTurns % 2 === 1);
}

// ---- BMP -----------------------------------------------------------------------------------------

function bmpSize(b: Buffer): SizeResult {
  if (b.length < 26) return 'more';
  const dib = b.readUInt32LE(14);
  if (dib === 12) return sized(b.readUInt16LE(18), b.readUInt16LE(20));
  if (dib < 40) return null;
  return sized(Math.abs(b.readInt32LE(18)), Math.abs(b.readInt32LE(22)));
}
