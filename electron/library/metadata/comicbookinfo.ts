// ComicBookInfo: JSON stored in the ZIP archive comment by ComicBookLover / ComicTagger,
// `{ "appID": …, "ComicBookInfo/1.0": { series, issue, volume, title, publicationYear, … } }`.
import type { ComicMetadata } from '../../../shared/types.js';
import { cleanString, parseIntInRange } from './text.js';

const CBI_KEY = 'ComicBookInfo/1.0';
/** ZIP comments are at most 65,535 bytes; anything longer is not a real comment. */
const MAX_COMMENT_CHARS = 70_000;

/** ComicBookInfo stores the language as an English name; the common ones map to ISO 639-1. */
const LANGUAGE_CODES = new Map<string, string>(Object.entries({
  english: 'en',
  french: 'fr',
  german: 'de',
  spanish: 'es',
  italian: 'it',
  portuguese: 'pt',
  dutch: 'nl',
  japanese: 'ja',
  chinese: 'zh',
  korean: 'ko',
  russian: 'ru',
  polish: 'pl',
  swedish: 'sv',
  danish: 'da',
  norwegian: 'no',
  finnish: 'fi',
  czech: 'cs',
  hungarian: 'hu',
  greek: 'el',
  turkish: 'tr',
  arabic: 'ar',
  hebrew: 'he',
  indonesian: 'id',
  catalan: 'ca',
}));

/** Returns null when the comment is absent, not JSON, or has no `ComicBookInfo/1.0` object. */
export function parseComicBookInfo(comment: string | null): Partial<ComicMetadata> | null {
  if (comment === null || comment.length > MAX_COMMENT_CHARS || !comment.includes(CBI_KEY)) return null;
  let doc: unknown;
  try {
    doc = JSON.parse(comment.replace(/^\uFEFF/, ''));
  } catch {
    return null;
  }
  if (!isRecord(doc)) return null;
  const info = doc[CBI_KEY];
  if (!isRecord(info)) return null;

  const metadata: Partial<ComicMetadata> = {};
  const series = cleanString(info.series);
  if (series !== null) metadata.series = series;
  const issue = typeof info.issue === 'number' && Number.isFinite(info.issue) ? String(info.issue) : cleanString(info.issue);
  if (issue !== null) metadata.number = issue;
  const volume = parseIntInRange(info.volume, 0, 1_000_000);
  if (volume !== null) metadata.volume = volume;
  const title = cleanString(info.title);
  if (title !== null) metadata.title = title;
  const year = parseIntInRange(info.publicationYear, 1800, 2200);
  if (year !== null) metadata.year = year;
  const month = parseIntInRange(info.publicationMonth, 1, 12);
  if (month !== null) metadata.month = month;
  const publisher = cleanString(info.publisher);
  if (publisher !== null) metadata.publisher = publisher;
  const genre = cleanString(info.genre);
  if (genre !== null) metadata.genre = genre;
  const summary = cleanString(info.comments);
  if (summary !== null) metadata.summary = summary;
  const language = languageCode(info.language);
  if (language !== null) metadata.languageIso = language;

  const writers: string[] = [];
  const pencillers: string[] = [];
  for (const credit of Array.isArray(info.credits) ? info.credits : []) {
    if (!isRecord(credit)) continue;
    const person = cleanString(credit.person);
    const role = cleanString(credit.role)?.toLowerCase();
    if (person === null || role === undefined) continue;
    if (role === 'writer' && !writers.includes(person)) writers.push(person);
    if ((role === 'penciller' || role === 'penciler' || role === 'artist') && !pencillers.includes(person)) pencillers.push(person);
  }
  if (writers.length > 0) metadata.writer = writers.join(', ');
  if (pencillers.length > 0) metadata.penciller = pencillers.join(', ');
  return metadata;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function languageCode(value: unknown): string | null {
  const text = cleanString(value);
  if (text === null) return null;
  if (/^[a-z]{2}$/i.test(text)) return text.toLowerCase();
  return LANGUAGE_CODES.get(text.toLowerCase()) ?? null;
}
