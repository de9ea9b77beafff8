// Image sizes from headers only: real images made by sharp (libvips encoders), then the same bytes cut short.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { IMAGE_HEAD_BYTES, readImageSize } from './image-size.js';
import { contentTypeOfImage, imageKind } from './image-type.js';

const W = 123;
const H = 457;

function raw(width = W, height = H, channels: 3 | 4 = 3) {
  return sharp({ create: { width, height, channels, background: channels === 4 ? { r: 200, g: 10, b: 10, alpha: 0.5 } : '#c83c28' } });
}

const encoders: Array<[string, () => Promise<Buffer>, string]> = [
  ['JPEG baseline', () => raw().jpeg().toBuffer(), 'image/jpeg'],
  ['JPEG progressive', () => raw().jpeg({ progressive: true }).toBuffer(), 'image/jpeg'],
  ['PNG', () => raw().png().toBuffer(), 'image/png'],
  ['PNG with alpha', () => raw(W, H, 4).png().toBuffer(), 'image/png'],
  ['WebP lossy (VP8)', () => raw().webp().toBuffer(), 'image/webp'],
  ['WebP lossless (VP8L)', () => raw().webp({ lossless: true }).toBuffer(), 'image/webp'],
  ['WebP with alpha (VP8X)', () => raw(W, H, 4).webp().toBuffer(), 'image/webp'],
  ['GIF', () => raw().gif().toBuffer(), 'image/gif'],
  ['AVIF', () => raw().avif({ effort: 0 }).toBuffer(), 'image/avif'],
];

/** A 24-bit BMP written by hand (sharp writes none): 14-byte file header, 40-byte BITMAPINFOHEADER. */
function bmp(width: number, height: number): Buffer {
  const row = Math.ceil((width * 3) / 4) * 4;
  const b = Buffer.alloc(54 + row * Math.abs(height));
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(width, 18);
  b.writeInt32LE(height, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  return b;
}

describe('readImageSize', () => {
  it.each(encoders)('%s: the size from the header, and the content type from the magic', async (_name, encode, type) => {
    const image = await encode();
    expect(readImageSize(image)).toEqual({ width: W, height: H });
    expect(readImageSize(image.subarray(0, Math.min(image.length, IMAGE_HEAD_BYTES)))).toEqual({ width: W, height: H });
    expect(contentTypeOfImage(image, 'page.bin')).toBe(type);
  });

  it.each(encoders)('%s cut short: asks for more bytes, gives up or is right, never a wrong size', async (_name, encode) => {
    const image = await encode();
    for (const cut of [0, 1, 2, 3, 5, 8, 11, 13, 16, 20, 23, 25, 29]) {
      const result = readImageSize(image.subarray(0, cut));
      if (result === null || result === 'more') continue;
      expect(result, `cut at ${cut}`).toEqual({ width: W, height: H });
    }
  });

  it('BMP: bottom-up and top-down (negative height), and cut short', () => {
    expect(readImageSize(bmp(40, 30))).toEqual({ width: 40, height: 30 });
    expect(readImageSize(bmp(40, -30))).toEqual({ width: 40, height: 30 });
    expect(readImageSize(bmp(40, 30).subarray(0, 20))).toBe('more');
    expect(contentTypeOfImage(bmp(4, 4), 'x.bmp')).toBe('image/bmp');
  });

  it('JPEG: EXIF orientations 5–8 swap width and height (as browsers and sharp autoOrient show them)', async () => {
    for (const orientation of [1, 3, 6, 8]) {
      const image = await raw().jpeg().withMetadata({ orientation }).toBuffer();
      const swapped = orientation >= 5;
      expect(readImageSize(image), `orientation ${orientation}`).toEqual(swapped ? { width: H, height: W } : { width: W, height: H });
    }
  });

  it('JPEG: a frame header beyond the head (a big metadata segment first) asks for more', async () => {
    const image = await raw().jpeg().toBuffer();
    // An APP2 segment of 60 KiB right after SOI, as an embedded ICC profile would be.
    const app2 = Buffer.alloc(4 + 60_000);
    app2[0] = 0xff;
    app2[1] = 0xe2;
    app2.writeUInt16BE(60_002, 2);
    const big = Buffer.concat([image.subarray(0, 2), app2, image.subarray(2)]);
    expect(readImageSize(big.subarray(0, IMAGE_HEAD_BYTES))).toBe('more');
    expect(readImageSize(big)).toEqual({ width: W, height: H });
  });

  it('damaged or foreign bytes give null', async () => {
    expect(readImageSize(Buffer.from('<ComicInfo/>'))).toBeNull();
    expect(readImageSize(Buffer.alloc(64))).toBeNull();
    const png = await raw().png().toBuffer();
    const bad = Buffer.from(png);
    bad.write('XXXX', 12, 'latin1');
    expect(readImageSize(bad)).toBeNull();
    const zeroWidth = Buffer.from(png);
    zeroWidth.writeUInt32BE(0, 16);
    expect(readImageSize(zeroWidth)).toBeNull();
    const jpeg = await raw().jpeg().toBuffer();
    const broken = Buffer.from(jpeg);
    broken[2] = 0x00; // not a marker where one must be
    expect(readImageSize(Buffer.concat([broken.subarray(0, 2), Buffer.from([0x00, 0x10]), broken.subarray(2)]))).toBeNull();
  });

  it('a wrong extension does not change the content type; unknown bytes fall back to the name', async () => {
    expect(contentTypeOfImage(await raw().png().toBuffer(), 'page.jpg')).toBe('image/png');
    expect(contentTypeOfImage(Buffer.from('????'), 'page.webp')).toBe('image/webp');
    expect(imageKind(Buffer.from('????'))).toBeNull();
  });
});
