// Series, number, volume, year (and a title after " - ") guessed from a comic's file name, e.g.
// `Saga 054 (2018) (Digital).cbz`, `Batman v2 #12.cbr`, `Sandman_Vol_1_-_Preludes.cbz`.
// Heuristics, in order: drop the extension; pull out (…) […] {…} groups (a year or date there is the year,
// everything else — scanner tags, "(of 04)", "(Digital)" — is dropped); underscores, and dots in names
// without spaces, become spaces; " - " splits the rest into segments; a volume token (v2, Vol 1, Volume 3)
// is taken out; then the number is what follows '#', else the last token of the rightmost segment that
// ends in a number. Text before the number (or volume) is the series, text after a " - " following it is
// the title. A year is taken from a group, or from a 19xx/20xx word right after a bare number
// ("Batman.v2.012.2012"), never from other bare words ("Spider-Man 2099 #01").
import type { ComicMetadata } from '../../../shared/types.js';

const EXTENSION = /\.(?:cbz|cbr|cb7|cbt|cba|zip|rar|7z|tar|pdf|epub)$/i;
const GROUP = /\([^()]*\)|\[[^[\]]*\]|\{[^{}]*\}/g;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAME = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';
const VOLUME = /(^|\s)(?:v\.?(\d{1,4})|vol(?:ume)?\.?\s*(\d{1,4}))(?=$|[\s#,:])/i;
const NUMBER_TOKEN = /^(?:\d+(?:\.\d+)?[a-z]?|\.\d+|\d*[½¼¾]|\d+\/\d+)$/i;
/** Stands in for the volume token once it is taken out, so it is never read as an issue number. */
const MARK = '\u0000';
const MAX_NAME = 1000;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
const CONTROL_CHARS = /[\u0000-\u001f]/g;

export function parseFileName(fileName: string): Partial<ComicMetadata> {
  try {
    return parse(fileName);
  } catch {
    return {};
  }
}

function parse(fileName: string): Partial<ComicMetadata> {
  const result: Partial<ComicMetadata> = {};
  const name = fileName.slice(0, MAX_NAME).replace(CONTROL_CHARS, ' ').trim().replace(EXTENSION, '');

  // 1. Groups: a year or date is kept, everything else dropped. Text outside groups is kept in order.
  const outside: string[] = [];
  let last = 0;
  for (const match of name.matchAll(GROUP)) {
    outside.push(name.slice(last, match.index));
    applyDate(match[0].slice(1, -1), result);
    last = match.index + match[0].length;
  }
  outside.push(name.slice(last));
  // An unbalanced opening bracket starts trailing junk (e.g. "Saga 054 (2018").
  const segments = outside.map((text, index) => {
    const open = text.search(/[([{]/);
    if (open < 0) return text;
    if (index === outside.length - 1) applyDate(text.slice(open + 1), result);
    return text.slice(0, open);
  });
  const parts = segments.map((text) => text.replace(/[)\]}]/g, ' ').trim()).filter((text) => text !== '');
  if (parts.length === 0) return result;
  let core = parts[0];
  // "Batman (2016) 012": the number comes after the first group.
  if (parts.length > 1 && /^(?:#|v\.?\d|vol|\d)/i.test(parts[1])) core = `${core} ${parts.slice(1).join(' ')}`;

  // 2. Separators.
  core = core.replace(/_/g, ' ');
  if (!/\s/.test(core.trim())) core = dotsToSpaces(core);
  core = core.replace(/\s+/g, ' ').trim();

  // 3. Volume.
  const volume = VOLUME.exec(core);
  if (volume) {
    result.volume = Number(volume[2] ?? volume[3]);
    const start = volume.index + volume[1].length;
    core = `${core.slice(0, start)}${MARK}${core.slice(volume.index + volume[0].length)}`;
  }

  // 4. Number, series, title.
  // "Batman.v2.012.2012": a year-like last word right after a number is the year (when no group gave one).
  const trailingYear = /^(.*\S)\s+(\d+(?:\.\d+)?)\s+((?:19|20)\d\d)$/.exec(core);
  if (trailingYear && result.year === undefined && !core.includes('#')) {
    result.year = Number(trailingYear[3]);
    core = `${trailingYear[1]} ${trailingYear[2]}`;
  }
  const dashSegments = core.split(/\s+[-–—]+\s+|\s+[-–—]+$|^[-–—]+\s+/);
  const found = findNumber(dashSegments);
  let series: string;
  let title: string;
  if (found !== null) {
    result.number = normaliseNumber(found.number);
    series = [...dashSegments.slice(0, found.segment), found.before].join(' - ');
    title = [found.after, ...dashSegments.slice(found.segment + 1)].join(' - ');
  } else if (volume) {
    const at = dashSegments.findIndex((segment) => segment.includes(MARK));
    const [before, after] = dashSegments[at].split(MARK);
    series = [...dashSegments.slice(0, at), before].join(' - ');
    title = [after, ...dashSegments.slice(at + 1)].join(' - ');
  } else {
    series = dashSegments.join(' - ');
    title = '';
  }
  const cleanSeries = tidy(series);
  if (cleanSeries !== '') result.series = cleanSeries;
  const cleanTitle = tidy(title);
  if (cleanTitle !== '') result.title = cleanTitle;
  return result;
}

interface FoundNumber {
  number: string;
  segment: number;
  before: string;
  after: string;
}

function findNumber(segments: string[]): FoundNumber | null {
  // Explicit '#': the first one wins.
  for (let i = 0; i < segments.length; i++) {
    const hash = /#\s*([^\s#]+)/.exec(segments[i]);
    if (!hash) continue;
    const number = hash[1].replace(/[,;:.]+$/, '');
    if (number === '') continue;
    return {
      number,
      segment: i,
      before: segments[i].slice(0, hash.index),
      after: segments[i].slice(hash.index + hash[0].length).replace(/^\s*of\s+\d+\b/i, ''),
    };
  }
  // Else the rightmost segment whose last word is a number ("01 of 04" counts as "01").
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i].replace(/\s+of\s+\d+\s*$/i, '').trimEnd();
    const space = segment.lastIndexOf(' ');
    const lastWord = segment.slice(space + 1);
    if (!NUMBER_TOKEN.test(lastWord)) continue;
    return { number: lastWord, segment: i, before: segment.slice(0, space + 1), after: '' };
  }
  return null;
}

/** "054" → "54", "000" → "0", ".5" → "0.5", "-01" → "-1"; anything else as written. */
function normaliseNumber(number: string): string {
  const sign = number.startsWith('-') ? '-' : '';
  let rest = sign ? number.slice(1) : number;
  if (rest.startsWith('.')) rest = `0${rest}`;
  rest = rest.replace(/^0+(?=\d)/, '');
  return sign + rest;
}

/** Dots separate words in names like "Invincible.v01.001", except a decimal point like "054.5". */
function dotsToSpaces(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const decimal = ch === '.' && /\d/.test(text[i - 1] ?? '') && /\d/.test(text[i + 1] ?? '') && !/\d/.test(text[i + 2] ?? '');
    out += ch === '.' && !decimal ? ' ' : ch;
  }
  return out;
}

function tidy(text: string): string {
  return text
    .split(MARK)
    .join(' ')
    .replace(/\s+/g, ' ')
    .replace(/^[\s\-–—_,:;#]+|[\s\-–—_,:;#]+$/g, '');
}

/** A group that is a year or a date: "2018", "2018-05", "2018.05.12", "May 2018", "2018 May". */
function applyDate(group: string, result: Partial<ComicMetadata>): void {
  if (result.year !== undefined) return;
  const text = group.trim();
  let year: number | null = null;
  let month: number | null = null;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})$/.exec(text))) {
    year = Number(match[1]);
  } else if ((match = /^(\d{4})[-./ ](\d{1,2})(?:[-./ ]\d{1,2})?$/.exec(text))) {
    year = Number(match[1]);
    month = Number(match[2]);
  } else if ((match = new RegExp(`^${MONTH_NAME},?\\s*(?:\\d{1,2},?\\s+)?(\\d{4})$`, 'i').exec(text))) {
    month = MONTHS.indexOf(match[1].toLowerCase()) + 1;
    year = Number(match[2]);
  } else if ((match = new RegExp(`^(\\d{4})\\s+${MONTH_NAME}$`, 'i').exec(text))) {
    year = Number(match[1]);
    month = MONTHS.indexOf(match[2].toLowerCase()) + 1;
  }
  if (year === null || year < 1800 || year > 2200) return;
  result.year = year;
  if (month !== null && month >= 1 && month <= 12) result.month = month;
}
