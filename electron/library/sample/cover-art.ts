// Drawn cover art and interior pages for generated libraries.
//
// Speed matters (100,000 comics in a few minutes on two cores), so the expensive part, rendering a
// series' cover art from SVG, happens once per series into a raw RGB buffer; each issue then copies
// that buffer, draws its number badge with the built-in pixel font straight into the pixels (no image
// library involved) and pays for exactly one JPEG encode. Interior pages come from a small pool that
// is rendered and encoded once.
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { mulberry32, type Rng } from './prng.js';
import { drawText, fillRect, GLYPH_ADVANCE, GLYPH_HEIGHT, textToSvg, textWidth, toFontText, type RawImage, type Rgb } from './pixel-font.js';

export const COVER_WIDTH = 400;
export const COVER_HEIGHT = 600;
export const PAGE_WIDTH = 200;
export const PAGE_HEIGHT = 300;
const JPEG_QUALITY = 78;
const STRIP_HEIGHT = 32;

export interface SeriesLook {
  /** Title drawn in the masthead (any text; mapped onto the pixel font). */
  title: string;
  /** Small tag under the masthead, e.g. "VOL 2", "ANNUAL", "ONE-SHOT"; empty for none. */
  tag: string;
  publisher: string;
}

/** A series' cover without its number, as raw RGB, plus the badge color the issues use. */
export interface SeriesArt {
  image: RawImage;
  badge: Rgb;
}

type Hsl = readonly [number, number, number];

function hslToRgb([h, s, l]: Hsl): Rgb {
  const hue = ((h % 360) + 360) % 360;
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((hue / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] =
    hue < 60 ? [c, x, 0] : hue < 120 ? [x, c, 0] : hue < 180 ? [0, c, x] : hue < 240 ? [0, x, c] : hue < 300 ? [x, 0, c] : [c, 0, x];
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}

function hex(rgb: Rgb): string {
  return `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

interface Palette {
  sky: Rgb;
  ground: Rgb;
  mast: Rgb;
  title: Rgb;
  accent: Rgb;
  shape: Rgb;
  dark: Rgb;
  badge: Rgb;
}

function palette(rng: Rng): Palette {
  const h = rng.int(0, 359);
  const turn = rng.pick([30, 150, 180, 210]);
  return {
    sky: hslToRgb([h, 0.65, rng.pick([0.35, 0.45, 0.55])]),
    ground: hslToRgb([h + turn, 0.55, 0.18]),
    mast: hslToRgb([h + turn, 0.75, rng.pick([0.2, 0.3, 0.88])]),
    title: hslToRgb([h + 60, 0.95, 0.62]),
    accent: hslToRgb([h + 180, 0.9, 0.6]),
    shape: hslToRgb([h + rng.pick([40, -40, 90]), 0.8, 0.55]),
    dark: hslToRgb([h, 0.4, 0.08]),
    badge: rng.chance(0.5) ? [255, 255, 255] : hslToRgb([h + 180, 0.95, 0.7]),
  };
}

/** Splits `text` into at most `maxLines` lines of `maxChars`; null when a word does not fit. */
function wrap(text: string, maxChars: number, maxLines: number): string[] | null {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (word.length > maxChars) return null;
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= maxChars) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines.length <= maxLines ? lines : null;
}

function layoutTitle(title: string, width: number): { lines: string[]; scale: number } {
  const text = toFontText(title) || 'UNTITLED';
  for (let scale = 9; scale >= 2; scale--) {
    const maxChars = Math.floor((width + scale) / (GLYPH_ADVANCE * scale));
    const lines = wrap(text, maxChars, scale >= 8 ? 2 : scale >= 5 ? 3 : 4);
    if (lines) return { lines, scale };
  }
  return { lines: [text.slice(0, Math.floor((width + 2) / (GLYPH_ADVANCE * 2)))], scale: 2 };
}

function artSvg(rng: Rng, p: Palette, W: number, H: number, top: number): string {
  const out: string[] = [];
  const style = rng.pick(['sunburst', 'starfield', 'skyline', 'mountains'] as const);
  const cx = rng.int(Math.round(W * 0.3), Math.round(W * 0.7));
  const cy = rng.int(Math.round(top + (H - top) * 0.3), Math.round(top + (H - top) * 0.55));
  if (style === 'sunburst') {
    const rays = rng.pick([12, 16, 20]);
    const R = W + H;
    const rays2: string[] = [];
    for (let i = 0; i < rays; i += 2) {
      const a0 = (i / rays) * Math.PI * 2;
      const a1 = ((i + 1) / rays) * Math.PI * 2;
      rays2.push(`M${cx},${cy}L${Math.round(cx + R * Math.cos(a0))},${Math.round(cy + R * Math.sin(a0))}L${Math.round(cx + R * Math.cos(a1))},${Math.round(cy + R * Math.sin(a1))}Z`);
    }
    out.push(`<path d="${rays2.join('')}" fill="${hex(p.shape)}" opacity="0.45"/>`);
    out.push(`<circle cx="${cx}" cy="${cy}" r="${rng.int(50, 90)}" fill="${hex(p.accent)}"/>`);
  } else if (style === 'starfield') {
    const stars: string[] = [];
    for (let i = 0; i < 70; i++) {
      const s = rng.int(1, 3);
      stars.push(`<rect x="${rng.int(0, W)}" y="${rng.int(top, H)}" width="${s}" height="${s}"/>`);
    }
    out.push(`<g fill="#fff">${stars.join('')}</g>`);
    const r = rng.int(70, 120);
    out.push(`<circle cx="${cx}" cy="${cy}" r="${r}" fill="${hex(p.shape)}"/>`);
    out.push(`<circle cx="${cx - r / 3}" cy="${cy - r / 3}" r="${r / 2}" fill="#fff" opacity="0.18"/>`);
    out.push(`<ellipse cx="${cx}" cy="${cy}" rx="${r * 1.7}" ry="${r * 0.35}" fill="none" stroke="${hex(p.accent)}" stroke-width="8" transform="rotate(${rng.int(-25, 25)} ${cx} ${cy})"/>`);
  } else if (style === 'skyline') {
    out.push(`<circle cx="${cx}" cy="${top + rng.int(60, 140)}" r="${rng.int(35, 60)}" fill="${hex(p.accent)}"/>`);
    const buildings: string[] = [];
    const windows: string[] = [];
    let x = -10;
    while (x < W) {
      const bw = rng.int(30, 70);
      const bh = rng.int(Math.round((H - top) * 0.25), Math.round((H - top) * 0.6));
      buildings.push(`<rect x="${x}" y="${H - bh}" width="${bw}" height="${bh}"/>`);
      for (let k = 0; k < 4; k++) {
        windows.push(`<rect x="${x + rng.int(4, bw - 12)}" y="${H - bh + rng.int(8, bh - 40)}" width="6" height="9"/>`);
      }
      x += bw + rng.int(0, 8);
    }
    out.push(`<g fill="${hex(p.ground)}">${buildings.join('')}</g><g fill="${hex(p.title)}">${windows.join('')}</g>`);
  } else {
    for (let layer = 0; layer < 3; layer++) {
      const base = H - (H - top) * (0.45 - layer * 0.12);
      let d = `M0,${H}`;
      for (let x = 0; x <= W; x += W / 6) d += `L${Math.round(x)},${Math.round(base - rng.int(0, 110))}`;
      d += `L${W},${H}Z`;
      const color = layer === 2 ? p.ground : layer === 1 ? p.shape : p.accent;
      out.push(`<path d="${d}" fill="${hex(color)}" opacity="${layer === 2 ? 1 : 0.75}"/>`);
    }
  }
  if (rng.chance(0.6)) {
    // A hero silhouette: head, cape, body.
    const hx = rng.int(Math.round(W * 0.35), Math.round(W * 0.65));
    const hy = Math.round(top + (H - top) * 0.35);
    const s = rng.int(80, 110) / 100;
    const d = (pts: Array<[number, number]>): string => `M${pts.map(([x, y]) => `${Math.round(hx + x * s)},${Math.round(hy + y * s)}`).join('L')}Z`;
    out.push(`<g fill="${hex(p.dark)}">`);
    out.push(`<path d="${d([[-30, 30], [30, 30], [95, 290], [-95, 290]])}" opacity="0.85"/>`);
    out.push(`<circle cx="${hx}" cy="${hy}" r="${Math.round(26 * s)}"/>`);
    out.push(`<path d="${d([[-38, 28], [38, 28], [48, 150], [28, 150], [22, 280], [4, 280], [0, 170], [-4, 280], [-22, 280], [-28, 150], [-48, 150]])}"/>`);
    out.push(`<path d="${d([[-38, 30], [-95, -40], [-80, -52], [-30, 60]])}"/>`);
    out.push('</g>');
  }
  return out.join('');
}

const ART_TEMPLATES = 64;
const ART_TOP = 120;
const templates = new Map<number, Promise<Buffer>>();

/** Background art (everything but masthead, tag and publisher strip), from a lazily rendered pool. */
function artTemplate(index: number): Promise<Buffer> {
  let art = templates.get(index);
  if (!art) {
    const rng = mulberry32(0x9e3779b9 ^ Math.imul(index + 1, 0x85ebca6b));
    const p = palette(rng);
    const W = COVER_WIDTH;
    const H = COVER_HEIGHT;
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">` +
      `<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${hex(p.sky)}"/><stop offset="1" stop-color="${hex(p.ground)}"/></linearGradient></defs>` +
      `<rect width="${W}" height="${H}" fill="url(#g)"/>${artSvg(rng, p, W, H - STRIP_HEIGHT, ART_TOP)}</svg>`;
    art = sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer();
    templates.set(index, art);
  }
  return art;
}

/**
 * A series' cover without its number, as raw RGB: background art from a pool of templates, then the
 * series' own masthead colors, title, tag and publisher strip drawn with the pixel font.
 */
export async function renderSeriesArt(look: SeriesLook, rng: Rng): Promise<SeriesArt> {
  const W = COVER_WIDTH;
  const H = COVER_HEIGHT;
  const background = await artTemplate(rng.int(0, ART_TEMPLATES - 1));
  const p = palette(rng);
  const image: RawImage = { width: W, height: H, data: Buffer.from(background) };
  const { lines, scale } = layoutTitle(look.title, W - 28);
  const lineHeight = (GLYPH_HEIGHT + 3) * scale;
  const mastHeight = Math.max(110, lines.length * lineHeight + 24);
  const light = p.mast[0] + p.mast[1] + p.mast[2] > 450;
  fillRect(image, 0, 0, W, mastHeight, p.mast);
  fillRect(image, 0, mastHeight, W, 5, p.dark);
  const textTop = Math.round((mastHeight - (lines.length * lineHeight - 3 * scale)) / 2);
  const shadow = Math.max(1, Math.round(scale / 2));
  lines.forEach((line, i) => {
    const x = Math.round((W - textWidth(line, scale)) / 2);
    const y = textTop + i * lineHeight;
    drawText(image, line, x + shadow, y + shadow, scale, light ? [255, 255, 255] : [0, 0, 0]);
    drawText(image, line, x, y, scale, light ? p.dark : p.title);
  });
  const tag = toFontText(look.tag);
  if (tag !== '') {
    const tw = textWidth(tag, 3);
    const h = GLYPH_HEIGHT * 3 + 12;
    fillRect(image, W - tw - 33, mastHeight + 11, tw + 22, h + 6, [0, 0, 0]);
    fillRect(image, W - tw - 30, mastHeight + 14, tw + 16, h, p.accent);
    drawText(image, tag, W - tw - 22, mastHeight + 20, 3, [0, 0, 0]);
  }
  fillRect(image, 0, H - STRIP_HEIGHT, W, STRIP_HEIGHT, [16, 16, 16]);
  const publisher = toFontText(look.publisher);
  drawText(image, publisher, W - textWidth(publisher, 3) - 12, H - STRIP_HEIGHT + 6, 3, [240, 240, 240]);
  return { image, badge: p.badge };
}

/**
 * Copies the series art and draws the issue label (e.g. "#12") into a badge; returns a JPEG.
 * `scratch` (same size as the art) saves allocating 720 KB per cover; the caller must not reuse it
 * before the returned promise settles.
 */
export async function encodeIssueCover(art: SeriesArt, label: string, scratch?: Buffer): Promise<Buffer> {
  const pixels = scratch !== undefined && scratch.length === art.image.data.length ? scratch : Buffer.allocUnsafe(art.image.data.length);
  art.image.data.copy(pixels);
  const image: RawImage = { width: art.image.width, height: art.image.height, data: pixels };
  const text = toFontText(label);
  const scale = text.length <= 3 ? 9 : text.length <= 4 ? 8 : 6;
  const pad = Math.round(scale * 1.5);
  const w = textWidth(text, scale) + pad * 2;
  const h = GLYPH_HEIGHT * scale + pad * 2;
  const x = 16;
  const y = image.height - STRIP_HEIGHT - 16 - h;
  fillRect(image, x - 4, y - 4, w + 8, h + 8, [0, 0, 0]);
  fillRect(image, x, y, w, h, art.badge);
  drawText(image, text, x + pad, y + pad, scale, [0, 0, 0]);
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .jpeg({ quality: JPEG_QUALITY, optimiseCoding: false })
    .toBuffer();
}

export interface PoolPage {
  data: Buffer;
  ext: 'jpg' | 'png';
  crc32: number;
  width: number;
  height: number;
}

function pageSvg(rng: Rng, W: number, H: number, caption: string | null): string {
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="${W}" height="${H}" fill="#fbf8f0"/>`];
  const margin = 10;
  const gutter = 6;
  const rows = rng.int(2, 4);
  const rowH = (H - 2 * margin - (rows - 1) * gutter) / rows;
  const hue = rng.int(0, 359);
  for (let r = 0; r < rows; r++) {
    const cols = rng.int(1, 3);
    const colW = (W - 2 * margin - (cols - 1) * gutter) / cols;
    for (let c = 0; c < cols; c++) {
      const x = margin + c * (colW + gutter);
      const y = margin + r * (rowH + gutter);
      const fill = hex(hslToRgb([hue + rng.int(-40, 40), 0.45, rng.pick([0.6, 0.7, 0.8])]));
      parts.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${colW.toFixed(1)}" height="${rowH.toFixed(1)}" fill="${fill}" stroke="#111" stroke-width="2"/>`);
      if (rng.chance(0.7)) {
        const rx = Math.min(colW, rowH) * 0.3;
        parts.push(`<circle cx="${(x + colW * rng.next()).toFixed(1)}" cy="${(y + rowH * 0.7).toFixed(1)}" r="${rx.toFixed(1)}" fill="${hex(hslToRgb([hue + 180, 0.5, 0.35]))}"/>`);
      }
      if (rng.chance(0.6)) {
        const bw = colW * 0.5;
        const bx = x + 6;
        const by = y + 6;
        parts.push(`<ellipse cx="${(bx + bw / 2).toFixed(1)}" cy="${(by + 12).toFixed(1)}" rx="${(bw / 2).toFixed(1)}" ry="12" fill="#fff" stroke="#111" stroke-width="1.5"/>`);
        parts.push(`<rect x="${(bx + bw * 0.2).toFixed(1)}" y="${by + 8}" width="${(bw * 0.6).toFixed(1)}" height="2" fill="#444"/><rect x="${(bx + bw * 0.25).toFixed(1)}" y="${by + 14}" width="${(bw * 0.5).toFixed(1)}" height="2" fill="#444"/>`);
      }
    }
  }
  if (caption !== null) {
    const text = toFontText(caption);
    const tw = textWidth(text, 2);
    parts.push(`<rect x="${(W - tw) / 2 - 8}" y="${H / 2 - 14}" width="${tw + 16}" height="28" fill="#fff" stroke="#000" stroke-width="2"/>`);
    parts.push(textToSvg(text, Math.round((W - tw) / 2), Math.round(H / 2 - 7), 2, '#000000'));
  }
  parts.push('</svg>');
  return parts.join('');
}

async function encodePage(svg: string, ext: 'jpg' | 'png', W: number, H: number): Promise<PoolPage> {
  const image = sharp(Buffer.from(svg)).removeAlpha();
  const data = ext === 'jpg' ? await image.jpeg({ quality: 70 }).toBuffer() : await image.png({ palette: true, compressionLevel: 6 }).toBuffer();
  return { data, ext, crc32: crc32(data) >>> 0, width: W, height: H };
}

/** Interior pages, rendered and encoded once and shared by every comic (three in four are JPEG). */
export async function renderPagePool(rng: Rng, count: number): Promise<PoolPage[]> {
  const jobs: Array<Promise<PoolPage>> = [];
  for (let i = 0; i < count; i++) {
    jobs.push(encodePage(pageSvg(rng, PAGE_WIDTH, PAGE_HEIGHT, null), i % 4 === 3 ? 'png' : 'jpg', PAGE_WIDTH, PAGE_HEIGHT));
  }
  return Promise.all(jobs);
}

/** A scanner's credit page, appended as the last page by some release groups. */
export async function renderScannerPage(rng: Rng, group: string): Promise<PoolPage> {
  return encodePage(pageSvg(rng, PAGE_WIDTH, PAGE_HEIGHT, `SCANNED BY ${group}`), 'jpg', PAGE_WIDTH, PAGE_HEIGHT);
}
