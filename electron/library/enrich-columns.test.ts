// The enrich output follows the row table: a ComicInfo.xml that sets every metadata field fills every
// metadata column, each recorded as coming from ComicInfo; a broken file still has every column.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMIC_ROW, METADATA_COLUMNS, type ColumnSpec } from '../../shared/comic-fields.js';
import { enrichFile } from './enrich.js';
import { writeComic } from './testing/fixtures.js';
import type { WalkedFile } from './scan/walk.js';

/** ComicInfo element, value, and the value the metadata field gets. */
const COMIC_INFO: Record<string, readonly [string, string, string | number]> = {
  series: ['Series', 'Saga', 'Saga'],
  number: ['Number', '12', '12'],
  volume: ['Volume', '2', 2],
  title: ['Title', 'Chapter Twelve', 'Chapter Twelve'],
  year: ['Year', '2013', 2013],
  month: ['Month', '5', 5],
  writer: ['Writer', 'Brian K. Vaughan', 'Brian K. Vaughan'],
  penciller: ['Penciller', 'Fiona Staples', 'Fiona Staples'],
  publisher: ['Publisher', 'Image', 'Image'],
  genre: ['Genre', 'Science Fiction', 'Science Fiction'],
  summary: ['Summary', 'The war goes on.', 'The war goes on.'],
  declaredPageCount: ['PageCount', '3', 3],
  languageIso: ['LanguageISO', 'en', 'en'],
  manga: ['Manga', 'No', 'No'],
};

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lb-enrich-columns-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function walked(path: string): WalkedFile {
  const st = statSync(join(root, path));
  return { path, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, ext: path.slice(path.lastIndexOf('.')) };
}

const enrichedColumns = (COMIC_ROW as readonly ColumnSpec[]).filter((c) => c.stage === 'file' || c.stage === 'metadata').map((c) => c.column);

describe('enrichFile fills the row table', () => {
  it('has a test value for every metadata field', () => {
    expect(Object.keys(COMIC_INFO).sort()).toEqual(METADATA_COLUMNS.map((c) => c.field).sort());
  });

  it('writes every metadata field of a full ComicInfo.xml to its column, sourced from ComicInfo', async () => {
    const xml = `<?xml version="1.0"?><ComicInfo>${Object.values(COMIC_INFO).map(([el, v]) => `<${el}>${v}</${el}>`).join('')}</ComicInfo>`;
    writeComic(root, 'Image/Saga 012.cbz', { comicInfo: xml });
    const row = await enrichFile(root, walked('Image/Saga 012.cbz'));
    expect(Object.keys(row).sort()).toEqual([...enrichedColumns].sort());
    const columns = row as unknown as Record<string, unknown>;
    for (const c of METADATA_COLUMNS) expect([c.field, columns[c.column]]).toEqual([c.field, COMIC_INFO[c.field]![2]]);
    expect(JSON.parse(row.sources)).toEqual(Object.fromEntries(METADATA_COLUMNS.map((c) => [c.field, 'comicinfo'])));
    expect(row.number_sort).toBe(12);
    expect(row.error_kind).toBeNull();
  });

  it('gives a file it cannot read every column too, with what its name tells', async () => {
    writeFileSync(join(root, 'Saga 013 (2013).cbz'), 'not a zip at all');
    const row = await enrichFile(root, walked('Saga 013 (2013).cbz'));
    expect(Object.keys(row).sort()).toEqual([...enrichedColumns].sort());
    expect(row).toMatchObject({ series: 'Saga', number: '13', year: 2013, number_sort: 13, error_kind: 'not-archive' });
    expect(JSON.parse(row.sources)).toEqual({ series: 'filename', number: 'filename', year: 'filename' });
  });
});
