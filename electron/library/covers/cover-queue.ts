// The order covers are made in: at most `concurrency` at once; requests (what the user looks at now)
// before prefetch work, the newest request first; prefetch never takes more than `prefetchConcurrency`
// slots, so one core stays free. One job per fingerprint: a second request joins the first.
import type { Logger } from '../logger.js';

export interface CoverSource {
  fingerprint: string;
  loadImage: () => Promise<Buffer>;
}

type Priority = 'high' | 'low';

interface Job<R> extends CoverSource {
  priority: Priority;
  state: 'queued' | 'running';
  /** Order of the latest request (LIFO among high-priority jobs: newest first). */
  seq: number;
  promise: Promise<R>;
  resolve: (result: R) => void;
  reject: (err: Error) => void;
  /** Prefetch jobs nobody awaits: their failures are logged, not thrown. */
  awaited: boolean;
}

export interface CoverQueueOptions<R> {
  concurrency: number;
  prefetchConcurrency: number;
  /** Makes (or reads) one cover. */
  run(source: CoverSource): Promise<R>;
  /** A prefetch item whose cover is known to fail is skipped. */
  skip(fingerprint: string): boolean;
  logger: Logger;
}

export class CoverQueue<R> {
  readonly #o: CoverQueueOptions<R>;
  readonly #jobs = new Map<string, Job<R>>();
  /** Requests, newest first: it is what the user looks at now. */
  readonly #high: Job<R>[] = [];
  #seq = 0;
  // Prefetch work stays a plain list (no promise per item: a rebuild may prefetch 100k covers) until it
  // runs; `#lowPending` dedupes it and lets a request take an item over.
  #low: CoverSource[] = [];
  #lowHead = 0;
  readonly #lowPending = new Map<string, CoverSource>();
  #running = 0;
  #runningLow = 0;
  #closed = false;
  readonly #idleWaiters: Array<() => void> = [];

  constructor(options: CoverQueueOptions<R>) {
    this.#o = options;
  }

  get running(): number {
    return this.#running;
  }

  get queued(): number {
    return this.#high.length + this.#lowPending.size;
  }

  /** The order number of a new request. */
  nextSeq(): number {
    return ++this.#seq;
  }

  has(fingerprint: string): boolean {
    return this.#jobs.has(fingerprint);
  }

  /** Joins the job for `fingerprint` when there is one (it is now awaited and, if queued, the newest). */
  join(fingerprint: string, requestSeq: number): Promise<R> | null {
    const existing = this.#jobs.get(fingerprint);
    if (!existing) return null;
    existing.awaited = true;
    if (existing.state === 'queued') existing.seq = Math.max(existing.seq, requestSeq);
    return existing.promise;
  }

  /** A queued prefetch item becomes a request: it leaves the prefetch list. */
  takeOver(fingerprint: string): void {
    this.#lowPending.delete(fingerprint);
  }

  request(fingerprint: string, loadImage: () => Promise<Buffer>, requestSeq: number): Promise<R> {
    const job = this.#createJob(fingerprint, loadImage, 'high');
    job.seq = requestSeq;
    this.#high.push(job);
    this.#pump();
    return job.promise;
  }

  /** Appends prefetch work (items already queued or running are skipped). */
  prefetch(items: Iterable<CoverSource>): void {
    if (this.#closed) return;
    for (const item of items) {
      if (this.#jobs.has(item.fingerprint) || this.#lowPending.has(item.fingerprint)) continue;
      const entry: CoverSource = { fingerprint: item.fingerprint, loadImage: item.loadImage };
      this.#lowPending.set(entry.fingerprint, entry);
      this.#low.push(entry);
    }
    this.#compactLow();
    this.#pump();
  }

  cancelPrefetch(): void {
    this.#low = [];
    this.#lowHead = 0;
    this.#lowPending.clear();
  }

  /** Drops prefetch work, rejects queued requests with `reason`, waits for running jobs. */
  async close(reason: (fingerprint: string) => Error): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.cancelPrefetch();
    for (const job of this.#high.splice(0)) {
      if (job.state !== 'queued') continue;
      this.#jobs.delete(job.fingerprint);
      job.reject(reason(job.fingerprint));
    }
    if (this.#running > 0) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  #nextJob(): Job<R> | null {
    while (this.#high.length > 0) {
      // The queue of requests is small (a screenful of covers): a linear scan is fine.
      let best = 0;
      for (let i = 1; i < this.#high.length; i++) if (this.#high[i].seq > this.#high[best].seq) best = i;
      const [job] = this.#high.splice(best, 1);
      if (job.state === 'queued') return job;
    }
    if (this.#runningLow >= this.#o.prefetchConcurrency) return null;
    while (this.#lowHead < this.#low.length) {
      const item = this.#low[this.#lowHead++];
      if (this.#lowPending.get(item.fingerprint) !== item) continue; // taken over by a request or cancelled
      this.#lowPending.delete(item.fingerprint);
      if (this.#jobs.has(item.fingerprint) || this.#o.skip(item.fingerprint)) continue;
      return this.#createJob(item.fingerprint, item.loadImage, 'low');
    }
    this.#low = [];
    this.#lowHead = 0;
    return null;
  }

  /** Drops consumed prefetch entries now and then, so a long list does not pin its head in memory. */
  #compactLow(): void {
    if (this.#lowHead > 4096 && this.#lowHead * 2 > this.#low.length) {
      this.#low = this.#low.slice(this.#lowHead);
      this.#lowHead = 0;
    }
  }

  #pump(): void {
    while (!this.#closed && this.#running < this.#o.concurrency) {
      const job = this.#nextJob();
      if (!job) break;
      job.state = 'running';
      this.#running++;
      const isLow = job.priority === 'low';
      if (isLow) this.#runningLow++;
      this.#o.run(job).then(
        (result) => this.#finish(job, isLow, result, null),
        (err: unknown) => this.#finish(job, isLow, null, err instanceof Error ? err : new Error(String(err))),
      );
    }
    if (this.#running === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
  }

  #finish(job: Job<R>, isLow: boolean, result: R | null, error: Error | null): void {
    this.#running--;
    if (isLow) {
      this.#runningLow--;
      this.#compactLow();
    }
    this.#jobs.delete(job.fingerprint);
    if (result) job.resolve(result);
    else if (error) {
      if (job.awaited) job.reject(error);
      else this.#o.logger.debug(`covers: prefetch ${job.fingerprint} failed: ${error.message}`);
    }
    this.#pump();
  }

  #createJob(fingerprint: string, loadImage: () => Promise<Buffer>, priority: Priority): Job<R> {
    let resolve!: (result: R) => void;
    let reject!: (err: Error) => void;
    const promise = new Promise<R>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const job: Job<R> = { fingerprint, loadImage, priority, state: 'queued', seq: ++this.#seq, promise, resolve, reject, awaited: priority === 'high' };
    this.#jobs.set(fingerprint, job);
    // Unawaited prefetch promises must never become unhandled rejections.
    promise.catch(() => undefined);
    return job;
  }
}
