// Small CBZs built in the specs for the reader: numbered pages (readable in screenshots without any
// system font), a wide spread, right-to-left manga, long webtoon strips, and big noisy scans for the
// timing figures. Nothing is committed: everything is generated into temp dirs.
import { mkdir, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import sharp from 'sharp';
import { buildZip, type ZipEntryInput } from '../../scripts/testing/zip-writer.js';
import { textToSvg, textWidth, toFontText } from '../../electron/library/sample/pixel-font.js';

export interface PageSpec {
  width: number;
  height: number;
  /** Drawn big in the middle ("3", "4-5"). */
  label: string;
  hue: number;
  /** Random noise over the page, so the JPEG is as large as a real scan of that size. */
  noise?: boolean;
}

export interface ComicSpec {
  /** Path under the library root, e.g. "Reader Test/Reader Test 001.cbz". */
  file: string;
  series: string;
  number: number;
  pages: PageSpec[];
  manga?: boolean;
}

export async function renderPage(spec: PageSpec): Promise<Buffer> {
  const { width, height, hue } = spec;
  const text = toFontText(spec.label);
  const scale = Math.max(4, Math.floor(Math.min(width / Math.max(1, textWidth(text, 1)) / 2, height / 20)));
  const x = Math.round((width - textWidth(text, scale)) / 2);
  const y = Math.round(height / 2 - (7 * scale) / 2);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<rect width="100%" height="100%" fill="hsl(${hue},45%,82%)"/>` +
    `<rect x="${Math.round(width * 0.06)}" y="${Math.round(height * 0.05)}" width="${Math.round(width * 0.88)}" height="${Math.round(height * 0.9)}" fill="none" stroke="hsl(${hue},40%,35%)" stroke-width="${Math.max(3, Math.round(width / 120))}"/>` +
    textToSvg(text, x, y, scale, `hsl(${hue},40%,22%)`) +
    `</svg>`;
  let image = sharp(Buffer.from(svg));
  if (spec.noise) {
    const noise = randomBytes(width * height * 3);
    const grain = await sharp(noise, { raw: { width, height, channels: 3 } }).png().toBuffer();
    image = sharp(await image.png().toBuffer()).composite([{ input: grain, blend: 'soft-light' }]);
  }
  return image.jpeg({ quality: spec.noise ? 92 : 80 }).toBuffer();
}

function comicInfo(spec: ComicSpec): Buffer {
  return Buffer.from(
    '<?xml version="1.0" encoding="utf-8"?>\n<ComicInfo>\n' +
      `  <Series>${spec.series}</Series>\n  <Number>${spec.number}</Number>\n  <PageCount>${spec.pages.length}</PageCount>\n` +
      (spec.manga ? '  <Manga>YesAndRightToLeft</Manga>\n' : '') +
      '</ComicInfo>\n',
  );
}

/**
 * Writes a CBZ. With `pool`, the page images are rendered once and repeated (for the big bench
 * comics: the browser still fetches and decodes every page, since every page has its own URL).
 */
export async function writeComic(root: string, spec: ComicSpec, pool?: Buffer[]): Promise<string> {
  const entries: ZipEntryInput[] = [{ name: 'ComicInfo.xml', data: comicInfo(spec) }];
  for (let i = 0; i < spec.pages.length; i++) {
    const data = pool && pool.length > 0 ? pool[i % pool.length]! : await renderPage(spec.pages[i]!);
    entries.push({ name: `page${String(i + 1).padStart(3, '0')}.jpg`, data });
  }
  const file = path.join(root, spec.file);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, buildZip(entries));
  return file;
}

/** `count` portrait pages labelled with their number; `wide` indices are double-width spreads. */
export function numberedPages(count: number, options: { hue?: number; wide?: number[]; width?: number; height?: number; noise?: boolean } = {}): PageSpec[] {
  const width = options.width ?? 400;
  const height = options.height ?? 600;
  return Array.from({ length: count }, (_, i) => ({
    width: options.wide?.includes(i) ? width * 2 : width,
    height,
    label: options.wide?.includes(i) ? `${i + 1} SPREAD` : String(i + 1),
    hue: ((options.hue ?? 210) + i * 7) % 360,
    noise: options.noise,
  }));
}
