// Reader settings per series in user.db's series_settings table (JSON, checked with the shared schema
// on the way in and out: a row that no longer parses reads as "never saved"). Plain functions over a
// connection; UserStore (user-store.ts) wraps the writes.
import { readerSettingsSchema } from '../../../shared/query.js';
import type { ReaderSettings } from '../../../shared/types.js';
import type { UserDb } from './user-db.js';

export interface StoredSeriesSettings {
  seriesKey: string;
  settings: ReaderSettings;
  updatedAt: number;
}

export function readSeriesSettings(db: UserDb, seriesKey: string): ReaderSettings | null {
  const row = db.prepare('SELECT settings FROM series_settings WHERE series_key = ?').get(seriesKey) as { settings: string } | undefined;
  if (!row) return null;
  try {
    const parsed = readerSettingsSchema.safeParse(JSON.parse(row.settings));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Throws (zod) for invalid settings before anything is written. */
export function writeSeriesSettings(db: UserDb, seriesKey: string, settings: ReaderSettings, now: number): void {
  const valid = readerSettingsSchema.parse(settings);
  db.prepare(
    `INSERT INTO series_settings (series_key, settings, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(series_key) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
  ).run(seriesKey, JSON.stringify(valid), now);
}

export function readAllSeriesSettings(db: UserDb): StoredSeriesSettings[] {
  const rows = db.prepare('SELECT series_key, settings, updated_at FROM series_settings ORDER BY series_key').all() as Array<{
    series_key: string;
    settings: string;
    updated_at: number;
  }>;
  const out: StoredSeriesSettings[] = [];
  for (const r of rows) {
    const parsed = readerSettingsSchema.safeParse(JSON.parse(r.settings));
    if (parsed.success) out.push({ seriesKey: r.series_key, settings: parsed.data, updatedAt: r.updated_at });
  }
  return out;
}

/** Newer-wins merge (import); call inside a transaction. Returns how many rows were written. */
export function mergeSeriesSettingsRows(db: UserDb, rows: readonly StoredSeriesSettings[]): number {
  const upsert = db.prepare(
    `INSERT INTO series_settings (series_key, settings, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(series_key) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at
     WHERE excluded.updated_at > series_settings.updated_at`,
  );
  return rows.reduce((n, r) => n + upsert.run(r.seriesKey, JSON.stringify(readerSettingsSchema.parse(r.settings)), r.updatedAt).changes, 0);
}
