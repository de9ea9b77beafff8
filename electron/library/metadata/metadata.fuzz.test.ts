// Fuzz: the ComicInfo.xml and file-name parsers against mutated real documents and hostile shapes
// (entity bombs, external entities, deep nesting, huge sibling counts, ReDoS-shaped names). Complements
// metadata.property.test.ts (random strings, bytes and XML-ish fragments): here the inputs start from
// valid documents and names so that mutations reach the deep code paths. Properties: never throws, the
// documented shape, no entity expansion (output never longer than the input), no hang.
// FUZZ_RUNS per property: 200 in `npm test`, 20,000 under `npm run fuzz` (see vitest.config.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ComicMetadata } from '../../../shared/types.js';
import { parseComicInfo } from './comicinfo.js';
import { parseFileName } from './filename.js';
import { METADATA_FIELDS } from './merge.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
/** A parse that takes this long is a hang (or a super-linear regex): far above any real parse. */
const HANG_MS = 2000;

const VALID_COMICINFO = `<?xml version="1.0" encoding="utf-8"?>
<ComicInfo xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <Title>The Long &amp; Winding Road</Title>
  <Series>Saga</Series>
  <Number>54</Number>
  <Volume>2018</Volume>
  <Summary><![CDATA[Hazel & family <b>keep</b> running.]]></Summary>
  <Year>2018</Year>
  <Month>7</Month>
  <Writer>Brian K. Vaughan</Writer>
  <Penciller>Fiona Staples</Penciller>
  <Publisher>Image</Publisher>
  <Genre>Science Fiction, Fantasy</Genre>
  <PageCount>3</PageCount>
  <LanguageISO>en</LanguageISO>
  <Manga>No</Manga>
  <Pages>
    <Page Image="0" Type="FrontCover" ImageSize="123456" />
    <Page Image="1" />
    <Page Image="2" Type="Story" />
  </Pages>
</ComicInfo>`;

function expectShape(result: ReturnType<typeof parseComicInfo>, inputLength: number): void {
  expect(Object.keys(result).sort()).toEqual(['frontCoverPage', 'metadata', 'problem']);
  expect(result.problem === null || (typeof result.problem === 'string' && result.problem.length < 1000)).toBe(true);
  expect(result.frontCoverPage === null || (Number.isInteger(result.frontCoverPage) && result.frontCoverPage >= 0)).toBe(true);
  for (const [key, value] of Object.entries(result.metadata)) {
    expect(METADATA_FIELDS).toContain(key);
    if (typeof value === 'string') {
      // No expansion: every field is a piece of the input (entities only ever shrink text).
      expect(value.length).toBeLessThanOrEqual(inputLength);
      expect(value).not.toMatch(/root:x?:0:0/);
    } else {
      expect(Number.isInteger(value)).toBe(true);
    }
  }
}

function timed<T>(what: string, work: () => T): T {
  const started = performance.now();
  const result = work();
  const ms = performance.now() - started;
  if (ms > HANG_MS) throw new Error(`HANG: ${what} took ${Math.round(ms)} ms`);
  return result;
}

/** String mutations: replace, delete or duplicate a slice; insert markup fragments. */
const FRAGMENTS = ['<', '>', '</', '/>', '&', '&amp;', '&#x0;', '&#1114112;', '&lol;', ']]>', '<![CDATA[', '<!--', '-->', '<?xml ?>', '"', "'", '=', '\u0000', '\uFEFF', '\uD800', '<Series>', '</Series>', '<Page Image="-1" Type="FrontCover"/>', '<Page Image="99999999999999999999" Type="FrontCover"/>', '<Number>', '<Year>99999</Year>', '<Month>-3</Month>', 'xmlns:a="x"', '<a:Series>ns</a:Series>'];

const stringMutation = fc.oneof(
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 40 })).map(([p, n]) => (s: string) => {
    const at = Math.floor(p * s.length);
    return s.slice(0, at) + s.slice(at + n);
  }),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...FRAGMENTS)).map(([p, f]) => (s: string) => {
    const at = Math.floor(p * s.length);
    return s.slice(0, at) + f + s.slice(at);
  }),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 80 }), fc.integer({ min: 2, max: 50 })).map(([p, n, times]) => (s: string) => {
    const at = Math.floor(p * s.length);
    return s.slice(0, at) + s.slice(at, at + n).repeat(times) + s.slice(at + n);
  }),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.string({ maxLength: 10, unit: 'binary' })).map(([p, t]) => (s: string) => {
    const at = Math.floor(p * s.length);
    return s.slice(0, at) + t + s.slice(at + t.length);
  }),
);

const mutatedComicInfo = fc.array(stringMutation, { minLength: 1, maxLength: 8 }).map((ms) => ms.reduce((doc, m) => m(doc), VALID_COMICINFO));

describe('parseComicInfo (fuzz)', () => {
  it('reads the unmutated seed completely (the fuzzer starts from a real document)', () => {
    const result = parseComicInfo(VALID_COMICINFO);
    expect(result.problem).toBeNull();
    expect(result.metadata).toMatchObject({ series: 'Saga', number: '54', writer: 'Brian K. Vaughan', year: 2018, month: 7 });
    expect(result.frontCoverPage).toBe(0);
  });

  it(`mutated real documents: never throws, valid shape, no expansion, no hang (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(mutatedComicInfo, fc.boolean(), (doc, asBytes) => {
        const input = asBytes ? Buffer.from(doc, 'utf8') : doc;
        const result = timed('parseComicInfo', () => parseComicInfo(input));
        expectShape(result, doc.length);
      }),
      { numRuns: RUNS },
    );
  });

  const entityBomb = fc.record({ levels: fc.integer({ min: 1, max: 12 }), fanout: fc.integer({ min: 2, max: 20 }), where: fc.constantFrom('Series', 'Summary', 'Pages') }).map(({ levels, fanout, where }) => {
    const entities = ['<!ENTITY e0 "boom">'];
    for (let i = 1; i <= levels; i++) entities.push(`<!ENTITY e${i} "${`&e${i - 1};`.repeat(fanout)}">`);
    const use = where === 'Pages' ? `<Pages><Page Image="&e${levels};" Type="FrontCover"/></Pages>` : `<${where}>&e${levels};</${where}>`;
    return `<?xml version="1.0"?><!DOCTYPE ComicInfo [${entities.join('')}]><ComicInfo>${use}</ComicInfo>`;
  });

  it(`entity bombs of any depth and fan-out are never expanded (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(entityBomb, (doc) => {
        const result = timed('parseComicInfo(entity bomb)', () => parseComicInfo(doc));
        expectShape(result, doc.length);
        expect(result.metadata.series ?? '').not.toContain('boomboom');
        expect(result.metadata.summary ?? '').not.toContain('boomboom');
      }),
      { numRuns: RUNS },
    );
  });

  it.each([
    ['external entity (XXE)', '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><ComicInfo><Series>&xxe;</Series></ComicInfo>'],
    ['parameter entity', '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><ComicInfo><Series>x</Series></ComicInfo>'],
    ['nesting 5,000 deep', `<ComicInfo>${'<a>'.repeat(5000)}x${'</a>'.repeat(5000)}<Series>Deep</Series></ComicInfo>`],
    ['unclosed nesting 50,000 deep', `<ComicInfo>${'<a>'.repeat(50_000)}`],
    ['20,000 Page siblings', `<ComicInfo><Series>Many</Series><Pages>${'<Page Image="1"/>'.repeat(20_000)}</Pages></ComicInfo>`],
    ['10,000 attributes', `<ComicInfo ${Array.from({ length: 10_000 }, (_, i) => `a${i}="${i}"`).join(' ')}><Series>Attrs</Series></ComicInfo>`],
    ['1 MiB text node', `<ComicInfo><Summary>${'s'.repeat(1024 * 1024 - 100)}</Summary></ComicInfo>`],
    ['200,000 character references (1 MB)', `<ComicInfo><Series>${'&#65;'.repeat(200_000)}</Series></ComicInfo>`],
    ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<ComicInfo><Series>Wide</Series></ComicInfo>', 'utf16le')])],
    ['lone surrogates and NULs', '<ComicInfo><Series>\uD800\u0000\uDFFF</Series></ComicInfo>'],
  ] as Array<[string, string | Buffer]>)('%s: answers in bounded time without throwing', (_name, doc) => {
    const started = performance.now();
    const result = timed('parseComicInfo', () => parseComicInfo(doc));
    expectShape(result, doc.length);
    console.log(`metadata fuzz: ${_name} parsed in ${(performance.now() - started).toFixed(1)} ms (problem: ${result.problem ?? 'none'})`);
  });
});

// ---- file names ----------------------------------------------------------------------------------------

const REAL_NAMES = [
  'Saga 054 (2018) (Digital) (Zone-Empire).cbz',
  'Batman v2 #12 (2012).cbr',
  'Sandman_Vol_1_-_Preludes_and_Nocturnes.cbz',
  'Spider-Man 2099 #01 (of 12) [c2c].cbz',
  'One.Piece.v045.c0430.cbz',
  'X-Men - Days of Future Past ½ (1981-Jan).cbz',
];
const NAME_TOKENS = [' ', '_', '.', '#', '(', ')', '[', ']', '{', '}', ' - ', 'v2', 'Vol.', 'Volume 3', '001', '2012', '(2019)', '½', '1/2', '.cbz', 'Jan', '-', '0'.repeat(30), '9'.repeat(20)];

function expectNameShape(result: Partial<ComicMetadata>): void {
  const allowed = ['series', 'number', 'volume', 'year', 'month', 'title'];
  for (const [key, value] of Object.entries(result)) {
    expect(allowed).toContain(key);
    if (typeof value === 'string') {
      expect(value).toBe(value.trim());
      expect(value.length).toBeGreaterThan(0);
      expect(value.length).toBeLessThanOrEqual(1000);
    } else expect(Number.isInteger(value)).toBe(true);
  }
}

describe('parseFileName (fuzz)', () => {
  it(`mutated real names: never throws, valid fields, no hang (${RUNS} runs)`, () => {
    const mutatedName = fc
      .tuple(fc.constantFrom(...REAL_NAMES), fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...NAME_TOKENS), fc.integer({ min: 1, max: 3 })), { maxLength: 10 }))
      .map(([name, edits]) => edits.reduce((s, [p, token, mode]) => {
        const at = Math.floor(p * s.length);
        return mode === 1 ? s.slice(0, at) + token + s.slice(at) : mode === 2 ? s.slice(0, at) + s.slice(at + token.length) : s.slice(0, at) + token.repeat(20) + s.slice(at);
      }, name));
    fc.assert(
      fc.property(mutatedName, (name) => expectNameShape(timed('parseFileName', () => parseFileName(name)))),
      { numRuns: RUNS },
    );
  });

  it(`ReDoS-shaped names (one token repeated up to 5,000 times) finish in bounded time (${Math.max(20, Math.floor(RUNS / 5))} runs)`, () => {
    fc.assert(
      fc.property(fc.constantFrom(...NAME_TOKENS, 'v', 'vol', '1.', '(1', 'a ', '# ', ' -', '[(', '1 - 2 '), fc.integer({ min: 100, max: 5000 }), fc.constantFrom('', '.cbz', '!', ' (2019'), (token, times, tail) => {
        expectNameShape(timed(`parseFileName(${JSON.stringify(token)} × ${times})`, () => parseFileName(token.repeat(times) + tail)));
      }),
      { numRuns: Math.max(20, Math.floor(RUNS / 5)) },
    );
  });
});
