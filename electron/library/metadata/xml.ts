// The one hardened fast-xml-parser set-up for the metadata XML we read (ComicInfo, MetronInfo, an
// EPUB's OPF): no entities from the parser (we decode the five predefined ones and character references
// ourselves, so DOCTYPE-declared entities cannot expand), no number/boolean guessing, namespace
// prefixes dropped, declarations and processing instructions ignored, nesting bounded.
// And the envelope the ComicInfo and MetronInfo parsers share (parseXmlDocument): the size limit, the
// decoding, the empty document, and never throwing.
import type { X2jOptions } from 'fast-xml-parser';
import { decodeXmlBytes, shortMessage } from './text.js';

export const SAFE_XML_OPTIONS = {
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  removeNSPrefix: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
  maxNestedTags: 100,
} as const satisfies Partial<X2jOptions>;

/** What a metadata parser answers: its fields, and a short human message when the document was not (fully) read. */
interface XmlParseResult {
  problem: string | null;
}

export interface XmlDocumentOptions<R extends XmlParseResult> {
  /** The document's name in messages ("ComicInfo.xml"). */
  name: string;
  /** Larger documents are refused without being decoded. */
  maxBytes: number;
  /** The answer when nothing could be read (fresh each time: callers may fill it). */
  nothing(): Omit<R, 'problem'>;
}

/**
 * Runs `parse` on the document's text (decoded by its declared or sniffed encoding, BOM dropped) and never
 * throws: a document over the limit, an empty one, or anything `parse` throws is `nothing()` with a problem.
 */
export function parseXmlDocument<R extends XmlParseResult>(xml: Buffer | string, options: XmlDocumentOptions<R>, parse: (text: string) => R): R {
  const refused = (problem: string) => ({ ...options.nothing(), problem }) as R;
  try {
    const size = typeof xml === 'string' ? Buffer.byteLength(xml, 'utf8') : xml.length;
    if (size > options.maxBytes) return refused(`${options.name} is too large (${size} bytes)`);
    const text = (typeof xml === 'string' ? xml : decodeXmlBytes(xml)).replace(/^\uFEFF/, '');
    if (text.trim() === '') return refused(`${options.name} is empty`);
    return parse(text);
  } catch (err) {
    // Defensive: every known failure is handled by the parsers; anything else still must not escape.
    return refused(`${options.name} could not be read: ${shortMessage(String(err))}`);
  }
}
