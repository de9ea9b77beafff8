// EPUB package documents (container.xml, the OPF, spine XHTML pages) read as plain data. Pure functions
// over strings, bounded, never throwing on bad input (the fuzz tests feed them anything).
import { XMLParser } from 'fast-xml-parser';
import { SAFE_XML_OPTIONS } from '../metadata/xml.js';
import type { ComicMetadata } from '../../../shared/types.js';
import { yearMonth } from '../metadata/document.js';
import { cleanString, decodeXmlEntities } from '../metadata/text.js';

export interface OpfItem {
  id: string;
  /** Path inside the ZIP, resolved against the OPF's folder. */
  path: string;
  mediaType: string;
  properties: string[];
}

export interface OpfPackage {
  metadata: Partial<ComicMetadata>;
  /** Manifest items of the spine, in reading order. */
  spine: OpfItem[];
  /** The cover image's path, from the manifest's cover-image property or an EPUB 2 <meta name="cover">. */
  coverPath: string | null;
  /** rendition:layout pre-paginated (fixed layout: each spine item is a page). */
  fixedLayout: boolean;
}

const parser = new XMLParser({
  ...SAFE_XML_OPTIONS,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (_name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
});

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

function all(node: unknown, name: string): Node[] {
  if (!isNode(node)) return [];
  const value = node[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map((item) => (isNode(item) ? item : { '#text': item }));
}

function attr(node: Node, name: string): string | null {
  const value = node[`@${name}`];
  return typeof value === 'string' ? decodeXmlEntities(value) : null;
}

function text(node: Node | undefined): string | null {
  if (!node) return null;
  const value = node['#text'];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' || typeof first === 'number' ? cleanString(decodeXmlEntities(String(first))) : null;
}

/** `href` resolved against `base` (a folder path inside the ZIP), percent-decoded, without fragment. */
export function resolveHref(base: string, href: string): string {
  let decoded = href.split('#')[0]!;
  try {
    decoded = decodeURIComponent(decoded);
  } catch {
    // Malformed escapes stay literal.
  }
  const parts = decoded.startsWith('/') ? [] : base.split('/').filter(Boolean);
  for (const segment of decoded.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') parts.pop();
    else parts.push(segment);
  }
  return parts.join('/');
}

/** The OPF's path from META-INF/container.xml, or null. */
export function rootfilePath(containerXml: string): string | null {
  const match = /<(?:\w+:)?rootfile\b[^>]*?\bfull-path\s*=\s*("([^"]*)"|'([^']*)')/i.exec(containerXml);
  const path = match ? (match[2] ?? match[3] ?? '') : '';
  return path.trim() === '' ? null : resolveHref('', decodeXmlEntities(path.trim()));
}

function seriesNumber(value: string | null): string | null {
  if (value === null) return null;
  // calibre writes 3.0 for issue 3.
  return /^\d+\.0+$/.test(value) ? value.replace(/\.0+$/, '') : value;
}

function plainText(html: string | null): string | null {
  if (html === null) return null;
  return cleanString(decodeXmlEntities(html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' '));
}

export function parseOpf(opfXml: string, opfPath: string): OpfPackage | null {
  let doc: unknown;
  try {
    doc = parser.parse(opfXml);
  } catch {
    return null;
  }
  const pkg = all(doc, 'package')[0];
  if (!pkg) return null;
  const base = opfPath.includes('/') ? opfPath.slice(0, opfPath.lastIndexOf('/')) : '';
  const meta = all(pkg, 'metadata')[0] ?? {};

  const manifest = new Map<string, OpfItem>();
  for (const item of all(all(pkg, 'manifest')[0], 'item')) {
    const id = attr(item, 'id');
    const href = attr(item, 'href');
    if (id === null || href === null) continue;
    manifest.set(id, { id, path: resolveHref(base, href), mediaType: (attr(item, 'media-type') ?? '').toLowerCase(), properties: (attr(item, 'properties') ?? '').split(/\s+/).filter(Boolean) });
  }
  const spine: OpfItem[] = [];
  for (const ref of all(all(pkg, 'spine')[0], 'itemref')) {
    const item = manifest.get(attr(ref, 'idref') ?? '');
    if (item && attr(ref, 'linear') !== 'no') spine.push(item);
  }

  // <meta name="x" content="y"> (EPUB 2, calibre) and <meta property="x" refines="#id">y</meta> (EPUB 3).
  const named = new Map<string, string>();
  const byProperty: Array<{ property: string; id: string | null; refines: string | null; value: string | null }> = [];
  for (const m of all(meta, 'meta')) {
    const name = attr(m, 'name');
    const content = attr(m, 'content');
    if (name !== null && content !== null && !named.has(name)) named.set(name, content);
    const property = attr(m, 'property');
    if (property !== null) byProperty.push({ property, id: attr(m, 'id'), refines: attr(m, 'refines'), value: text(m) });
  }
  const refining = (id: string | null, property: string) => (id === null ? null : (byProperty.find((p) => p.refines === `#${id}` && p.property === property)?.value ?? null));

  const collection = byProperty.find((p) => p.property === 'belongs-to-collection' && (refining(p.id, 'collection-type') ?? 'series') === 'series');
  const series = collection?.value ?? cleanString(named.get('calibre:series'));
  const number = collection ? refining(collection.id, 'group-position') : cleanString(named.get('calibre:series_index') ?? null);

  const creators = all(meta, 'creator').filter((c) => {
    const role = attr(c, 'role') ?? refining(attr(c, 'id'), 'role');
    return role === null || role === 'aut';
  });
  const illustrators = all(meta, 'creator').filter((c) => ['ill', 'art'].includes(attr(c, 'role') ?? refining(attr(c, 'id'), 'role') ?? ''));
  const join = (nodes: Node[]) => cleanString([...new Set(nodes.map(text).filter((v): v is string => v !== null))].join(', '));
  const { year, month } = yearMonth(text(all(meta, 'date')[0]));

  const metadata: Partial<ComicMetadata> = {};
  const set = <K extends keyof ComicMetadata>(field: K, value: ComicMetadata[K] | null) => {
    if (value !== null) metadata[field] = value;
  };
  set('title', text(all(meta, 'title')[0]));
  set('writer', join(creators));
  set('penciller', join(illustrators));
  set('series', series);
  set('number', seriesNumber(number));
  set('publisher', text(all(meta, 'publisher')[0]));
  if (year !== null && year >= 1000) set('year', year);
  if (year !== null) set('month', month);
  set('languageIso', text(all(meta, 'language')[0]));
  set('summary', plainText(text(all(meta, 'description')[0])));
  set('genre', join(all(meta, 'subject')));

  const isImage = (item: OpfItem | undefined) => item !== undefined && item.mediaType.startsWith('image/');
  let cover = [...manifest.values()].find((item) => item.properties.includes('cover-image') && isImage(item));
  if (!cover) {
    const byMeta = manifest.get(named.get('cover') ?? '');
    if (isImage(byMeta)) cover = byMeta;
  }
  const layout = byProperty.find((p) => p.property === 'rendition:layout')?.value;
  return { metadata, spine, coverPath: cover?.path ?? null, fixedLayout: layout === 'pre-paginated' || named.get('fixed-layout') === 'true' };
}

export interface XhtmlPage {
  /** Image references in document order (img src, SVG image href), resolved to ZIP paths. */
  images: string[];
  /** Characters of visible text (tags, scripts and styles removed, whitespace collapsed). */
  textLength: number;
}

/** What a spine XHTML document shows: its images and how much text. */
export function inspectXhtml(xhtml: string, path: string): XhtmlPage {
  const base = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const images: string[] = [];
  for (const match of xhtml.matchAll(/<(?:img|image)\b[^>]*?\s(?:src|xlink:href|href)\s*=\s*("([^"]*)"|'([^']*)')/gi)) {
    const href = decodeXmlEntities(match[2] ?? match[3] ?? '');
    if (href !== '' && !/^[a-z]+:/i.test(href)) images.push(resolveHref(base, href));
  }
  const body = /<body\b[\s\S]*$/i.exec(xhtml)?.[0] ?? xhtml;
  const visible = body
    .replace(/<(script|style|title)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[#\w]+;/g, 'x')
    .replace(/\s+/g, '');
  return { images, textLength: visible.length };
}
