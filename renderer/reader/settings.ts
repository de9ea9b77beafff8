// Reading settings remembered per series (mode, direction, fit, zoom). One interface, so the place
// they are kept can change in one spot: today the browser's localStorage, later the user data store
// behind LibraryApi.getReaderSettings / setReaderSettings.
import type { Direction, ReaderMode } from './layout.js';

export type FitMode = 'width' | 'height' | 'screen' | 'original';
export const FIT_MODES: readonly FitMode[] = ['width', 'height', 'screen', 'original'];

export interface ReaderSettings {
  mode: ReaderMode;
  direction: Direction;
  fit: FitMode;
  zoom: number;
}

export const ZOOM_MIN = 0.25;
export const ZOOM_MAX = 4;

export interface ReaderSettingsSource {
  get(seriesKey: string): Promise<ReaderSettings | null>;
  set(seriesKey: string, settings: ReaderSettings): Promise<void>;
}

/** The settings for a comic never opened in its series: the book's own direction decides. */
export function defaultSettings(direction: Direction): ReaderSettings {
  return { mode: 'single', direction, fit: 'screen', zoom: 1 };
}

export function clampZoom(zoom: number): number {
  if (!Number.isFinite(zoom)) return 1;
  return Math.round(Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, zoom)) * 100) / 100;
}

/** Accepts only a well-formed settings object (storage may hold anything). */
export function parseSettings(value: unknown): ReaderSettings | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const mode = v.mode === 'single' || v.mode === 'double' || v.mode === 'webtoon' ? v.mode : null;
  const direction = v.direction === 'ltr' || v.direction === 'rtl' ? v.direction : null;
  const fit = typeof v.fit === 'string' && (FIT_MODES as readonly string[]).includes(v.fit) ? (v.fit as FitMode) : null;
  const zoom = typeof v.zoom === 'number' ? clampZoom(v.zoom) : 1;
  if (!mode || !direction || !fit) return null;
  return { mode, direction, fit, zoom };
}

const STORAGE_PREFIX = 'longbox.reader.series.';

interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function localSettingsSource(storage: KeyValueStorage | null = typeof localStorage === 'undefined' ? null : localStorage): ReaderSettingsSource {
  const memory = new Map<string, string>();
  const read = (key: string) => (storage ? storage.getItem(key) : (memory.get(key) ?? null));
  const write = (key: string, value: string) => (storage ? storage.setItem(key, value) : void memory.set(key, value));
  return {
    async get(seriesKey) {
      try {
        const text = read(STORAGE_PREFIX + seriesKey);
        return text === null ? null : parseSettings(JSON.parse(text));
      } catch {
        return null;
      }
    },
    async set(seriesKey, settings) {
      try {
        write(STORAGE_PREFIX + seriesKey, JSON.stringify(settings));
      } catch {
        // A full or disabled storage loses a preference, never a page.
      }
    },
  };
}
