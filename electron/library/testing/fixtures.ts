// Test fixtures: small real CBZ files written with the project's ZIP writer. Test-only code.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildZip } from '../../../scripts/testing/zip-writer.js';

/** A 1×1 PNG: a real image entry, small enough to write thousands of fixtures quickly. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

export interface ComicFixture {
  series?: string;
  number?: string;
  title?: string;
  writer?: string;
  pages?: number;
  /** Extra bytes that make the content (and so the fingerprint) distinct. */
  salt?: string;
  /** The whole ComicInfo.xml, instead of one made of the fields above. */
  comicInfo?: string;
}

export function comicInfoXml(f: ComicFixture): string {
  const field = (name: string, value: string | undefined) => (value === undefined ? '' : `<${name}>${value}</${name}>`);
  return `<?xml version="1.0"?><ComicInfo>${field('Series', f.series)}${field('Number', f.number)}${field('Title', f.title)}${field('Writer', f.writer)}</ComicInfo>`;
}

export function comicZip(f: ComicFixture = {}): Buffer {
  const pages = Array.from({ length: f.pages ?? 3 }, (_, i) => ({ name: `page${String(i + 1).padStart(3, '0')}.png`, data: TINY_PNG }));
  const entries = [...pages, { name: 'ComicInfo.xml', data: Buffer.from(f.comicInfo ?? comicInfoXml(f)) }];
  if (f.salt) entries.push({ name: 'salt.txt', data: Buffer.from(f.salt) });
  return buildZip(entries);
}

export function writeComic(root: string, relativePath: string, f: ComicFixture = {}): string {
  const file = join(root, relativePath);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, comicZip({ salt: relativePath, ...f }));
  return file;
}

/** `count` distinct comics in a few series folders; returns their relative paths. */
export function writeLibrary(root: string, count: number, prefix = 'Series'): string[] {
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const series = `${prefix} ${i % 5}`;
    const rel = `${series}/${series} ${String(i + 1).padStart(3, '0')}.cbz`;
    writeComic(root, rel, { series, number: String(i + 1), title: `Issue ${i + 1}`, writer: i % 2 ? 'Ann Writer' : 'Bob Author' });
    paths.push(rel);
  }
  return paths;
}
