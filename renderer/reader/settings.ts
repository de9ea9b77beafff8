// Reading settings remembered per series (mode, direction, fit, zoom), behind one interface: they
// live in the user data store (user.db) through LibraryApi.getReaderSettings / setReaderSettings.
import type { LibraryApi } from '../../shared/api.js';
import type { ReaderSettings } from '../../shared/types.js';
import type { Direction } from './layout.js';

export type { ReaderSettings };
export type FitMode = ReaderSettings['fit'];
export const FIT_MODES: readonly FitMode[] = ['width', 'height', 'screen', 'original'];

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

/** The settings kept in the user data store (user.db) through the LibraryApi. */
export function apiSettingsSource(api: Pick<LibraryApi, 'getReaderSettings' | 'setReaderSettings'>): ReaderSettingsSource {
  return {
    async get(seriesKey) {
      // A malformed answer reads as "never set" (then the book's own direction applies).
      return parseSettings(await api.getReaderSettings(seriesKey));
    },
    set: (seriesKey, settings) => api.setReaderSettings(seriesKey, settings),
  };
}
