// A tiny built-in 5×7 pixel font, so generated covers are readable on any machine: no system fonts,
// no fontconfig. Text is drawn either as SVG <rect> runs (for sharp/librsvg) or straight into a raw
// RGB buffer (for the per-issue number badge, which is drawn without any image library).

const GLYPH_ROWS: Record<string, readonly string[]> = {
  A: ['.###.', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
  B: ['####.', '#...#', '#...#', '####.', '#...#', '#...#', '####.'],
  C: ['.###.', '#...#', '#....', '#....', '#....', '#...#', '.###.'],
  D: ['####.', '#...#', '#...#', '#...#', '#...#', '#...#', '####.'],
  E: ['#####', '#....', '#....', '####.', '#....', '#....', '#####'],
  F: ['#####', '#....', '#....', '####.', '#....', '#....', '#....'],
  G: ['.###.', '#...#', '#....', '#.###', '#...#', '#...#', '.####'],
  H: ['#...#', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
  I: ['#####', '..#..', '..#..', '..#..', '..#..', '..#..', '#####'],
  J: ['..###', '...#.', '...#.', '...#.', '...#.', '#..#.', '.##..'],
  K: ['#...#', '#..#.', '#.#..', '##...', '#.#..', '#..#.', '#...#'],
  L: ['#....', '#....', '#....', '#....', '#....', '#....', '#####'],
  M: ['#...#', '##.##', '#.#.#', '#.#.#', '#...#', '#...#', '#...#'],
  N: ['#...#', '##..#', '#.#.#', '#..##', '#...#', '#...#', '#...#'],
  O: ['.###.', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
  P: ['####.', '#...#', '#...#', '####.', '#....', '#....', '#....'],
  Q: ['.###.', '#...#', '#...#', '#...#', '#.#.#', '#..#.', '.##.#'],
  R: ['####.', '#...#', '#...#', '####.', '#.#..', '#..#.', '#...#'],
  S: ['.####', '#....', '#....', '.###.', '....#', '....#', '####.'],
  T: ['#####', '..#..', '..#..', '..#..', '..#..', '..#..', '..#..'],
  U: ['#...#', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
  V: ['#...#', '#...#', '#...#', '#...#', '#...#', '.#.#.', '..#..'],
  W: ['#...#', '#...#', '#...#', '#.#.#', '#.#.#', '#.#.#', '.#.#.'],
  X: ['#...#', '#...#', '.#.#.', '..#..', '.#.#.', '#...#', '#...#'],
  Y: ['#...#', '#...#', '.#.#.', '..#..', '..#..', '..#..', '..#..'],
  Z: ['#####', '....#', '...#.', '..#..', '.#...', '#....', '#####'],
  '0': ['.###.', '#...#', '#..##', '#.#.#', '##..#', '#...#', '.###.'],
  '1': ['..#..', '.##..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  '2': ['.###.', '#...#', '....#', '...#.', '..#..', '.#...', '#####'],
  '3': ['####.', '....#', '....#', '.###.', '....#', '....#', '####.'],
  '4': ['...#.', '..##.', '.#.#.', '#..#.', '#####', '...#.', '...#.'],
  '5': ['#####', '#....', '####.', '....#', '....#', '#...#', '.###.'],
  '6': ['.###.', '#....', '#....', '####.', '#...#', '#...#', '.###.'],
  '7': ['#####', '....#', '...#.', '..#..', '.#...', '.#...', '.#...'],
  '8': ['.###.', '#...#', '#...#', '.###.', '#...#', '#...#', '.###.'],
  '9': ['.###.', '#...#', '#...#', '.####', '....#', '....#', '.###.'],
  ' ': ['.....', '.....', '.....', '.....', '.....', '.....', '.....'],
  '#': ['.#.#.', '.#.#.', '#####', '.#.#.', '#####', '.#.#.', '.#.#.'],
  '-': ['.....', '.....', '.....', '#####', '.....', '.....', '.....'],
  '.': ['.....', '.....', '.....', '.....', '.....', '.##..', '.##..'],
  ',': ['.....', '.....', '.....', '.....', '.##..', '..#..', '.#...'],
  ':': ['.....', '.##..', '.##..', '.....', '.##..', '.##..', '.....'],
  '!': ['..#..', '..#..', '..#..', '..#..', '..#..', '.....', '..#..'],
  '?': ['.###.', '#...#', '....#', '...#.', '..#..', '.....', '..#..'],
  "'": ['..#..', '..#..', '.#...', '.....', '.....', '.....', '.....'],
  '&': ['.##..', '#..#.', '#.#..', '.#...', '#.#.#', '#..#.', '.##.#'],
  '(': ['...#.', '..#..', '.#...', '.#...', '.#...', '..#..', '...#.'],
  ')': ['.#...', '..#..', '...#.', '...#.', '...#.', '..#..', '.#...'],
  '/': ['....#', '....#', '...#.', '..#..', '.#...', '#....', '#....'],
  '+': ['.....', '..#..', '..#..', '#####', '..#..', '..#..', '.....'],
};

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;
/** Horizontal advance of one character, in font pixels (glyph + 1 pixel gap). */
export const GLYPH_ADVANCE = GLYPH_WIDTH + 1;

/** Horizontal runs of lit pixels per glyph: [row, startColumn, length]. */
const GLYPH_RUNS = new Map<string, Array<[number, number, number]>>();
for (const [ch, rows] of Object.entries(GLYPH_ROWS)) {
  const runs: Array<[number, number, number]> = [];
  rows.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (row[x] !== '#') {
        x++;
        continue;
      }
      const start = x;
      while (x < row.length && row[x] === '#') x++;
      runs.push([y, start, x - start]);
    }
  });
  GLYPH_RUNS.set(ch, runs);
}

/**
 * Maps arbitrary text onto the font's repertoire: accents stripped (é → E), lower case raised,
 * anything else (CJK, emoji, …) dropped, runs of spaces collapsed.
 */
export function toFontText(text: string): string {
  const upper = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase();
  let out = '';
  for (const ch of upper) out += GLYPH_RUNS.has(ch) ? ch : ch === '_' ? ' ' : '';
  return out.replace(/\s+/g, ' ').trim();
}

/** Width in output pixels of `text` (already passed through toFontText) at `scale`. */
export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * GLYPH_ADVANCE - 1) * scale;
}

/** SVG <rect> elements drawing `text` with its top-left corner at (x, y). */
export function textToSvg(text: string, x: number, y: number, scale: number, fill: string): string {
  const parts: string[] = [];
  let cx = x;
  for (const ch of text) {
    for (const [row, col, len] of GLYPH_RUNS.get(ch) ?? []) {
      parts.push(`<rect x="${cx + col * scale}" y="${y + row * scale}" width="${len * scale}" height="${scale}"/>`);
    }
    cx += GLYPH_ADVANCE * scale;
  }
  return parts.length === 0 ? '' : `<g fill="${fill}">${parts.join('')}</g>`;
}

/** An RGB image in memory (3 bytes per pixel, no padding). */
export interface RawImage {
  width: number;
  height: number;
  data: Buffer;
}

export type Rgb = readonly [number, number, number];

/** Fills a rectangle (clipped to the image). */
export function fillRect(image: RawImage, x: number, y: number, w: number, h: number, color: Rgb): void {
  const x0 = Math.max(0, Math.floor(x));
  const y0 = Math.max(0, Math.floor(y));
  const x1 = Math.min(image.width, Math.floor(x + w));
  const y1 = Math.min(image.height, Math.floor(y + h));
  if (x1 <= x0 || y1 <= y0) return;
  const rowBytes = (x1 - x0) * 3;
  // Fill the first row pixel by pixel, then copy it down.
  const first = (y0 * image.width + x0) * 3;
  for (let i = 0; i < rowBytes; i += 3) {
    image.data[first + i] = color[0];
    image.data[first + i + 1] = color[1];
    image.data[first + i + 2] = color[2];
  }
  for (let yy = y0 + 1; yy < y1; yy++) {
    image.data.copy(image.data, (yy * image.width + x0) * 3, first, first + rowBytes);
  }
}

/** Draws `text` (already passed through toFontText) into a raw RGB image. */
export function drawText(image: RawImage, text: string, x: number, y: number, scale: number, color: Rgb): void {
  let cx = x;
  for (const ch of text) {
    for (const [row, col, len] of GLYPH_RUNS.get(ch) ?? []) {
      fillRect(image, cx + col * scale, y + row * scale, len * scale, scale, color);
    }
    cx += GLYPH_ADVANCE * scale;
  }
}
