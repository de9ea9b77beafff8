import { describe, expect, it } from 'vitest';
import { COMICINFO_MAX_BYTES, parseComicInfo } from './comicinfo.js';

const full = `<?xml version="1.0" encoding="utf-8"?>
<ComicInfo xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Title>  The Court of Owls  </Title>
  <Series>Batman</Series>
  <Number>001</Number>
  <Volume>2</Volume>
  <Summary><![CDATA[Gotham <b>is</b> &amp; was]]></Summary>
  <Year>2011</Year>
  <Month>9</Month>
  <Writer>Scott Snyder</Writer>
  <Penciller>Greg Capullo</Penciller>
  <Publisher>DC Comics &amp; Co</Publisher>
  <Genre>Superhero</Genre>
  <PageCount>32</PageCount>
  <LanguageISO>en</LanguageISO>
  <Manga>No</Manga>
  <Pages>
    <Page Image="0" Type="InnerCover" />
    <Page Image="2" Type="FrontCover" ImageSize="12345" />
    <Page Image="3" />
  </Pages>
</ComicInfo>`;

describe('parseComicInfo', () => {
  it('maps every supported field (schema v2.0)', () => {
    const result = parseComicInfo(full);
    expect(result.problem).toBeNull();
    expect(result.frontCoverPage).toBe(2);
    expect(result.metadata).toEqual({
      series: 'Batman',
      number: '001',
      volume: 2,
      title: 'The Court of Owls',
      year: 2011,
      month: 9,
      writer: 'Scott Snyder',
      penciller: 'Greg Capullo',
      publisher: 'DC Comics & Co',
      genre: 'Superhero',
      summary: 'Gotham <b>is</b> &amp; was',
      declaredPageCount: 32,
      languageIso: 'en',
      manga: 'No',
    });
  });

  it('reads a v1 document without namespaces and a single FrontCover page', () => {
    const xml = '<ComicInfo><Series>Saga</Series><Number>½</Number><Pages><Page Image="0" Type="FrontCover"/></Pages></ComicInfo>';
    expect(parseComicInfo(xml)).toEqual({ metadata: { series: 'Saga', number: '½' }, frontCoverPage: 0, problem: null });
  });

  it('keeps Number as written ("1.5", "-1")', () => {
    expect(parseComicInfo('<ComicInfo><Number>1.5</Number></ComicInfo>').metadata.number).toBe('1.5');
    expect(parseComicInfo('<ComicInfo><Number>-1</Number></ComicInfo>').metadata.number).toBe('-1');
  });

  it('validates numbers: junk, schema defaults (-1) and out-of-range values become absent', () => {
    const xml = `<ComicInfo><Year>1799</Year><Month>13</Month><Volume>-1</Volume><PageCount>many</PageCount>
      <Series>   </Series><Manga>Unknown</Manga></ComicInfo>`;
    expect(parseComicInfo(xml)).toEqual({ metadata: {}, frontCoverPage: null, problem: null });
    const ok = parseComicInfo('<ComicInfo><Year>2200</Year><Month>1</Month><Volume>0</Volume><PageCount>0</PageCount></ComicInfo>');
    expect(ok.metadata).toEqual({ year: 2200, month: 1, volume: 0, declaredPageCount: 0 });
    expect(parseComicInfo('<ComicInfo><Year>2012.5</Year><Manga>YesAndRightToLeft</Manga></ComicInfo>').metadata).toEqual({ manga: 'YesAndRightToLeft' });
  });

  it('decodes character references but leaves unknown entities literal', () => {
    const result = parseComicInfo('<ComicInfo><Series>Caf&#233; &#x263A; &amp;lt; &nbsp;</Series></ComicInfo>');
    expect(result.metadata.series).toBe('Café ☺ &lt; &nbsp;');
  });

  it('decodes a UTF-8 BOM, UTF-16 LE and UTF-16 BE with BOM, and a declared ISO-8859-1 encoding', () => {
    const xml = '<?xml version="1.0"?><ComicInfo><Series>Astérix</Series></ComicInfo>';
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml, 'utf8')]);
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    for (const bytes of [utf8, le, be]) expect(parseComicInfo(bytes)).toEqual({ metadata: { series: 'Astérix' }, frontCoverPage: null, problem: null });
    expect(parseComicInfo(`\uFEFF${xml}`).metadata.series).toBe('Astérix');
    const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><ComicInfo><Series>Astérix</Series></ComicInfo>', 'latin1');
    expect(parseComicInfo(latin1).metadata.series).toBe('Astérix');
  });

  it('refuses a document over 1 MiB without parsing it', () => {
    const big = Buffer.alloc(COMICINFO_MAX_BYTES + 1, 0x20);
    expect(parseComicInfo(big)).toEqual({ metadata: {}, frontCoverPage: null, problem: `ComicInfo.xml is too large (${COMICINFO_MAX_BYTES + 1} bytes)` });
  });

  it('does not expand a billion-laughs DOCTYPE', () => {
    let dtd = '<!ENTITY lol0 "lol">';
    for (let i = 1; i <= 9; i++) dtd += `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`;
    const xml = `<?xml version="1.0"?><!DOCTYPE lolz [${dtd}]><ComicInfo><Series>&lol9;</Series><Title>T</Title></ComicInfo>`;
    const started = performance.now();
    const result = parseComicInfo(xml);
    expect(performance.now() - started).toBeLessThan(500);
    expect(result.metadata.series).toBe('&lol9;');
    expect(result.metadata.title).toBe('T');
    expect(JSON.stringify(result).length).toBeLessThan(1000);
  });

  it('does not resolve external entities', () => {
    const xml = '<!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]><ComicInfo><Series>&ext;</Series></ComicInfo>';
    expect(parseComicInfo(xml).metadata.series).toBe('&ext;');
  });

  it('returns what it could read from malformed XML, with a problem, without throwing', () => {
    const mismatched = parseComicInfo('<ComicInfo><Series>Batman</Series><Title>T</Series></ComicInfo>');
    expect(mismatched.problem).toMatch(/^ComicInfo\.xml is not well-formed/);
    expect(mismatched.metadata.series).toBe('Batman');

    const truncated = parseComicInfo('<ComicInfo><Series>Saga</Series><Number>12</Number><Summ');
    expect(truncated.problem).not.toBeNull();
    expect(truncated.metadata).toMatchObject({ series: 'Saga', number: '12' });

    const garbage = parseComicInfo('not xml at all');
    expect(garbage.problem).not.toBeNull();
    expect(garbage.metadata).toEqual({});

    const binary = parseComicInfo(Buffer.from([0x00, 0xff, 0x12, 0x3c, 0x3e, 0x00]));
    expect(binary.problem).not.toBeNull();
  });

  it('reports a document without a ComicInfo root', () => {
    const result = parseComicInfo('<?xml version="1.0"?><Book><Series>X</Series></Book>');
    expect(result.problem).toBe('ComicInfo.xml has no <ComicInfo> element');
    expect(result.metadata).toEqual({});
  });

  it('reports an empty document', () => {
    expect(parseComicInfo('').problem).toBe('ComicInfo.xml is empty');
    expect(parseComicInfo('<ComicInfo/>')).toEqual({ metadata: {}, frontCoverPage: null, problem: null });
  });

  it('takes the first of repeated elements and tolerates attributes on fields', () => {
    const result = parseComicInfo('<ComicInfo><Series lang="en">A</Series><Series>B</Series></ComicInfo>');
    expect(result.metadata.series).toBe('A');
  });
});
