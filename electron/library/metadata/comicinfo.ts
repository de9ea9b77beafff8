// ComicInfo.xml (Anansi schema v1, v2.0, v2.1) → ComicMetadata fields. Tolerant and bounded: never throws,
// never expands DOCTYPE entities, refuses documents over 1 MiB without parsing them.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseXmlDocument, SAFE_XML_OPTIONS, type XmlDocumentOptions } from './xml.js';
import type { ComicMetadata } from '../../../shared/types.js';
import { cleanString, decodeXmlEntities, parseIntInRange, shortMessage } from './text.js';
import { messageOf } from '../../../shared/errors.js';

export const COMICINFO_MAX_BYTES = 1024 * 1024;

export interface ComicInfoResult {
  metadata: Partial<ComicMetadata>;
  /** 0-based page index of `<Page Type="FrontCover">`, null when not declared. */
  frontCoverPage: number | null;
  /** Short human message when the document is too large, malformed or not a ComicInfo document. */
  problem: string | null;
}

type StringField = 'series' | 'number' | 'title' | 'writer' | 'penciller' | 'publisher' | 'genre' | 'summary' | 'languageIso';

/** ComicInfo element name → string field. */
const STRING_FIELDS: ReadonlyArray<readonly [string, StringField]> = [
  ['Series', 'series'],
  ['Number', 'number'],
  ['Title', 'title'],
  ['Writer', 'writer'],
  ['Penciller', 'penciller'],
  ['Publisher', 'publisher'],
  ['Genre', 'genre'],
  ['Summary', 'summary'],
  ['LanguageISO', 'languageIso'],
];
const NUMBER_ELEMENTS = ['Volume', 'Year', 'Month', 'PageCount'] as const;
const ALL_ELEMENTS = [...STRING_FIELDS.map(([name]) => name), ...NUMBER_ELEMENTS, 'Manga'];

const MANGA_VALUES = new Map<string, string>(Object.entries({
  yes: 'Yes',
  no: 'No',
  yesandrighttoleft: 'YesAndRightToLeft',
  true: 'Yes',
  false: 'No',
}));

const parser = new XMLParser({
  ...SAFE_XML_OPTIONS,
  // Attributes are only needed in <Pages>, which is read by pagesBlock() below: skipping them here
  // makes the parse several times cheaper (it ran on every file of a cold index).
  ignoreAttributes: true,
  cdataPropName: '#cdata',
});

const DOCUMENT: XmlDocumentOptions<ComicInfoResult> = { name: 'ComicInfo.xml', maxBytes: COMICINFO_MAX_BYTES, nothing: () => ({ metadata: {}, frontCoverPage: null }) };

export function parseComicInfo(xml: Buffer | string): ComicInfoResult {
  return parseXmlDocument(xml, DOCUMENT, (text) => parseText(text, true));
}

/** parseComicInfo without the simple-document scan: always the validator and the parser (tests compare the two). */
export function parseComicInfoWithParser(xml: Buffer | string): ComicInfoResult {
  return parseXmlDocument(xml, DOCUMENT, (text) => parseText(text, false));
}

function parseText(text: string, simpleScan: boolean): ComicInfoResult {
  // <Pages> is most of a typical ComicInfo.xml and only its FrontCover attribute matters: read it with
  // a small linear scan and leave it out of the (costly) validation and parse.
  const pages = pagesBlock(text);
  const body = pages === null ? text : text.slice(0, pages.start) + text.slice(pages.end);
  const simple = simpleScan ? simpleDocumentFields(body) : null;
  if (simple !== null) return { metadata: fieldsFrom(simple), frontCoverPage: pages?.frontCover ?? null, problem: null };
  let problem: string | null = null;
  const validation = XMLValidator.validate(body);
  if (validation !== true) {
    const where = validation.err.line ? ` (line ${validation.err.line})` : '';
    // The validator lists every unclosed tag ("Invalid '[ "a", "b", … ]' found."): say it shortly.
    const message = validation.err.msg.startsWith("Invalid '[") ? 'unclosed elements' : shortMessage(validation.err.msg, 120);
    problem = `ComicInfo.xml is not well-formed${where}: ${message}`;
  }

  let root: Record<string, unknown> | null = null;
  try {
    const doc: unknown = parser.parse(body);
    root = findRoot(doc);
    if (root === null && problem === null) {
      // Well-formed, but some other document: nothing in it is ComicInfo.
      return { metadata: {}, frontCoverPage: null, problem: 'ComicInfo.xml has no <ComicInfo> element' };
    }
  } catch (err) {
    problem ??= `ComicInfo.xml could not be parsed: ${shortMessage(messageOf(err), 120)}`;
  }

  if (root === null) {
    // Salvage simple `<Field>value</Field>` pairs from a document the parser gave up on.
    return { metadata: fieldsFrom(salvage(body)), frontCoverPage: pages?.frontCover ?? null, problem };
  }
  const values = new Map<string, unknown>();
  const lowerKeys = new Map(Object.keys(root).map((key) => [key.toLowerCase(), key]));
  for (const name of ALL_ELEMENTS) {
    const key = lowerKeys.get(name.toLowerCase());
    if (key !== undefined) values.set(name, textOf(root[key]));
  }
  return { metadata: fieldsFrom(values), frontCoverPage: pages?.frontCover ?? null, problem };
}

// The document almost every tagger writes, read by one linear scan instead of the validator and the
// parser (together ≈ 80 µs a file, a fifth of a cold index's CPU): an optional `<?xml …?>` at the very
// start, `<ComicInfo>` with well-formed attributes, then only `<Name>text</Name>` or `<Name/>` children
// with distinct names (no attributes, nesting, comments, CDATA or namespace prefixes; the text's `&`
// only in a predefined or numeric reference), `</ComicInfo>` and nothing after it; XML's own whitespace
// between them. Anything else returns null and takes the full path; for the documents it accepts the
// result is the parser's (comicinfo-scan.test.ts compares both on generated documents).
const ATTRIBUTES = String.raw`(?:[ \t\r\n]+[A-Za-z_][\w.:-]*[ \t\r\n]*=[ \t\r\n]*(?:"[^"<&]*"|'[^'<&]*'))*[ \t\r\n]*`;
const SIMPLE_DECLARATION = new RegExp(String.raw`<\?xml${ATTRIBUTES}\?>`, 'y');
const SIMPLE_ROOT = new RegExp(String.raw`[ \t\r\n]*<(ComicInfo)(${ATTRIBUTES})>`, 'iy');
const SIMPLE_CHILD = /[ \t\r\n]*<([A-Za-z][\w.-]*)(?:>([^<]*)<\/\1>|\/>)/y;
const SIMPLE_CLOSE = /[ \t\r\n]*<\/([A-Za-z]+)>[ \t\r\n]*$/y;
const ATTRIBUTE_NAME = /([A-Za-z_][\w.:-]*)\s*=/g;
const PLAIN_REFERENCES = /^(?:[^&]|&(?:#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|amp|lt|gt|quot|apos);)*$/;
const ELEMENT_OF_LOWER = new Map(ALL_ELEMENTS.map((name) => [name.toLowerCase(), name]));

function simpleDocumentFields(body: string): Map<string, unknown> | null {
  let at = 0;
  SIMPLE_DECLARATION.lastIndex = 0;
  if (SIMPLE_DECLARATION.test(body)) at = SIMPLE_DECLARATION.lastIndex;
  else if (body.includes('<?')) return null;
  SIMPLE_ROOT.lastIndex = at;
  const root = SIMPLE_ROOT.exec(body);
  if (root === null) return null;
  const attributeNames = [...root[2]!.matchAll(ATTRIBUTE_NAME)].map((m) => m[1]!);
  if (new Set(attributeNames).size !== attributeNames.length) return null;
  at = SIMPLE_ROOT.lastIndex;
  const seen = new Set<string>();
  const values = new Map<string, unknown>();
  for (;;) {
    SIMPLE_CHILD.lastIndex = at;
    const child = SIMPLE_CHILD.exec(body);
    if (child === null) break;
    at = SIMPLE_CHILD.lastIndex;
    const lower = child[1]!.toLowerCase();
    if (seen.has(lower)) return null;
    seen.add(lower);
    const raw = child[2] ?? '';
    if (raw.includes('&') && !PLAIN_REFERENCES.test(raw)) return null;
    const element = ELEMENT_OF_LOWER.get(lower);
    if (element !== undefined) values.set(element, decodeXmlEntities(raw.trim()));
  }
  SIMPLE_CLOSE.lastIndex = at;
  const close = SIMPLE_CLOSE.exec(body);
  return close !== null && close[1] === root[1] ? values : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function findRoot(doc: unknown): Record<string, unknown> | null {
  if (!isRecord(doc)) return null;
  for (const [key, value] of Object.entries(doc)) {
    if (key.toLowerCase() !== 'comicinfo') continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (isRecord(first)) return first;
    if (first === '' || first === undefined) return {}; // <ComicInfo/>: valid and empty
  }
  return null;
}

/** Text content of a parsed element: the first occurrence, entities decoded, CDATA kept literally. */
function textOf(node: unknown): string | null {
  const first = Array.isArray(node) ? node[0] : node;
  if (typeof first === 'string') return decodeXmlEntities(first);
  if (typeof first === 'number' || typeof first === 'boolean') return String(first);
  if (!isRecord(first)) return null;
  let text = '';
  const plain = first['#text'];
  if (typeof plain === 'string' || typeof plain === 'number') text += decodeXmlEntities(String(plain));
  const cdata = first['#cdata'];
  for (const part of Array.isArray(cdata) ? cdata : [cdata]) {
    if (typeof part === 'string' || typeof part === 'number') text += String(part);
  }
  return text;
}

function fieldsFrom(values: Map<string, unknown>): Partial<ComicMetadata> {
  const metadata: Partial<ComicMetadata> = {};
  for (const [element, field] of STRING_FIELDS) {
    const value = cleanString(values.get(element));
    if (value !== null) metadata[field] = value;
  }
  const volume = parseIntInRange(values.get('Volume'), 0, 1_000_000);
  if (volume !== null) metadata.volume = volume;
  const year = parseIntInRange(values.get('Year'), 1800, 2200);
  if (year !== null) metadata.year = year;
  const month = parseIntInRange(values.get('Month'), 1, 12);
  if (month !== null) metadata.month = month;
  const pageCount = parseIntInRange(values.get('PageCount'), 0, 1_000_000);
  if (pageCount !== null) metadata.declaredPageCount = pageCount;
  const mangaText = cleanString(values.get('Manga'));
  const manga = mangaText === null ? undefined : MANGA_VALUES.get(mangaText.toLowerCase());
  if (manga !== undefined) metadata.manga = manga; // "Unknown" (the schema default) and junk stay absent
  return metadata;
}

const PAGES_BLOCK = /<Pages\b[^>]*?(?:\/>|>[\s\S]*?<\/Pages\s*>)/i;
const PAGE_TAG = /<Page\b([^<>]*)>/gi;
const ATTRIBUTE = /([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** The first <Pages> element's span and the Image index of its first Page typed FrontCover. */
function pagesBlock(text: string): { start: number; end: number; frontCover: number | null } | null {
  const match = PAGES_BLOCK.exec(text);
  if (match === null) return null;
  let frontCover: number | null = null;
  for (const page of match[0].matchAll(PAGE_TAG)) {
    const attributes = new Map<string, string>();
    for (const attr of page[1]!.matchAll(ATTRIBUTE)) attributes.set(attr[1]!.toLowerCase(), decodeXmlEntities(attr[2] ?? attr[3] ?? ''));
    const type = attributes.get('type');
    if (type === undefined || !type.split(/[\s,]+/).some((t) => t.toLowerCase() === 'frontcover')) continue;
    const image = parseIntInRange(attributes.get('image'), 0, 1_000_000);
    if (image !== null) {
      frontCover = image;
      break;
    }
  }
  return { start: match.index, end: match.index + match[0].length, frontCover };
}

/** Regex salvage for documents the parser could not make sense of; linear time, first occurrence wins. */
function salvage(text: string): Map<string, unknown> {
  const values = new Map<string, unknown>();
  const pattern = new RegExp(`<(${ALL_ELEMENTS.join('|')})(?:\\s[^<>]*)?>([^<]*)</\\1\\s*>`, 'gi');
  for (const match of text.matchAll(pattern)) {
    const canonical = ALL_ELEMENTS.find((name) => name.toLowerCase() === match[1].toLowerCase());
    if (canonical !== undefined && !values.has(canonical)) values.set(canonical, decodeXmlEntities(match[2]));
  }
  return values;
}
