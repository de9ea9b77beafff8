// A document format's own metadata (PDF Info dictionary, EPUB OPF) → ComicMetadata fields.
import type { ComicMetadata } from '../../../shared/types.js';
import { cleanString, parseIntInRange } from './text.js';

/** The first ComicInfo or MetronInfo XML document inside a metadata string (comicbox stores one in PDF Keywords). */
export function embeddedComicXml(...values: Array<string | undefined>): string | null {
  for (const value of values) {
    if (!value) continue;
    const start = value.search(/<(ComicInfo|MetronInfo)[\s>/]/);
    if (start >= 0) return value.slice(start);
  }
  return null;
}

/** PDF Info dictionary: Title → title, Author → writer, Subject → summary. */
export function pdfInfoMetadata(info: Readonly<Record<string, string>>): Partial<ComicMetadata> {
  const subject = cleanString(info.Subject);
  return {
    title: cleanString(info.Title),
    writer: cleanString(info.Author),
    summary: subject && !subject.includes('<') ? subject : null,
  };
}

/** Year and month of an ISO-8601-ish date ("2019", "2019-05", "2019-05-14T…"). */
export function yearMonth(value: string | null | undefined): { year: number | null; month: number | null } {
  const match = /^\s*(\d{4})(?:-(\d{1,2}))?/.exec(value ?? '');
  if (!match) return { year: null, month: null };
  return { year: parseIntInRange(match[1], 1000, 9999), month: match[2] === undefined ? null : parseIntInRange(match[2], 1, 12) };
}
