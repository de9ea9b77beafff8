// Small helpers shared by the metadata parsers: decoding bytes, XML character references, value checks.

/** Trimmed string, or null when empty or not a string. */
export function cleanString(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** An integer in [min, max] written as plain decimal digits (surrounding whitespace allowed), else null. */
export function parseIntInRange(value: unknown, min: number, max: number): number | null {
  let n: number;
  if (typeof value === 'number') {
    n = value;
  } else if (typeof value === 'string') {
    const text = value.trim();
    if (!/^[+-]?\d{1,9}$/.test(text)) return null;
    n = Number(text);
  } else {
    return null;
  }
  if (!Number.isInteger(n) || n < min || n > max) return null;
  return n;
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Replaces the five predefined XML entities and numeric character references, in one pass (so `&amp;lt;`
 * becomes `&lt;`, not `<`). Anything else (DOCTYPE-declared entities included) is left as written: this is
 * what keeps entity-expansion bombs from ever expanding.
 */
export function decodeXmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (whole, ref: string) => {
    if (ref.charCodeAt(0) !== 35 /* # */) return PREDEFINED[ref] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return whole;
    return String.fromCodePoint(code);
  });
}

// Decoders are stateless between calls (no `stream` option): one of each serves every document.
const UTF8 = new TextDecoder('utf-8');
const UTF16LE = new TextDecoder('utf-16le');
const UTF16BE = new TextDecoder('utf-16be');

/**
 * Bytes of an XML document to a string: UTF-8 (with or without BOM), UTF-16 LE/BE (with BOM, or detected
 * from the `<?` / `<C` zero-byte pattern), or the single-byte encoding named in the XML declaration.
 */
export function decodeXmlBytes(bytes: Uint8Array): string {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return UTF8.decode(bytes.subarray(3));
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return UTF16LE.decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return UTF16BE.decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0x3c && bytes[1] === 0x00) return UTF16LE.decode(bytes);
  if (bytes.length >= 2 && bytes[0] === 0x00 && bytes[1] === 0x3c) return UTF16BE.decode(bytes);
  const declared = declaredEncoding(bytes);
  if (declared !== null && !/^utf-?8$/i.test(declared)) {
    try {
      return new TextDecoder(declared).decode(bytes);
    } catch {
      // Unknown label: fall through to UTF-8 (invalid sequences become U+FFFD).
    }
  }
  return UTF8.decode(bytes);
}

function declaredEncoding(bytes: Uint8Array): string | null {
  // Each byte as one character (latin1), as the declaration is ASCII.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 200)).toString('latin1');
  const match = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']/.exec(head);
  return match ? match[1] : null;
}

/** Short, single-line version of a parser message for the UI. */
export function shortMessage(message: string, max = 160): string {
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
