// Making one cover thumbnail with sharp (libvips): loaded on first use, one libvips thread per image
// (parallelism comes from running several images at once, see cover-queue.ts).
import type Sharp from 'sharp';

export type CoverFormat = 'jpeg' | 'webp';

export interface ThumbnailOptions {
  /** Width in pixels; smaller images are not enlarged. */
  width: number;
  format: CoverFormat;
  /** Quality 1–100. */
  quality: number;
  /** Refuse to decode images with more pixels than this. */
  maxInputPixels: number;
}

let sharpModule: Promise<typeof Sharp> | null = null;

/**
 * sharp (libvips) is loaded on the first thumbnail, not at import: it costs ~140 ms of a host's
 * start-up, which is the time to the first rows.
 */
export function loadSharp(): Promise<typeof Sharp> {
  sharpModule ??= import('sharp').then(({ default: sharp }) => {
    // One libvips thread per image: parallelism comes from running `concurrency` images at once.
    sharp.concurrency(1);
    return sharp;
  });
  return sharpModule;
}

/** The thumbnail of `input`; rejects when sharp cannot decode it. */
export async function makeThumbnail(input: Buffer, options: ThumbnailOptions): Promise<Buffer> {
  const { width, format, quality, maxInputPixels } = options;
  const sharp = await loadSharp();
  const image = sharp(input, { limitInputPixels: maxInputPixels, failOn: 'error', autoOrient: true })
    // Keep extreme strips (webtoons) bounded: at most 4 widths tall.
    .resize({ width, height: width * 4, fit: 'inside', withoutEnlargement: true });
  return format === 'webp'
    ? image.webp({ quality, effort: 2 }).toBuffer()
    : image.flatten({ background: '#ffffff' }).jpeg({ quality, mozjpeg: false }).toBuffer();
}
