// Plans a realistic comic library: publishers, series, one-shots, annuals, volumes, file names. Pure
// and deterministic: the same (seed, files) gives the same plan on any machine. Only the plan decides
// names and metadata; generate-library.ts turns each planned comic into bytes.
import { mulberry32, type Rng } from './prng.js';

export interface Publisher {
  name: string;
  weight: number;
  language: 'en' | 'fr' | 'ja';
}

export const PUBLISHERS: readonly Publisher[] = [
  { name: 'Apex Comics', weight: 10, language: 'en' },
  { name: 'Starlight Press', weight: 8, language: 'en' },
  { name: 'Nimbus Comics', weight: 6, language: 'en' },
  { name: 'Ironclad Publishing', weight: 5, language: 'en' },
  { name: 'Vortex Entertainment', weight: 4, language: 'en' },
  { name: 'Paragon Comics', weight: 4, language: 'en' },
  { name: 'Harbor Light Books', weight: 3, language: 'en' },
  { name: 'Blackstone Comics', weight: 3, language: 'en' },
  { name: 'Meridian Press', weight: 3, language: 'en' },
  { name: 'Quasar Comics', weight: 3, language: 'en' },
  { name: 'Sakura Shōten', weight: 3, language: 'ja' },
  { name: 'Éditions Lumière', weight: 2, language: 'fr' },
  { name: 'Thunderbolt Press', weight: 2, language: 'en' },
  { name: 'Silver Arrow Comics', weight: 2, language: 'en' },
  { name: 'Northwind Comics', weight: 2, language: 'en' },
  { name: 'Golden Gate Comics', weight: 2, language: 'en' },
  { name: 'Pulp Factory', weight: 2, language: 'en' },
  { name: 'Wildfire Studios', weight: 2, language: 'en' },
  { name: 'Crescent Moon Press', weight: 1.5, language: 'en' },
  { name: 'Atlas Forge', weight: 1.5, language: 'en' },
];

const ADJECTIVES = [
  'Amazing', 'Astonishing', 'Uncanny', 'Midnight', 'Crimson', 'Silver', 'Iron', 'Savage', 'Mighty', 'Dark',
  'Cosmic', 'Infinite', 'Lost', 'Forgotten', 'Eternal', 'Phantom', 'Golden', 'Shadow', 'Electric', 'Atomic',
  'Secret', 'Wild', 'Final', 'Hidden', 'Burning', 'Frozen', 'Emerald', 'Scarlet', 'Obsidian', 'Velvet',
  'Neon', 'Brave', 'Rogue', 'Hollow', 'Radiant', 'Sunken', 'Howling', 'Clockwork', 'Starborn', 'Restless',
];
const NOUNS = [
  'Falcon', 'Harbor', 'Knight', 'Legion', 'Sentinel', 'Voyagers', 'Rangers', 'Nebula', 'Comet', 'Engine',
  'Kingdom', 'Empire', 'Tide', 'Storm', 'Raven', 'Wolf', 'Titan', 'Specter', 'Orbit', 'Frontier',
  'Citadel', 'Circuit', 'Odyssey', 'Pilgrim', 'Guardians', 'Outlaws', 'Drifters', 'Hunters', 'Machine', 'Paradox',
  'Signal', 'Vanguard', 'Wardens', 'Witch', 'Oracle', 'Lantern', 'Mariner', 'Cyclone', 'Gambit', 'Hydra',
];
const SUBTITLES = ['Year One', 'Rebirth', 'The Long Night', 'Origins', 'Reckoning', 'Endgame', 'Lost Worlds', 'First Strike'];
const MANGA_WORDS = ['Kaze', 'Tsubasa', 'Hoshi', 'Yume', 'Sora', 'Kage', 'Hikari', 'Tsuki', 'Umi', 'Ryū', 'Sakura', 'Kokoro', 'Yoru', 'Mirai', 'Kaizoku', 'Ken'];
const FRENCH_NAMES = ['Théo', 'Zoé', 'Mathis', 'Léa', 'Hugo', 'Chloé', 'Célestin', 'Anaïs'];
const FRENCH_NOUNS = ["l'Étoile", 'la Forêt', 'le Château', 'le Dragon', "l'Île", 'la Mémoire', 'la Tempête', "l'Horloge"];
const FIRST_NAMES = ['Alex', 'Jordan', 'Sam', 'Riley', 'Morgan', 'Casey', 'Jamie', 'Taylor', 'Robin', 'Avery', 'Quinn', 'Dana', 'Kim', 'Lee', 'Noor', 'Mateo', 'Ines', 'Yuki', 'Hiro', 'Camille'];
const LAST_NAMES = ['Walker', 'Okafor', 'Novak', 'Reyes', 'Lindqvist', 'Moreau', 'Tanaka', 'Brennan', 'Costa', 'Hale', 'Ibarra', 'Kowalski', 'Mbeki', 'Park', 'Sato', 'Vance', 'Whitlock', 'Zhou', 'Duval', 'Ferris'];
const GENRES = ['Superhero', 'Science Fiction', 'Fantasy', 'Horror', 'Crime', 'Adventure', 'Comedy', 'Western', 'Mystery', 'War', 'Romance'];
const MANGA_GENRES = ['Shōnen', 'Seinen', 'Shōjo', 'Action', 'Slice of Life'];
const STORY_WORDS = ['Storm', 'Secret', 'Fall', 'Return', 'Price', 'Shadow', 'Heart', 'Edge', 'Hunt', 'Dawn', 'Echo', 'Gate'];
const SCANNER_TAGS = ['(Digital) (Zone-Empire)', '(digital) (Minutemen-Midas)', '(Webrip) (The Last Kryptonian-DCP)', '(c2c) (Kileko-Empire)', '(Digital-Empire)', '(digital) (Son of Ultron-Empire)'];

export type NamingStyle = 'padded' | 'hash' | 'volume' | 'tankobon';
export type EntryStyle = 'flat' | 'prefixed' | 'folder' | 'folder-with-dir' | 'unpadded';
export type MetadataKind = 'comicinfo' | 'comicbookinfo' | 'none';

export interface SeriesPlan {
  id: number;
  /** Series name as ComicInfo would give it (may contain ':' and non-ASCII). */
  name: string;
  /** The name as used in file and folder names (no ':'). */
  fileName: string;
  publisher: Publisher;
  volume: number;
  startYear: number;
  startMonth: number;
  /** Issues in this run (the last series of a plan may be cut short). */
  issueCount: number;
  /** Publication cadence: 1 for monthlies, 4 for manga volumes, 12 for annuals. */
  monthsPerIssue: number;
  writer: string;
  penciller: string;
  genre: string;
  naming: NamingStyle;
  /** Scanner tags appended to file names ('' for none). */
  scannerTag: string;
  entryStyle: EntryStyle;
  kind: 'series' | 'annual' | 'one-shot';
  /** Folder relative to the library root. */
  folder: string;
  artSeed: number;
  /** Small tag drawn on the cover ("VOL 2", "ANNUAL", "ONE-SHOT", ""). */
  coverTag: string;
  /** Probability that an issue has ComicInfo.xml (per series: some runs are tagged, some are not). */
  comicInfoRate: number;
}

export interface ComicPlan {
  index: number;
  /** Path relative to the library root, '/'-separated. */
  path: string;
  series: SeriesPlan;
  issue: number;
  /** As ComicInfo's <Number>. */
  number: string;
  year: number;
  month: number;
  title: string | null;
  summary: string;
  /** Interior pages (3–24), not counting the cover and a scanner page. */
  interiorPages: number;
  metadata: MetadataKind;
  format: 'zip' | 'rar' | '7z' | 'pdf';
  rarVersion: 4 | 5;
  seed: number;
  /** For duplicates: the index of the comic whose bytes this file repeats. */
  copyOf: number | null;
}

export interface PlanOptions {
  files: number;
  seed: number;
  /** Every cbrEvery-th comic becomes a RAR (0 = none). */
  cbrEvery: number;
  /** Every cb7Every-th comic becomes a 7z (.cb7), every pdfEvery-th a PDF (0 or absent = none; RAR wins a tie). */
  cb7Every?: number;
  pdfEvery?: number;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function person(rng: Rng): string {
  return `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
}

function seriesName(rng: Rng, publisher: Publisher): string {
  if (publisher.language === 'ja') {
    const a = rng.pick(MANGA_WORDS);
    const b = rng.pick(MANGA_WORDS);
    return rng.pick([`${a} no ${b}`, `${a} ${b}`, `Shōnen ${a}`, `${a}-kun to ${b}`]);
  }
  if (publisher.language === 'fr') {
    return rng.pick([`Les Aventures de ${rng.pick(FRENCH_NAMES)}`, `Le Secret de ${rng.pick(FRENCH_NOUNS)}`, `${rng.pick(FRENCH_NAMES)} et ${rng.pick(FRENCH_NOUNS)}`]);
  }
  const a = rng.pick(ADJECTIVES);
  const n = rng.pick(NOUNS);
  switch (rng.int(0, 9)) {
    case 0:
      return `Tales of the ${a} ${n}`;
    case 1:
      return `${a} ${n}: ${rng.pick(SUBTITLES)}`;
    case 2:
      return `${n} & ${rng.pick(NOUNS)}`;
    case 3:
      return `Captain ${n}`;
    case 4:
      return `The ${n} Chronicles`;
    case 5:
      return `${a} ${n}`;
    default:
      return `The ${a} ${n}`;
  }
}

function toFileName(name: string): string {
  return name.replace(/:\s*/g, ' - ').replace(/[\\/*?"<>|]/g, '').trim();
}

function issueCount(rng: Rng): number {
  const bucket = rng.weighted([30, 30, 22, 12, 6]);
  const ranges: Array<[number, number]> = [[1, 4], [5, 12], [13, 40], [41, 80], [81, 120]];
  const [min, max] = ranges[bucket];
  return rng.int(min, max);
}

function storyTitle(rng: Rng, issue: number): string {
  return rng.pick([
    `The ${rng.pick(STORY_WORDS)} of ${rng.pick(NOUNS)}`,
    `${rng.pick(ADJECTIVES)} ${rng.pick(STORY_WORDS)}, Part ${rng.int(1, 6)}`,
    `Chapter ${issue}: ${rng.pick(ADJECTIVES)} ${rng.pick(STORY_WORDS)}`,
    `${rng.pick(STORY_WORDS)} & ${rng.pick(STORY_WORDS)}`,
  ]);
}

function summary(rng: Rng, series: SeriesPlan, issue: number): string {
  return `Issue ${issue} of ${series.name}: the ${rng.pick(NOUNS).toLowerCase()} must face the ${rng.pick(ADJECTIVES).toLowerCase()} ${rng.pick(STORY_WORDS).toLowerCase()} before it is too late. Written by ${series.writer} & drawn by ${series.penciller}.`;
}

function fileBase(series: SeriesPlan, issue: number, year: number): string {
  const tag = series.scannerTag === '' ? '' : ` ${series.scannerTag}`;
  if (series.kind === 'one-shot') return `${series.fileName} (${year})${tag}`;
  switch (series.naming) {
    case 'hash':
      return `${series.fileName} #${issue} (${year})${tag}`;
    case 'volume':
      return `${series.fileName} v${series.volume} ${pad(issue, 3)} (${year})${tag}`;
    case 'tankobon':
      return `${series.fileName} v${pad(issue, 2)} (${year})${tag}`;
    default:
      return `${series.fileName} ${pad(issue, 3)} (${year})${tag}`;
  }
}

/** Plans `files` comics (broken files are planned separately by the generator). */
export function planLibrary(options: PlanOptions): ComicPlan[] {
  const rng = mulberry32(options.seed);
  const weights = PUBLISHERS.map((p) => p.weight);
  const usedNames = new Map<string, number>(); // publisher/name → last volume
  const usedPaths = new Set<string>();
  const comics: ComicPlan[] = [];
  const duplicates = Math.floor(options.files * 0.005);
  const originals = options.files - duplicates;
  let seriesId = 0;

  const addComic = (series: SeriesPlan, issue: number): void => {
    const monthIndex = series.startMonth - 1 + (issue - 1) * series.monthsPerIssue;
    const year = series.startYear + Math.floor(monthIndex / 12);
    const month = (monthIndex % 12) + 1;
    const base = fileBase(series, issue, year);
    const index = comics.length;
    const every = (n: number | undefined) => n !== undefined && n > 0 && (index + 1) % n === 0;
    const format = every(options.cbrEvery) ? 'rar' : every(options.cb7Every) ? '7z' : every(options.pdfEvery) ? 'pdf' : 'zip';
    const dir = series.folder === '' ? '' : `${series.folder}/`;
    const ext = { rar: 'cbr', '7z': 'cb7', pdf: 'pdf', zip: 'cbz' }[format];
    let path = `${dir}${base}.${ext}`;
    for (let n = 2; usedPaths.has(path); n++) path = `${dir}${base} [${n}].${ext}`;
    usedPaths.add(path);
    const m = rng.next();
    const metadata: MetadataKind = m < series.comicInfoRate ? 'comicinfo' : m < series.comicInfoRate + 0.05 ? 'comicbookinfo' : 'none';
    comics.push({
      index,
      path,
      series,
      issue,
      number: String(issue),
      year,
      month,
      title: rng.chance(0.6) ? storyTitle(rng, issue) : null,
      summary: summary(rng, series, issue),
      interiorPages: rng.int(3, 24),
      metadata,
      format,
      rarVersion: rng.chance(0.5) ? 5 : 4,
      seed: rng.uint32(),
      copyOf: null,
    });
  };

  const newSeries = (publisher: Publisher, kind: SeriesPlan['kind'], parent: SeriesPlan | null): SeriesPlan => {
    let name = parent ? `${parent.name} Annual` : seriesName(rng, publisher);
    const key = `${publisher.name}/${name}`;
    const previousVolume = parent ? 0 : (usedNames.get(key) ?? 0);
    const volume = parent ? parent.volume : previousVolume + 1;
    if (!parent) usedNames.set(key, volume);
    if (kind === 'one-shot' && previousVolume > 0) name = `${name}: ${rng.pick(SUBTITLES)}`;
    const fileName = toFileName(name);
    const count = kind === 'series' ? issueCount(rng) : kind === 'annual' ? rng.int(1, 3) : 1;
    const monthsPerIssue = kind === 'annual' ? 12 : publisher.language === 'ja' ? 4 : 1;
    // Runs end by 2025 at the latest.
    const startYear = parent ? Math.min(parent.startYear + 1, 2025 - (count - 1)) : rng.int(1962, Math.max(1962, 2025 - Math.ceil((count * monthsPerIssue) / 12)));
    const naming: NamingStyle =
      publisher.language === 'ja' ? 'tankobon' : volume > 1 && rng.chance(0.7) ? 'volume' : rng.chance(0.15) ? 'hash' : 'padded';
    const folderName = naming === 'volume' ? `${fileName} v${volume} (${startYear})` : `${fileName} (${startYear})`;
    const folder = kind === 'one-shot' ? publisher.name : parent ? parent.folder : `${publisher.name}/${folderName}`;
    const entryStyle = (['flat', 'prefixed', 'folder', 'folder-with-dir', 'unpadded'] as const)[rng.weighted([60, 15, 10, 10, 5])];
    return {
      id: seriesId++,
      name,
      fileName,
      publisher,
      volume,
      startYear,
      startMonth: rng.int(1, 12),
      issueCount: count,
      monthsPerIssue,
      writer: person(rng),
      penciller: person(rng),
      genre: rng.pick(publisher.language === 'ja' ? MANGA_GENRES : GENRES),
      naming,
      scannerTag: parent ? parent.scannerTag : rng.chance(0.25) ? rng.pick(SCANNER_TAGS) : '',
      entryStyle,
      kind,
      folder,
      artSeed: rng.uint32(),
      coverTag: kind === 'one-shot' ? 'ONE-SHOT' : kind === 'annual' ? 'ANNUAL' : volume > 1 ? `VOL ${volume}` : '',
      comicInfoRate: rng.chance(0.85) ? 0.92 : 0.2,
    };
  };

  while (comics.length < originals) {
    const publisher = PUBLISHERS[rng.weighted(weights)];
    if (rng.chance(0.06)) {
      addComic(newSeries(publisher, 'one-shot', null), 1);
      continue;
    }
    const series = newSeries(publisher, 'series', null);
    series.issueCount = Math.min(series.issueCount, originals - comics.length);
    for (let issue = 1; issue <= series.issueCount; issue++) addComic(series, issue);
    if (series.issueCount >= 12 && rng.chance(0.3) && comics.length < originals) {
      const annual = newSeries(publisher, 'annual', series);
      annual.issueCount = Math.min(annual.issueCount, originals - comics.length);
      for (let issue = 1; issue <= annual.issueCount; issue++) addComic(annual, issue);
    }
  }

  // A few exact copies under another name, as real libraries have (same bytes → same fingerprint).
  for (let i = 0; i < duplicates; i++) {
    const source = comics[rng.int(0, originals - 1)];
    const name = source.path.slice(source.path.lastIndexOf('/') + 1).replace(/\.(cb[rz])$/, ` (copy ${i + 1}).$1`);
    const path = `_Unsorted/${name}`;
    usedPaths.add(path);
    comics.push({ ...source, index: comics.length, path, copyOf: source.index });
  }
  return comics;
}
