// App settings: one small JSON file in userData (last library, window bounds), validated on read
// (a damaged file means defaults, never a crash) and written atomically (temp file + rename), one
// write at a time. No electron import.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { silentLogger, type Logger } from './library/logger.js';

const windowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(200).max(100_000),
  height: z.number().int().min(150).max(100_000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof windowStateSchema>;

const settingsSchema = z.object({
  lastLibraryRoot: z.string().min(1).max(4096).nullable().catch(null),
  window: windowStateSchema.nullable().catch(null),
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = { lastLibraryRoot: null, window: null };

export async function writeFileAtomic(file: string, data: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data, { encoding: 'utf8', flush: true });
    await rename(tmp, file);
  } catch (error) {
    await unlink(tmp).catch(() => {});
    throw error;
  }
}

export class SettingsStore {
  #settings: Settings;
  #writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly file: string,
    settings: Settings,
    private readonly logger: Logger,
  ) {
    this.#settings = settings;
  }

  static async load(file: string, logger: Logger = silentLogger): Promise<SettingsStore> {
    let settings = DEFAULT_SETTINGS;
    try {
      const parsed = settingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...JSON.parse(await readFile(file, 'utf8')) });
      if (parsed.success) settings = parsed.data;
      else logger.warn(`settings: ${file} is not valid, using defaults`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn(`settings: could not read ${file}: ${String(error)}`);
    }
    return new SettingsStore(file, settings, logger);
  }

  get(): Readonly<Settings> {
    return this.#settings;
  }

  /** Applies the patch at once; the file write is queued behind earlier ones. */
  update(patch: Partial<Settings>): Promise<void> {
    this.#settings = { ...this.#settings, ...patch };
    const snapshot = JSON.stringify(this.#settings, null, 2);
    this.#writing = this.#writing.then(() =>
      writeFileAtomic(this.file, snapshot).catch((error: unknown) => this.logger.warn(`settings: could not write ${this.file}: ${String(error)}`)),
    );
    return this.#writing;
  }

  /** Resolves when every queued write is on disk. */
  flush(): Promise<void> {
    return this.#writing;
  }
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW = { width: 1280, height: 820 } as const;

/**
 * Where to open the window: the saved bounds if at least a 100×50 corner of them is on a display's
 * work area (a monitor may be gone since), otherwise the saved size, centred, shrunk to fit.
 */
export function restoreBounds(saved: WindowState | null, workAreas: readonly Rect[]): { x?: number; y?: number; width: number; height: number } {
  if (!saved) return { ...DEFAULT_WINDOW };
  const largest = workAreas.reduce<Rect | null>((best, area) => (!best || area.width * area.height > best.width * best.height ? area : best), null);
  const width = largest ? Math.min(saved.width, largest.width) : saved.width;
  const height = largest ? Math.min(saved.height, largest.height) : saved.height;
  if (saved.x === undefined || saved.y === undefined) return { width, height };
  const { x, y } = saved;
  const visible = workAreas.some((area) => {
    const w = Math.min(x + width, area.x + area.width) - Math.max(x, area.x);
    const h = Math.min(y + height, area.y + area.height) - Math.max(y, area.y);
    return w >= 100 && h >= 50;
  });
  return visible ? { x, y, width, height } : { width, height };
}
