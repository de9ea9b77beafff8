import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildZip } from '../../../scripts/testing/zip-writer.js';
import { tempDirForAll } from '../testing/temp-dir.js';
import { enrichFile } from '../enrich.js';
import { TINY_PNG } from '../testing/fixtures.js';
import { parseMetronInfo } from './metroninfo.js';

const FULL = `<?xml version="1.0" encoding="UTF-8"?>
<MetronInfo xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <ID><Primary source="Metron">290</Primary></ID>
  <Publisher id="1"><Name>Marvel</Name><Imprint>Epic</Imprint></Publisher>
  <Series id="2" lang="en"><Name>Spider-Man &amp; Friends</Name><SortName>Spider-Man</SortName><Volume>1</Volume><Format>Single Issue</Format></Series>
  <CollectionTitle>Torment Collected</CollectionTitle>
  <Number>1</Number>
  <Stories><Story id="9">Torment, Part One</Story><Story>Backup</Story></Stories>
  <Summary>Spidey fights the Lizard.</Summary>
  <CoverDate>1990-08-01</CoverDate>
  <StoreDate>1990-06-12</StoreDate>
  <PageCount>32</PageCount>
  <Genres><Genre id="1">Super-Hero</Genre><Genre>Horror</Genre></Genres>
  <AgeRating>Teen</AgeRating>
  <Credits>
    <Credit><Creator id="1">Todd McFarlane</Creator><Roles><Role id="1">Writer</Role><Role>Artist</Role><Role>Cover</Role></Roles></Credit>
    <Credit><Creator>Rick Parker</Creator><Roles><Role>Letterer</Role></Roles></Credit>
    <Credit><Creator>Ann Script</Creator><Roles><Role>Script</Role></Roles></Credit>
  </Credits>
</MetronInfo>`;

describe('parseMetronInfo', () => {
  it('maps series, number, volume, title, publisher, dates, credits, genres and age rating', () => {
    const result = parseMetronInfo(Buffer.from(FULL));
    expect(result.problem).toBeNull();
    expect(result.ageRating).toBe('Teen');
    expect(result.metadata).toEqual({
      series: 'Spider-Man & Friends',
      volume: 1,
      languageIso: 'en',
      number: '1',
      title: 'Torment, Part One',
      publisher: 'Marvel',
      year: 1990,
      month: 8,
      genre: 'Super-Hero, Horror',
      summary: 'Spidey fights the Lizard.',
      declaredPageCount: 32,
      writer: 'Todd McFarlane, Ann Script',
      penciller: 'Todd McFarlane',
    });
  });

  it('says what is wrong with bad documents and never throws', () => {
    expect(parseMetronInfo('').problem).toMatch(/empty/);
    expect(parseMetronInfo('<MetronInfo><Series>').problem).toMatch(/not well-formed/);
    expect(parseMetronInfo('<ComicInfo/>').problem).toMatch(/no <MetronInfo>/);
    expect(parseMetronInfo('x'.repeat(2 * 1024 * 1024)).problem).toMatch(/too large/);
    expect(parseMetronInfo('<!DOCTYPE m [<!ENTITY a "aaaaaaaaaa">]><MetronInfo><Number>&a;</Number></MetronInfo>').metadata.number).toBe('&a;');
  });
});

describe('metadata precedence: MetronInfo > ComicInfo > ComicBookInfo > document > file name', () => {
  let dir: string;
  tempDirForAll('longbox-metron-', (made) => (dir = made));

  it('takes each field from the first source that has it, nested MetronInfo included', async () => {
    const comicBookInfo = JSON.stringify({ appID: 'ComicTagger/1.0', 'ComicBookInfo/1.0': { series: 'CBI Series', issue: '5', publisher: 'CBI Pub', publicationYear: 2001, title: 'CBI Title', genre: 'CBI Genre' } });
    const zip = buildZip(
      [
        { name: 'p1.png', data: TINY_PNG },
        { name: 'ComicInfo.xml', data: Buffer.from('<ComicInfo><Series>CI Series</Series><Number>4</Number><Title>CI Title</Title><Writer>CI Writer</Writer></ComicInfo>') },
        { name: 'meta/MetronInfo.xml', data: Buffer.from('<MetronInfo><Series><Name>Metron Series</Name></Series><Number>3</Number></MetronInfo>') },
      ],
      { comment: comicBookInfo },
    );
    writeFileSync(join(dir, 'Name Series 009 (1999).cbz'), zip);
    const row = await enrichFile(dir, { path: 'Name Series 009 (1999).cbz', ext: '.cbz', size: zip.length, mtimeMs: 0, ino: 1 });
    expect(row).toMatchObject({ series: 'Metron Series', number: '3', title: 'CI Title', writer: 'CI Writer', publisher: 'CBI Pub', genre: 'CBI Genre', year: 2001 });
    expect(JSON.parse(row.sources)).toMatchObject({ series: 'metroninfo', number: 'metroninfo', title: 'comicinfo', writer: 'comicinfo', publisher: 'comicbookinfo', year: 'comicbookinfo' });
  });

  it('falls back to the file name when no tagged source has the field', async () => {
    const zip = buildZip([{ name: 'p1.png', data: TINY_PNG }, { name: 'MetronInfo.xml', data: Buffer.from('<MetronInfo><Publisher><Name>Image</Name></Publisher></MetronInfo>') }]);
    writeFileSync(join(dir, 'Saga 012 (2013).cbz'), zip);
    const row = await enrichFile(dir, { path: 'Saga 012 (2013).cbz', ext: '.cbz', size: zip.length, mtimeMs: 0, ino: 1 });
    expect(row).toMatchObject({ series: 'Saga', publisher: 'Image', year: 2013 });
    expect(JSON.parse(row.sources)).toMatchObject({ series: 'filename', publisher: 'metroninfo', year: 'filename' });
  });
});
