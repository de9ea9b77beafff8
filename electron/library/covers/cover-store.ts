// Cover thumbnails: made with sharp from a comic's cover image, cached on disk keyed by the comic's
// content fingerprint, made lazily on demand (newest request first) and in the background (prefetch).
//
// docs/architecture.md §4 and §8: thumbnails never block the list; one sharp job per core (libvips threads do
// not help), so sharp.concurrency(1) and at most `concurrency` jobs at once; the covers the user is
// looking at come first. Plain Node: never imports electron. This module is the store (fast path,
// remembered failures, one cover's making); cover-queue.ts orders the work, cover-cache.ts is the disk
// cache, thumbnail.ts the sharp pipeline.
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { silentLogger, toLogFormat, type Logger } from '../logger.js';
import { messageOf } from '../../../shared/errors.js';
import { createCoverCache, isValidFingerprint } from './cover-cache.js';
import { CoverQueue, type CoverSource } from './cover-queue.js';
import { makeThumbnail, type CoverFormat } from './thumbnail.js';

/** Cover failures kept in memory (each a fingerprint and an error: ~0.3 KB); the oldest go first. */
const MAX_REMEMBERED_FAILURES = 10_000;

export type { CoverFormat };
export interface CoverStoreOptions {
  /** Cache folder (e.g. `<data dir>/covers`); created on demand. */
  dir: string;
  /** Thumbnail width in pixels (default 300). Smaller images are not enlarged. */
  width?: number;
  /** Sharp jobs at once (default os.availableParallelism()). */
  concurrency?: number;
  /** Jobs at once for prefetch (default concurrency - 1, at least 1), so one core stays free. */
  prefetchConcurrency?: number;
  /** Output format (default 'jpeg': 1.4× the throughput of WebP here, see the report). */
  format?: CoverFormat;
  /** Quality 1–100 (default 80). */
  quality?: number;
  /** Refuse to decode images with more pixels than this (default 100 MP). */
  maxInputPixels?: number;
  /** A loadImage call slower than this fails (default 30 s); it is not remembered as a bad image. */
  loadTimeoutMs?: number;
  /** After a loadImage failure (not a decode failure), refuse new attempts for this long (default 60 s). */
  loadRetryMs?: number;
  logger?: Logger;
}

export interface CoverResult {
  data: Buffer;
  contentType: string;
}

export interface CoverStats {
  /** Thumbnails made by sharp. */
  generated: number;
  /** Requests answered from the disk cache. */
  fromDisk: number;
  /** Fingerprints whose image failed to decode (remembered for the store's lifetime). */
  badImages: number;
  queued: number;
  running: number;
}

export interface CoverStore {
  /**
   * The thumbnail for `fingerprint`, from disk when cached, otherwise made from `loadImage()`'s bytes.
   * Concurrent calls for one fingerprint share one job; the newest request is served first.
   * Rejects with a CoverError (kind 'decode' for an image sharp cannot read: callers show a placeholder).
   */
  getCover(fingerprint: string, loadImage: () => Promise<Buffer>): Promise<CoverResult>;
  /** Fills the cache in the background, after every getCover request; already cached covers are skipped. */
  prefetch(items: ReadonlyArray<{ fingerprint: string; loadImage: () => Promise<Buffer> }>): void;
  /** Drops queued prefetch work (e.g. before a new prefetch list after a rebuild). */
  cancelPrefetch(): void;
  /** Where the thumbnail for `fingerprint` lives (it may not exist yet). */
  pathFor(fingerprint: string): string;
  stats(): CoverStats;
  /** Rejects queued requests, drops prefetch work, waits for running jobs. */
  close(): Promise<void>;
}

export type CoverErrorKind = 'invalid-fingerprint' | 'load' | 'decode' | 'closed';

export class CoverError extends Error {
  readonly kind: CoverErrorKind;
  readonly fingerprint: string;
  constructor(kind: CoverErrorKind, fingerprint: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CoverError';
    this.kind = kind;
    this.fingerprint = fingerprint;
  }
}

export function createCoverStore(options: CoverStoreOptions): CoverStore {
  const dir = path.resolve(options.dir);
  const width = Math.max(1, Math.round(options.width ?? 300));
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? os.availableParallelism()));
  const prefetchConcurrency = Math.min(concurrency, Math.max(1, Math.floor(options.prefetchConcurrency ?? concurrency - 1)));
  const format: CoverFormat = options.format ?? 'jpeg';
  const quality = options.quality ?? 80;
  const maxInputPixels = options.maxInputPixels ?? 100_000_000;
  const loadTimeoutMs = options.loadTimeoutMs ?? 30_000;
  const loadRetryMs = options.loadRetryMs ?? 60_000;
  const logger = options.logger ?? silentLogger;
  const ext = format === 'webp' ? 'webp' : 'jpg';
  const contentType = format === 'webp' ? 'image/webp' : 'image/jpeg';
  const cache = createCoverCache(dir, ext, logger);
  let closed = false;
  // Failures remembered by fingerprint, so a bad cover is not decoded again on every scroll. Bounded: a
  // long session over changing files would otherwise keep every fingerprint it ever saw fail.
  const badImages = new Map<string, CoverError>();
  const loadFailures = new Map<string, { error: CoverError; until: number }>();
  const remember = <V>(map: Map<string, V>, key: string, value: V): void => {
    map.delete(key);
    map.set(key, value);
    if (map.size > MAX_REMEMBERED_FAILURES) map.delete(map.keys().next().value as string);
  };
  let generated = 0;
  let fromDisk = 0;

  const pathFor = (fingerprint: string): string => {
    const file = cache.fileFor(fingerprint);
    if (file === null) throw new CoverError('invalid-fingerprint', fingerprint, `Invalid cover fingerprint "${fingerprint.slice(0, 80)}"`);
    return file;
  };

  const knownFailure = (fingerprint: string): CoverError | null => {
    const bad = badImages.get(fingerprint);
    if (bad) return bad;
    const load = loadFailures.get(fingerprint);
    if (load && load.until > Date.now()) return load.error;
    if (load) loadFailures.delete(fingerprint);
    return null;
  };

  async function loadWithTimeout(source: CoverSource): Promise<Buffer> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        source.loadImage(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`loading the image took longer than ${loadTimeoutMs} ms`)), loadTimeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One cover: from disk, or loaded, made and cached; a failure is remembered (see knownFailure). */
  async function makeCover(source: CoverSource): Promise<CoverResult> {
    const { fingerprint } = source;
    const file = pathFor(fingerprint);
    const cached = await cache.read(file);
    if (cached) {
      fromDisk++;
      return { data: cached, contentType };
    }
    let input: Buffer;
    try {
      input = await loadWithTimeout(source);
    } catch (err) {
      const error = new CoverError('load', fingerprint, `Cover ${fingerprint}: could not load the cover image: ${messageOf(err)}`, { cause: err });
      remember(loadFailures, fingerprint, { error, until: Date.now() + loadRetryMs });
      throw error;
    }
    let data: Buffer;
    try {
      if (input.length === 0) throw new Error('the image is empty (0 bytes)');
      data = await makeThumbnail(input, { width, format, quality, maxInputPixels });
    } catch (err) {
      const error = new CoverError('decode', fingerprint, `Cover ${fingerprint}: the cover image could not be decoded: ${messageOf(err)}`, { cause: err });
      remember(badImages, fingerprint, error);
      throw error;
    }
    generated++;
    try {
      await cache.write(file, data);
    } catch (err) {
      // A full or read-only disk must not cost the user the cover: serve it from memory.
      logger.warn(`covers: could not cache ${fingerprint}: ${toLogFormat(err)}`);
    }
    return { data, contentType };
  }

  const queue = new CoverQueue<CoverResult>({
    concurrency,
    prefetchConcurrency,
    run: makeCover,
    skip: (fingerprint) => knownFailure(fingerprint) !== null,
    logger,
  });
  const closedError = (fingerprint: string) => new CoverError('closed', fingerprint, 'The cover store is closed');

  async function getCover(fingerprint: string, loadImage: () => Promise<Buffer>, requestSeq = queue.nextSeq()): Promise<CoverResult> {
    if (closed) throw closedError(fingerprint);
    const file = pathFor(fingerprint);
    const failure = knownFailure(fingerprint);
    if (failure) throw failure;
    // Asked again while queued or running: the same job, now the newest request.
    const joined = queue.join(fingerprint, requestSeq);
    if (joined) return joined;
    queue.takeOver(fingerprint); // a queued prefetch item becomes this request
    // Fast path: a cached cover costs one read and no queue slot.
    const cached = await cache.read(file);
    if (cached) {
      fromDisk++;
      return { data: cached, contentType };
    }
    if (closed) throw closedError(fingerprint);
    if (queue.has(fingerprint)) return getCover(fingerprint, loadImage, requestSeq);
    return queue.request(fingerprint, loadImage, requestSeq);
  }

  return {
    getCover,
    prefetch(items) {
      if (closed) return;
      queue.prefetch(items.filter((item) => isValidFingerprint(item.fingerprint)));
    },
    cancelPrefetch: () => queue.cancelPrefetch(),
    pathFor,
    stats: () => ({ generated, fromDisk, badImages: badImages.size, queued: queue.queued, running: queue.running }),
    async close() {
      if (closed) return;
      closed = true;
      await queue.close(closedError);
    },
  };
}

/** True when a cached thumbnail exists for `fingerprint` (for callers that only want to know). */
export async function hasCachedCover(store: CoverStore, fingerprint: string): Promise<boolean> {
  try {
    return (await stat(store.pathFor(fingerprint))).size > 0;
  } catch {
    return false;
  }
}
