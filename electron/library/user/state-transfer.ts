// Export and import of the user's state as JSON: each comic by fingerprint, path and series/number, so
// a file carried to another machine finds its comics by fingerprint where the files are the same and
// falls back to names where they are not (re-encoded, re-tagged). Import never undoes newer work: a
// row is written only when it is newer than what is stored (updatedAt).
import { z } from 'zod';
import { readerSettingsSchema } from '../../../shared/query.js';
import type { ReaderSettings } from '../../../shared/types.js';
import type { StoredComicState } from './comic-state.js';
import type { UserStore } from './user-store.js';

export const EXPORT_FORMAT = 'longbox-user-state';
export const EXPORT_VERSION = 1;
const MAX_ENTRIES = 2_000_000;

/** One comic of the library as import and export see it. */
export interface LibraryComic {
  fingerprint: string;
  path: string;
  series: string | null;
  number: string | null;
}

const text = (max: number) => z.string().max(max);
const entrySchema = z.object({
  fingerprint: text(200).min(1),
  path: text(4096).nullable(),
  series: text(1000).nullable(),
  number: text(100).nullable(),
  read: z.boolean(),
  lastPage: z.number().int().min(0).max(100_000).nullable(),
  favourite: z.boolean(),
  lastReadAt: z.number().int().min(0).nullable(),
  updatedAt: z.number().int().min(0),
  /** false: the file was not in the library when exported (state kept for when it comes back). */
  present: z.boolean(),
});
const exportSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: z.string().max(40),
  library: text(4096),
  comics: z.array(entrySchema).max(MAX_ENTRIES),
  seriesSettings: z
    .array(z.object({ seriesKey: text(500).min(1), settings: readerSettingsSchema, updatedAt: z.number().int().min(0) }))
    .max(MAX_ENTRIES),
});

export type ExportedComic = z.infer<typeof entrySchema>;
export interface UserStateExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  library: string;
  comics: ExportedComic[];
  seriesSettings: Array<{ seriesKey: string; settings: ReaderSettings; updatedAt: number }>;
}

export interface ImportReport {
  /** Entries in the file. */
  entries: number;
  byFingerprint: number;
  /** Found by relative path, or else by series + number (unique match). */
  byName: number;
  /** Not in this library now: kept under their fingerprint, so they return with their files. */
  unmatched: number;
  /** Rows written (newer than what was stored). */
  written: number;
  /** Entries this library already had newer state for. */
  skippedOlder: number;
  seriesSettings: number;
}

/** Case, spacing and leading zeros do not make two names different ("Saga" #"001" = "saga" #"1"). */
function nameKey(series: string | null, number: string | null): string | null {
  if (!series || number === null) return null;
  const s = series.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  const n = number.normalize('NFKC').trim().toLowerCase().replace(/^0+(?=\d)/, '');
  return s && n ? `${s}\u0000${n}` : null;
}

/** The state of this library's comics (and of its orphans) as an export document. */
export function exportState(store: UserStore, root: string, comics: readonly LibraryComic[], now = Date.now()): UserStateExport {
  const byFingerprint = new Map<string, LibraryComic>();
  for (const c of comics) if (!byFingerprint.has(c.fingerprint)) byFingerprint.set(c.fingerprint, c);
  const out: ExportedComic[] = [];
  for (const s of store.allStates()) {
    const here = byFingerprint.get(s.fingerprint);
    if (!here && s.lastRoot !== root) continue; // another library's comic
    out.push({
      fingerprint: s.fingerprint,
      path: here?.path ?? s.lastPath,
      series: here ? here.series : s.lastSeries,
      number: here ? here.number : s.lastNumber,
      read: s.read,
      lastPage: s.lastPage,
      favourite: s.favourite,
      lastReadAt: s.lastReadAt,
      updatedAt: s.updatedAt,
      present: here !== undefined,
    });
  }
  out.sort((a, b) => (a.path ?? '').localeCompare(b.path ?? '') || a.fingerprint.localeCompare(b.fingerprint));
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date(now).toISOString(),
    library: root,
    comics: out,
    seriesSettings: store.allSeriesSettings(),
  };
}

export class ImportFormatError extends Error {}

/** Validates a parsed JSON document; throws ImportFormatError with the first problem. */
export function parseExport(input: unknown): UserStateExport {
  const parsed = exportSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'file';
    throw new ImportFormatError(`not a Longbox state export (${where}: ${issue?.message ?? 'invalid'})`);
  }
  return parsed.data;
}

/** Matches every entry to this library's comics and merges it (newer wins). Take a backup first. */
export function importState(store: UserStore, root: string, comics: readonly LibraryComic[], doc: UserStateExport): ImportReport {
  const fingerprints = new Map<string, LibraryComic>();
  const paths = new Map<string, LibraryComic>();
  const names = new Map<string, LibraryComic | null>(); // null: more than one comic has this name
  for (const c of comics) {
    if (!fingerprints.has(c.fingerprint)) fingerprints.set(c.fingerprint, c);
    paths.set(c.path, c);
    const key = nameKey(c.series, c.number);
    if (key !== null) names.set(key, names.has(key) && names.get(key)?.fingerprint !== c.fingerprint ? null : c);
  }
  const report: ImportReport = { entries: doc.comics.length, byFingerprint: 0, byName: 0, unmatched: 0, written: 0, skippedOlder: 0, seriesSettings: 0 };
  const rows: StoredComicState[] = [];
  for (const e of doc.comics) {
    let target = fingerprints.get(e.fingerprint);
    if (target) report.byFingerprint++;
    else {
      const key = nameKey(e.series, e.number);
      target = (e.path !== null ? paths.get(e.path) : undefined) ?? (key !== null ? (names.get(key) ?? undefined) : undefined);
      if (target) report.byName++;
      else report.unmatched++;
    }
    rows.push({
      fingerprint: target?.fingerprint ?? e.fingerprint,
      read: e.read,
      lastPage: e.lastPage,
      favourite: e.favourite,
      lastReadAt: e.lastReadAt,
      updatedAt: e.updatedAt,
      lastRoot: root,
      lastPath: target?.path ?? e.path,
      lastSeries: target ? target.series : e.series,
      lastNumber: target ? target.number : e.number,
    });
  }
  report.written = store.mergeStates(rows);
  report.skippedOlder = rows.length - report.written;
  report.seriesSettings = store.mergeSeriesSettings(doc.seriesSettings);
  return report;
}

export function describeImport(report: ImportReport): string {
  return (
    `Matched ${report.byFingerprint} comic(s) by fingerprint and ${report.byName} by name (path or series/number); ` +
    `${report.unmatched} not in this library (kept for when they come back). ` +
    `${report.written} written, ${report.skippedOlder} skipped (newer state already here); ${report.seriesSettings} series setting(s).`
  );
}
