// The one hardened fast-xml-parser set-up for the metadata XML we read (ComicInfo, MetronInfo, an
// EPUB's OPF): no entities from the parser (we decode the five predefined ones and character references
// ourselves, so DOCTYPE-declared entities cannot expand), no number/boolean guessing, namespace
// prefixes dropped, declarations and processing instructions ignored, nesting bounded.
import type { X2jOptions } from 'fast-xml-parser';

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
