// What ComicInfo.xml's <Pages> says about each page: ImageWidth/ImageHeight and Type="DoublePage",
// keyed by its Image attribute (the page's 0-based position in reading order). Bounded and tolerant
// like the metadata parser: a linear scan of the first <Pages> block, never throws.
import { decodeXmlBytes, decodeXmlEntities } from '../metadata/text.js';

export interface ComicInfoPage {
  width: number | null;
  height: number | null;
  doublePage: boolean;
}

const MAX_BYTES = 1024 * 1024;
const PAGES_BLOCK = /<Pages\b[^>]*?(?:\/>|>[\s\S]*?<\/Pages\s*>)/i;
const PAGE_TAG = /<Page\b([^<>]*)>/gi;
const ATTRIBUTE = /([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function integer(text: string | undefined, max: number): number | null {
  if (text === undefined || !/^\s*\d{1,7}\s*$/.test(text)) return null;
  const value = Number(text);
  return value > 0 && value <= max ? value : null;
}

export function parseComicInfoPages(xml: Buffer | string): Map<number, ComicInfoPage> {
  const pages = new Map<number, ComicInfoPage>();
  try {
    if ((typeof xml === 'string' ? xml.length : xml.length) > MAX_BYTES) return pages;
    const text = typeof xml === 'string' ? xml : decodeXmlBytes(xml);
    const block = PAGES_BLOCK.exec(text);
    if (block === null) return pages;
    for (const tag of block[0].matchAll(PAGE_TAG)) {
      const attributes = new Map<string, string>();
      for (const attr of (tag[1] ?? '').matchAll(ATTRIBUTE)) attributes.set(attr[1]!.toLowerCase(), decodeXmlEntities(attr[2] ?? attr[3] ?? ''));
      const image = attributes.get('image');
      if (image === undefined || !/^\s*\d{1,6}\s*$/.test(image)) continue;
      const index = Number(image);
      if (pages.has(index)) continue;
      const types = (attributes.get('type') ?? '').split(/[\s,]+/).map((t) => t.toLowerCase());
      const doublePageAttr = (attributes.get('doublepage') ?? '').trim().toLowerCase();
      pages.set(index, {
        width: integer(attributes.get('imagewidth'), 1_000_000),
        height: integer(attributes.get('imageheight'), 1_000_000),
        doublePage: types.includes('doublepage') || doublePageAttr === 'true',
      });
    }
  } catch {
    // A document we cannot read says nothing about its pages.
  }
  return pages;
}
