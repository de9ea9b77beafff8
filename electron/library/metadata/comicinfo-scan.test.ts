// The simple-document scan of parseComicInfo must give exactly what the validator + parser give, on the
// documents it accepts and on the near-misses it must hand to the parser.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseComicInfo, parseComicInfoWithParser } from './comicinfo.js';

const NUM_RUNS = Number(process.env.LONGBOX_FUZZ_RUNS ?? 300);

const names = fc.constantFrom('Series', 'series', 'SERIES', 'Number', 'Title', 'Volume', 'Year', 'Month', 'PageCount', 'Manga', 'Writer', 'Summary', 'LanguageISO', 'Notes', 'Web', 'a.b-c', 'x:Series', 'Pages');
const text = fc.oneof(
  fc.string({ maxLength: 24 }),
  fc.integer({ min: -5, max: 3000 }).map(String),
  fc.constantFrom('', '  ', ' 2011 ', 'Yes', 'yesandrighttoleft', 'a &amp; b', '&#233;&#x263A;', '&amp;lt;', '&nbsp;', '&lol;', '&', 'a > b', '\r\nline\r\n', '\u00a0x\u00a0', ']]>', '&#0;', '&#x110000;'),
);
/** Mostly the pieces the scan accepts (so it runs), sometimes a near-miss (so it must step aside). */
const likely = <T,>(usual: fc.Arbitrary<T>, rare: fc.Arbitrary<T>) => fc.oneof({ arbitrary: usual, weight: 6 }, { arbitrary: rare, weight: 1 });
const child = likely(
  fc.tuple(names, text).map(([n, t]) => `<${n}>${t}</${n}>`),
  fc.oneof(
  names.map((n) => `<${n}/>`),
  names.map((n) => `<${n} />`),
  fc.tuple(names, text).map(([n, t]) => `<${n} a="1">${t}</${n}>`),
  fc.constantFrom('<!-- c -->', '<Summary><![CDATA[x <b>y</b>]]></Summary>', '<Characters><Character>A</Character></Characters>', 'stray', '<Series>a</series>', '<Pages><Page Image="1" Type="FrontCover"/></Pages>'),
  ),
);
const space = likely(fc.constantFrom('', ' ', '\n  ', '\r\n', '\t'), fc.constant('\u00a0'));
const declaration = likely(fc.constantFrom('', '<?xml version="1.0" encoding="utf-8"?>', '<?xml version="1.0"?>\n'), fc.constantFrom(' <?xml version="1.0"?>', '<?xml version=1.0?>', '<?pi x?>'));
const rootAttributes = likely(
  fc.constantFrom('', ' xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"', " a='1'", ' a="x>y"', ' '),
  fc.constantFrom(' a="1" a="2"', ' a=1', ' a="&amp;"'),
);
const rootName = likely(fc.constantFrom('ComicInfo', 'comicinfo'), fc.constantFrom('ns:ComicInfo', 'Other'));
const documents = fc
  .tuple(declaration, space, rootName, rootAttributes, fc.array(fc.tuple(space, child), { maxLength: 8 }), space, likely(fc.constant('same'), fc.constant('other')), likely(fc.constantFrom('', '\n'), fc.constantFrom('<x/>', 'junk')))
  .map(([decl, lead, root, attributes, children, before, close, after]) => {
    const closing = close === 'other' ? 'Comicinfo' : root;
    return `${decl}${lead}<${root}${attributes}>${children.map(([s, c]) => s + c).join('')}${before}</${closing}>${after}`;
  });

describe('parseComicInfo simple-document scan', () => {
  it('gives the parser result for every generated document', () => {
    fc.assert(
      fc.property(documents, (xml) => {
        expect(parseComicInfo(xml)).toEqual(parseComicInfoWithParser(xml));
        expect(parseComicInfo(Buffer.from(xml))).toEqual(parseComicInfoWithParser(Buffer.from(xml)));
      }),
      { numRuns: NUM_RUNS * 10 },
    );
  });

  it('reads the sample library document and a tagger document the same way', () => {
    const tagger = `<?xml version="1.0" encoding="utf-8"?>
<ComicInfo xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Title>  The Court of Owls  </Title>
  <Series>Batman &amp; Robin</Series>
  <Number>001</Number>
  <Volume>2</Volume>
  <Year>2011</Year>
  <Month>9</Month>
  <PageCount>32</PageCount>
  <Manga>No</Manga>
  <Pages>
    <Page Image="0" Type="InnerCover" />
    <Page Image="2" Type="FrontCover" ImageSize="12345" />
  </Pages>
</ComicInfo>`;
    expect(parseComicInfo(tagger)).toEqual(parseComicInfoWithParser(tagger));
    expect(parseComicInfo(tagger)).toEqual({
      metadata: { title: 'The Court of Owls', series: 'Batman & Robin', number: '001', volume: 2, year: 2011, month: 9, declaredPageCount: 32, manga: 'No' },
      frontCoverPage: 2,
      problem: null,
    });
  });
});
