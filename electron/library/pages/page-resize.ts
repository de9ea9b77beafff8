// Resized copies of pages (`?w=<px>`, for huge scans on small screens): made with sharp off the
// event loop (libvips threads), cached on disk next to the covers, keyed by fingerprint, page index
// and width, so a comic that changes gets new files and the old ones are never served again.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadSharp } from '../covers/thumbnail.js';
import { silentLogger, toLogFormat, type Logger } from '../logger.js';

export interface ResizedPage {
  data: Buffer;
  contentType: string;
}

export interface PageResizer {
  /** The page at `width` px wide (never enlarged), from disk when made before, else from `load()`. */
  resize(fingerprint: string, index: number, width: number, load: () => Promise<Buffer>): Promise<ResizedPage>;
}

const FINGERPRINT_RE = /^[A-Za-z0-9_-][A-Za-z0-9._-]{1,199}$/;
const MAX_INPUT_PIXELS = 200_000_000;

/** One sharp job at a time per resizer: page resizes are rare and must not starve the covers. */
export function createPageResizer(options: { dir: string; logger?: Logger; quality?: number }): PageResizer {
  const dir = path.resolve(options.dir);
  const logger = options.logger ?? silentLogger;
  const quality = options.quality ?? 85;
  const inFlight = new Map<string, Promise<ResizedPage>>();

  function fileFor(fingerprint: string, index: number, width: number): string {
    if (!FINGERPRINT_RE.test(fingerprint)) throw new Error(`invalid fingerprint "${fingerprint.slice(0, 80)}"`);
    return path.join(dir, fingerprint.slice(0, 2).toLowerCase(), `${fingerprint}-${index}-w${width}.jpg`);
  }

  async function make(file: string, width: number, load: () => Promise<Buffer>): Promise<ResizedPage> {
    try {
      const cached = await readFile(file);
      if (cached.length > 0) return { data: cached, contentType: 'image/jpeg' };
    } catch {
      // not made yet (or unreadable: made again)
    }
    const input = await load();
    const sharp = await loadSharp();
    const data = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', autoOrient: true })
      .resize({ width, withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality, mozjpeg: false })
      .toBuffer();
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(temp, data);
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      logger.warn(`pages: could not cache a resized page: ${toLogFormat(error)}`);
    }
    return { data, contentType: 'image/jpeg' };
  }

  return {
    resize(fingerprint, index, width, load) {
      const file = fileFor(fingerprint, index, width);
      const running = inFlight.get(file);
      if (running) return running;
      const job = make(file, width, load).finally(() => inFlight.delete(file));
      inFlight.set(file, job);
      return job;
    },
  };
}
