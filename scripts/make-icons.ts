// Renders build/icon.svg into the icons electron-builder packages:
//   build/icon.png          512×512 (macOS: electron-builder makes the .icns from it on a Mac build;
//                           iconutil exists only on macOS, so no .icns is produced here)
//   build/icons/NxN.png     Linux (AppImage/deb hicolor sizes)
//   build/icon.ico          Windows: PNG-compressed ICO entries (valid since Vista), 16–256 px
//   renderer/public/favicon.ico   the page's icon (16, 32, 48 px), also answered at /favicon.ico
//   renderer/public/favicon.svg   the same for browsers that take SVG icons
// Run: `npx tsx scripts/make-icons.ts`. The outputs are small and committed.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILD = path.join(ROOT, 'build');
const FAVICON = path.join(ROOT, 'renderer', 'public');
const FAVICON_SIZES = [16, 32, 48];
const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

async function render(svg: Buffer, size: number): Promise<Buffer> {
  return sharp(svg, { density: Math.max(72, Math.ceil((72 * size) / 1024) * 4) })
    .resize(size, size)
    .png({ compressionLevel: 9, palette: size <= 64 ? false : true, quality: 90, effort: 10 })
    .toBuffer();
}

/** An ICO container holding PNG images (ICONDIR + one ICONDIRENTRY per image + the PNG bytes). */
export function buildIco(images: ReadonlyArray<{ size: number; png: Buffer }>): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  const entries = Buffer.alloc(16 * images.length);
  let offset = header.length + entries.length;
  images.forEach(({ size, png }, i) => {
    if (size < 1 || size > 256) throw new Error(`ICO sizes are 1–256 px, got ${size}`);
    const e = i * 16;
    entries.writeUInt8(size === 256 ? 0 : size, e); // width (0 means 256)
    entries.writeUInt8(size === 256 ? 0 : size, e + 1); // height
    entries.writeUInt8(0, e + 2); // palette colours
    entries.writeUInt8(0, e + 3); // reserved
    entries.writeUInt16LE(1, e + 4); // colour planes
    entries.writeUInt16LE(32, e + 6); // bits per pixel
    entries.writeUInt32LE(png.length, e + 8);
    entries.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, entries, ...images.map((image) => image.png)]);
}

async function main(): Promise<void> {
  const svg = await readFile(path.join(BUILD, 'icon.svg'));
  await mkdir(path.join(BUILD, 'icons'), { recursive: true });
  const written: string[] = [];
  const pngs = new Map<number, Buffer>();
  for (const size of [...new Set([...LINUX_SIZES, ...ICO_SIZES])].sort((a, b) => a - b)) pngs.set(size, await render(svg, size));

  const write = async (file: string, data: Buffer) => {
    await writeFile(file, data);
    written.push(`${path.relative(ROOT, file)} (${(data.length / 1024).toFixed(1)} KiB)`);
  };
  await write(path.join(BUILD, 'icon.png'), pngs.get(512)!);
  for (const size of LINUX_SIZES) await write(path.join(BUILD, 'icons', `${size}x${size}.png`), pngs.get(size)!);
  await write(path.join(BUILD, 'icon.ico'), buildIco(ICO_SIZES.map((size) => ({ size, png: pngs.get(size)! }))));
  await mkdir(FAVICON, { recursive: true });
  await write(path.join(FAVICON, 'favicon.ico'), buildIco(FAVICON_SIZES.map((size) => ({ size, png: pngs.get(size)! }))));
  await write(path.join(FAVICON, 'favicon.svg'), svg);
  console.log(`icons:\n  ${written.join('\n  ')}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
