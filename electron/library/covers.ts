// Cover thumbnails: made with sharp from a comic's cover image, cached on disk keyed by the comic's
// content fingerprint, made lazily on demand (newest request first) and in the background (prefetch).
//
// docs/architecture.md §4 and §8: thumbnails never block the list; one sharp job per core (libvips threads do
// not help), so sharp.concurrency(1) and at most `concurrency` jobs at once; the covers the user is
// looking at come first. Plain Node: never imports electron. Over 400 lines: one store whose queue,
// in-flight map, disk cache and prefetch share their state (the queue is the part to split out next).
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Sharp from 'sharp';
import { silentLogger, toLogFormat, type Logger } from './logger.js';
import { messageOf } from '../../shared/errors.js';

export type CoverFormat = 'jpeg' | 'webp';

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

/** Fingerprints become file names: only a safe alphabet, no leading dot, bounded length. */
const FINGERPRINT_RE = /^[A-Za-z0-9_-][A-Za-z0-9._-]{1,199}$/;

type Priority = 'high' | 'low';

interface Job {
  fingerprint: string;
  loadImage: () => Promise<Buffer>;
  priority: Priority;
  state: 'queued' | 'running';
  /** Order of the latest request (LIFO among high-priority jobs: newest first). */
  seq: number;
  promise: Promise<CoverResult>;
  resolve: (result: CoverResult) => void;
  reject: (err: Error) => void;
  /** Prefetch jobs nobody awaits: their failures are logged, not thrown. */
  awaited: boolean;
}

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 'ENOENT';
}


let sharpModule: Promise<typeof Sharp> | null = null;

/**
 * sharp (libvips) is loaded on the first thumbnail, not at import: it costs ~140 ms of a host's
 * start-up, which is the time to the first rows.
 */
export function loadSharp(): Promise<typeof Sharp> {
  sharpModule ??= import('sharp').then(({ default: sharp }) => {
    // One libvips thread per image: parallelism comes from running `concurrency` images at once.
    sharp.concurrency(1);
    return sharp;
  });
  return sharpModule;
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


  const jobs = new Map<string, Job>();
  const high: Job[] = []; // newest request first: it is what the user looks at now
  let seq = 0;
  // Prefetch work stays a plain list (no promise per item: a rebuild may prefetch 100k covers) until it
  // runs; `lowPending` dedupes it and lets a getCover request take an item over.
  interface PrefetchItem {
    fingerprint: string;
    loadImage: () => Promise<Buffer>;
  }
  let low: PrefetchItem[] = [];
  let lowHead = 0;
  const lowPending = new Map<string, PrefetchItem>();
  let running = 0;
  let runningLow = 0;
  let closed = false;
  const idleWaiters: Array<() => void> = [];
  const badImages = new Map<string, CoverError>();
  const loadFailures = new Map<string, { error: CoverError; until: number }>();
  const madeDirs = new Set<string>();
  let generated = 0;
  let fromDisk = 0;

  const pathFor = (fingerprint: string): string => {
    if (!FINGERPRINT_RE.test(fingerprint)) throw new CoverError('invalid-fingerprint', fingerprint, `Invalid cover fingerprint "${fingerprint.slice(0, 80)}"`);
    return path.join(dir, fingerprint.slice(0, 2).toLowerCase(), `${fingerprint}.${ext}`);
  };

  const knownFailure = (fingerprint: string): CoverError | null => {
    const bad = badImages.get(fingerprint);
    if (bad) return bad;
    const load = loadFailures.get(fingerprint);
    if (load && load.until > Date.now()) return load.error;
    if (load) loadFailures.delete(fingerprint);
    return null;
  };

  async function readCached(file: string): Promise<Buffer | null> {
    try {
      const data = await readFile(file);
      return data.length > 0 ? data : null;
    } catch (err) {
      // Unreadable cache file (permissions, I/O error): make the cover again rather than fail.
      if (!isNotFound(err)) logger.warn(`covers: could not read ${file}: ${messageOf(err)}`);
      return null;
    }
  }

  async function writeAtomically(file: string, data: Buffer): Promise<void> {
    const folder = path.dirname(file);
    if (!madeDirs.has(folder)) {
      await mkdir(folder, { recursive: true });
      madeDirs.add(folder);
    }
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, data);
      await rename(temp, file);
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      throw err;
    }
  }

  async function loadWithTimeout(job: Job): Promise<Buffer> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        job.loadImage(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`loading the image took longer than ${loadTimeoutMs} ms`)), loadTimeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function makeThumbnail(input: Buffer): Promise<Buffer> {
    const sharp = await loadSharp();
    const image = sharp(input, { limitInputPixels: maxInputPixels, failOn: 'error', autoOrient: true })
      // Keep extreme strips (webtoons) bounded: at most 4 widths tall.
      .resize({ width, height: width * 4, fit: 'inside', withoutEnlargement: true });
    return format === 'webp'
      ? image.webp({ quality, effort: 2 }).toBuffer()
      : image.flatten({ background: '#ffffff' }).jpeg({ quality, mozjpeg: false }).toBuffer();
  }

  async function runJob(job: Job): Promise<CoverResult> {
    const file = pathFor(job.fingerprint);
    const cached = await readCached(file);
    if (cached) {
      fromDisk++;
      return { data: cached, contentType };
    }
    let input: Buffer;
    try {
      input = await loadWithTimeout(job);
    } catch (err) {
      const error = new CoverError('load', job.fingerprint, `Cover ${job.fingerprint}: could not load the cover image: ${messageOf(err)}`, { cause: err });
      loadFailures.set(job.fingerprint, { error, until: Date.now() + loadRetryMs });
      throw error;
    }
    let data: Buffer;
    try {
      if (input.length === 0) throw new Error('the image is empty (0 bytes)');
      data = await makeThumbnail(input);
    } catch (err) {
      const error = new CoverError('decode', job.fingerprint, `Cover ${job.fingerprint}: the cover image could not be decoded: ${messageOf(err)}`, { cause: err });
      badImages.set(job.fingerprint, error);
      throw error;
    }
    generated++;
    try {
      await writeAtomically(file, data);
    } catch (err) {
      // A full or read-only disk must not cost the user the cover: serve it from memory.
      logger.warn(`covers: could not cache ${job.fingerprint}: ${toLogFormat(err)}`);
    }
    return { data, contentType };
  }

  function nextJob(): Job | null {
    while (high.length > 0) {
      // The queue of requests is small (a screenful of covers): a linear scan is fine.
      let best = 0;
      for (let i = 1; i < high.length; i++) if (high[i].seq > high[best].seq) best = i;
      const [job] = high.splice(best, 1);
      if (job.state === 'queued') return job;
    }
    if (runningLow >= prefetchConcurrency) return null;
    while (lowHead < low.length) {
      const item = low[lowHead++];
      if (lowPending.get(item.fingerprint) !== item) continue; // taken over by getCover or cancelled
      lowPending.delete(item.fingerprint);
      if (jobs.has(item.fingerprint) || knownFailure(item.fingerprint)) continue;
      return createJob(item.fingerprint, item.loadImage, 'low');
    }
    low = [];
    lowHead = 0;
    return null;
  }

  /** Drops consumed prefetch entries now and then, so a long list does not pin its head in memory. */
  function compactLow(): void {
    if (lowHead > 4096 && lowHead * 2 > low.length) {
      low = low.slice(lowHead);
      lowHead = 0;
    }
  }

  function pump(): void {
    while (!closed && running < concurrency) {
      const job = nextJob();
      if (!job) break;
      job.state = 'running';
      running++;
      const isLow = job.priority === 'low';
      if (isLow) runningLow++;
      runJob(job).then(
        (result) => finish(job, isLow, result, null),
        (err: unknown) => finish(job, isLow, null, err instanceof Error ? err : new Error(String(err))),
      );
    }
    if (running === 0) for (const wake of idleWaiters.splice(0)) wake();
  }

  function finish(job: Job, isLow: boolean, result: CoverResult | null, error: Error | null): void {
    running--;
    if (isLow) {
      runningLow--;
      compactLow();
    }
    jobs.delete(job.fingerprint);
    if (result) job.resolve(result);
    else if (error) {
      if (job.awaited) job.reject(error);
      else logger.debug(`covers: prefetch ${job.fingerprint} failed: ${error.message}`);
    }
    pump();
  }

  function createJob(fingerprint: string, loadImage: () => Promise<Buffer>, priority: Priority): Job {
    let resolve!: (result: CoverResult) => void;
    let reject!: (err: Error) => void;
    const promise = new Promise<CoverResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const job: Job = { fingerprint, loadImage, priority, state: 'queued', seq: ++seq, promise, resolve, reject, awaited: priority === 'high' };
    jobs.set(fingerprint, job);
    // Unawaited prefetch promises must never become unhandled rejections.
    promise.catch(() => undefined);
    return job;
  }

  async function getCover(fingerprint: string, loadImage: () => Promise<Buffer>, requestSeq = ++seq): Promise<CoverResult> {
    if (closed) throw new CoverError('closed', fingerprint, 'The cover store is closed');
    const file = pathFor(fingerprint);
    const failure = knownFailure(fingerprint);
    if (failure) throw failure;
    const existing = jobs.get(fingerprint);
    if (existing) {
      existing.awaited = true;
      // Asked again while queued: it is now the newest request.
      if (existing.state === 'queued') existing.seq = Math.max(existing.seq, requestSeq);
      return existing.promise;
    }
    lowPending.delete(fingerprint); // a queued prefetch item becomes this request
    // Fast path: a cached cover costs one read and no queue slot.
    const cached = await readCached(file);
    if (cached) {
      fromDisk++;
      return { data: cached, contentType };
    }
    if (closed) throw new CoverError('closed', fingerprint, 'The cover store is closed');
    if (jobs.has(fingerprint)) return getCover(fingerprint, loadImage, requestSeq);
    const job = createJob(fingerprint, loadImage, 'high');
    job.seq = requestSeq;
    high.push(job);
    pump();
    return job.promise;
  }

  function prefetch(items: ReadonlyArray<{ fingerprint: string; loadImage: () => Promise<Buffer> }>): void {
    if (closed) return;
    for (const item of items) {
      if (!FINGERPRINT_RE.test(item.fingerprint) || jobs.has(item.fingerprint) || lowPending.has(item.fingerprint)) continue;
      const entry: PrefetchItem = { fingerprint: item.fingerprint, loadImage: item.loadImage };
      lowPending.set(entry.fingerprint, entry);
      low.push(entry);
    }
    compactLow();
    pump();
  }

  function cancelPrefetch(): void {
    low = [];
    lowHead = 0;
    lowPending.clear();
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    cancelPrefetch();
    for (const job of high.splice(0)) {
      if (job.state !== 'queued') continue;
      jobs.delete(job.fingerprint);
      job.reject(new CoverError('closed', job.fingerprint, 'The cover store is closed'));
    }
    if (running > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
  }

  return {
    getCover,
    prefetch,
    cancelPrefetch,
    pathFor,
    stats: () => ({ generated, fromDisk, badImages: badImages.size, queued: high.length + lowPending.size, running }),
    close,
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
