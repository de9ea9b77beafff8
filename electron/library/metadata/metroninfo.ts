// MetronInfo.xml (the Metron project's schema, v1.0; written by Metron-Tagger and comicbox) →
// ComicMetadata fields. Bounded and tolerant like the ComicInfo parser: never throws, never expands
// DOCTYPE entities, refuses documents over 1 MiB.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseXmlDocument, SAFE_XML_OPTIONS } from './xml.js';
import type { ComicMetadata } from '../../../shared/types.js';
import { yearMonth } from './document.js';
import { cleanString, decodeXmlEntities, parseIntInRange, shortMessage } from './text.js';

export const METRONINFO_MAX_BYTES = 1024 * 1024;

export interface MetronInfoResult {
  metadata: Partial<ComicMetadata>;
  /** AgeRating as written (Everyone, Teen, Teen Plus, Mature, Explicit, Adult, Unknown). Not a stored column yet. */
  ageRating: string | null;
  problem: string | null;
}

/** Credit roles that fill the writer and penciller fields (MetronInfo's role vocabulary). */
const WRITER_ROLES = new Set(['writer', 'script', 'story', 'plot', 'scripter']);
const PENCILLER_ROLES = new Set(['penciller', 'artist', 'illustrator', 'breakdowns', 'layouts']);

const parser = new XMLParser({
  ...SAFE_XML_OPTIONS,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => ['Story', 'Genre', 'Credit', 'Role', 'Creator'].includes(name),
});

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function child(node: unknown, name: string): unknown {
  if (!isNode(node)) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(node)) if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  return undefined;
}

function children(node: unknown, name: string): unknown[] {
  if (!isNode(node)) return [];
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(node)) if (key.toLowerCase() === wanted) return Array.isArray(value) ? value : [value];
  return [];
}

function text(node: unknown): string | null {
  if (typeof node === 'string') return cleanString(decodeXmlEntities(node));
  if (typeof node === 'number') return String(node);
  if (isNode(node)) return text(node['#text']);
  return null;
}

function unique(values: Array<string | null>): string | null {
  const seen = [...new Set(values.filter((v): v is string => v !== null))];
  return seen.length === 0 ? null : seen.join(', ');
}

export function parseMetronInfo(xml: Buffer | string): MetronInfoResult {
  return parseXmlDocument(xml, { name: 'MetronInfo.xml', maxBytes: METRONINFO_MAX_BYTES, nothing: () => ({ metadata: {}, ageRating: null }) }, parseText);
}

function parseText(body: string): MetronInfoResult {
  const validation = XMLValidator.validate(body);
  if (validation !== true) {
    return { metadata: {}, ageRating: null, problem: `MetronInfo.xml is not well-formed (line ${validation.err.line}): ${shortMessage(validation.err.msg, 120)}` };
  }
  const root = child(parser.parse(body), 'MetronInfo');
  if (root === undefined) return { metadata: {}, ageRating: null, problem: 'MetronInfo.xml has no <MetronInfo> element' };

  const metadata: Partial<ComicMetadata> = {};
  const set = <K extends keyof ComicMetadata>(field: K, value: ComicMetadata[K] | null) => {
    if (value !== null) metadata[field] = value;
  };
  const series = child(root, 'Series');
  set('series', text(child(series, 'Name')));
  set('volume', parseIntInRange(text(child(series, 'Volume')), 0, 1_000_000));
  set('languageIso', isNode(series) ? cleanString(series['@lang']) : null);
  set('number', text(child(root, 'Number')));
  const stories = children(child(root, 'Stories'), 'Story').map(text);
  set('title', stories.find((story) => story !== null) ?? text(child(root, 'CollectionTitle')));
  set('publisher', text(child(child(root, 'Publisher'), 'Name')));
  const { year, month } = yearMonth(text(child(root, 'CoverDate')) ?? text(child(root, 'StoreDate')));
  if (year !== null && year >= 1800 && year <= 2200) {
    metadata.year = year;
    set('month', month);
  }
  set('genre', unique(children(child(root, 'Genres'), 'Genre').map(text)));
  set('summary', text(child(root, 'Summary')));
  set('declaredPageCount', parseIntInRange(text(child(root, 'PageCount')), 0, 1_000_000));
  const writers: Array<string | null> = [];
  const pencillers: Array<string | null> = [];
  for (const credit of children(child(root, 'Credits'), 'Credit')) {
    const creator = text(children(credit, 'Creator')[0]);
    const roles = children(child(credit, 'Roles'), 'Role').map((role) => text(role)?.toLowerCase() ?? '');
    if (roles.some((role) => WRITER_ROLES.has(role))) writers.push(creator);
    if (roles.some((role) => PENCILLER_ROLES.has(role))) pencillers.push(creator);
  }
  set('writer', unique(writers));
  set('penciller', unique(pencillers));
  return { metadata, ageRating: text(child(root, 'AgeRating')), problem: null };
}
