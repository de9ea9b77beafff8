// One rebuild, start to swap, inside the worker process: walk + stat, plan (rebuild-plan.ts: reuse
// unchanged rows, follow moves), read the rest with bounded concurrency, write the next generation
// beside the live one, swap. The rows stream: each goes to the writer (store/next-generation.ts) as soon
// as it is known, kept rows are read back one at a time by id, and what stays in JS for the whole
// library is the walk and the plan, as columns (scan/walk.ts WalkedFiles, rebuild-plan.ts CompactPlan:
// a path string and ≈ 45 bytes per file); the live keys stream into the plan in chunks.
import { readdirSync, statSync } from 'node:fs';
import { LongboxError } from '../../shared/errors.js';
import type { RebuildPhase } from '../../shared/types.js';
import { enrichFile, errorRow, type EnrichedFile } from './enrich.js';
import { defaultEnrichThreads, EnrichPool, type EnrichPoolOptions } from './enrich-pool.js';
import { goneFolders, readDeparted, updateDeparted, type DepartedIdentity } from './departed.js';
import { planRebuildColumns, isNoChange, PlanAction, type CompactPlan } from './rebuild-plan.js';
import { IndexIo } from './index-io.js';
import { walkLibraryColumns, type WalkedFile } from './scan/walk.js';
import { formatOfExtension } from './scan/library-files.js';
import { openDatabase } from './store/open-database.js';
import { limitRebuildDbMemory } from './worker-memory.js';
import type { Db } from './store/db.js';
import { dropLeftovers, iterateLiveKeys, markValidated, readMetaNumber, swapInNextGeneration } from './store/generation-writer.js';
import { liveIdentities, liveRowReader } from './store/live-rows.js';
import { beginNextGeneration, type NextGeneration } from './store/next-generation.js';
import { writeDeltaGeneration, type DeltaHooks } from './store/delta-writer.js';
import type { EnrichedRow } from './store/comic-row.js';
import type { RebuildOptions, RebuildStats } from './worker-protocol.js';

export interface RebuildInput {
  root: string;
  dbPath: string;
  options: RebuildOptions;
  signal?: AbortSignal;
  onProgress?: (phase: RebuildPhase, done: number, total: number) => void;
  /** Called for each folder the walk could not list (its rows are kept). */
  onSkippedFolder?: (path: string, reason: string) => void;
  /** Test hook: called with each file the job opens (counts "unchanged files are never re-read"). */
  onOpen?: (path: string) => void;
  now?: () => number;
  /** Test hooks: the pool's fault injection, and the size from which the pool is used. */
  enrichFaults?: EnrichPoolOptions['faults'];
  poolMinFiles?: number;
  /** Test hooks: the writer of the next generation (its `maxQueued` says how many rows it held), its batch size. */
  onWriter?: (next: NextGeneration) => void;
  writeBatchSize?: number;
  /** Largest share of the live rows a rescan may change and still be written as a delta (default DELTA_MAX_SHARE; 0 = never). */
  deltaMaxShare?: number;
  /** Test hook: the delta writer's step hook (crash injection). */
  deltaHooks?: DeltaHooks;
}

/**
 * A rescan that changes at most this share of the live rows patches the live generation
 * (store/delta-writer.ts) instead of writing a whole next one (bench/README.md "Delta generations").
 */
export const DELTA_MAX_SHARE = 0.05;

/** Rows a plan changes: files read, moved, removed, or rewritten for a new inode. */
function changedRows(plan: CompactPlan): number {
  return plan.toRead.length + plan.moved + plan.removed + plan.inodesChanged;
}

/**
 * Files of the formats that may need the WASM format worker (archive/wasm-worker.ts: a PDF's index, a
 * CB7's ComicInfo.xml extract; CB7s are listed in TypeScript) in flight at once per worker. Each needs a few event-loop turns (stats, the worker's replies: one per YIELD_MS while the
 * other files are read), so several in flight keep the worker's queue from running dry between turns.
 */
export const FORMAT_WORKER_SLOTS = 6;

function usesFormatWorker(ext: string): boolean {
  const format = formatOfExtension(ext);
  return format === '7z' || format === 'pdf';
}

/** Below this many files to open, starting threads costs more than it saves (a watcher's few changes). */
export const POOL_MIN_FILES = 256;

export interface RebuildResult {
  generation: number;
  fileCount: number;
  durationMs: number;
  stats: RebuildStats;
}

function checkRoot(root: string): void {
  try {
    const st = statSync(root);
    if (!st.isDirectory()) throw new LongboxError('ROOT_UNREADABLE', `The library folder ${root} is not a folder.`);
  } catch (err) {
    if (err instanceof LongboxError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new LongboxError('ROOT_UNREADABLE', `The library folder ${root} is unavailable (${code}). Showing the last known library.`);
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new LongboxError('CANCELLED', 'The rebuild was stopped.');
}

// With blocking index reads most files finish within microtasks, so a whole pass could run without
// the event loop ever turning: a cancel, a shutdown or the host's disconnect would wait for the swap.
// Every YIELD_MS the loop gets one turn (setImmediate: after I/O callbacks) before the next file; short,
// since the 7z/PDF lane moves one step (a stat, a reply of the format worker) per turn.
const YIELD_MS = 5;
const turnEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Lets pending messages (cancel, shutdown, disconnect) run, then stops if one aborted the job. */
async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  await turnEventLoop();
  throwIfAborted(signal);
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One event-loop turn every YIELD_MS for all the runners of a pass together. Each runner awaits the
 * same turn before its next file: while any runner still chained microtasks (a file read with blocking
 * calls never waits), the queue would never drain, and the loop turned only once every runner had
 * yielded on its own (16 × YIELD_MS apart), so the format worker's replies and the stats of the 7z/PDF
 * lane waited that long (61 of 1,332 such files done by the end of the 14 s direct lane at 20k).
 */
class TurnGate {
  #turnedAt = Date.now();
  #turn: Promise<void> | null = null;

  /** A promise to await before the next file when a turn is due (or under way), else null. */
  due(): Promise<void> | null {
    if (this.#turn === null && Date.now() - this.#turnedAt >= YIELD_MS) {
      this.#turn = turnEventLoop().then(() => {
        this.#turn = null;
        this.#turnedAt = Date.now();
      });
    }
    return this.#turn;
  }
}

/** Runs `work` over `items` with at most `limit` in flight, in order of completion. */
async function forEachLimited<T>(items: ArrayLike<T>, limit: number, work: (item: T, index: number) => Promise<void>, gate: TurnGate, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const turn = gate.due();
      if (turn !== null) {
        await turn;
        if (next >= items.length) break; // the other runners took the rest meanwhile
      }
      throwIfAborted(signal);
      const index = next++;
      await work(items[index]!, index);
    }
  });
  await Promise.all(runners);
}

export async function runRebuild(input: RebuildInput): Promise<RebuildResult> {
  const started = Date.now();
  const now = input.now ?? Date.now;
  const { root, options, signal } = input;
  const progress = input.onProgress ?? (() => {});
  checkRoot(root);

  let pool: EnrichPool | null = null;
  const db: Db = openDatabase(input.dbPath, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    limitRebuildDbMemory(db);
    progress('scanning', 0, 0);
    const walk = walkLibraryColumns(root, (found) => progress('scanning', found, 0));
    throwIfAborted(signal);
    // Only the keys, streamed into the plan: a rescan that finds no change never loads the full rows.
    const plan = planRebuildColumns(iterateLiveKeys(db), walk, options);
    // Offline guard: an empty walk of a library that had files is an unmounted drive, not a deletion.
    if (walk.files.length === 0 && plan.liveCount > 0) {
      throw new LongboxError('ROOT_UNREADABLE', `The library folder ${root} is empty: is the drive mounted? Showing the last known library.`);
    }

    for (const s of walk.skipped) input.onSkippedFolder?.(s.path, s.reason);
    const { files: walkFiles, carried, action, rowId, toRead } = plan;

    let nextId = readMetaNumber(db, 'next_id') ?? 1;
    const generation = (readMetaNumber(db, 'generation') ?? 0) + 1;
    const stats: RebuildStats = { files: walkFiles.length + carried.length, reused: plan.reused, moved: plan.moved, opened: 0, removed: plan.removed, errors: 0 };
    const stamp = now();

    if (isNoChange(plan)) {
      // Nothing changed: the live generation is still exact. Record that it was checked, write nothing.
      const durationMs = Date.now() - started;
      markValidated(db, now(), durationMs);
      return { generation: generation - 1, fileCount: plan.liveCount, durationMs, stats };
    }
    // A small change is written as a delta: only the rows it touches are read and written, the others
    // stay where they are in the live generation.
    const useDelta = plan.liveCount > 0 && changedRows(plan) <= (input.deltaMaxShare ?? DELTA_MAX_SHARE) * plan.liveCount;
    // Comics that left earlier, by fingerprint: a new path with one of them is that comic back.
    const departed = toRead.length > 0 ? readDeparted(db) : new Map<string, DepartedIdentity>();
    if (toRead.length > 0) {
      // Rows leaving in this very rebuild count too: a file moved and touched (not a plain move) is
      // still the same comic when its content fingerprint matches. The rows leaving are exactly the
      // removed ones (a walked path keeps or replaces its row, a carried row stays, a vanished one moved
      // or is removed), read by id in id order.
      const leaving = liveIdentities(db, [...plan.removedIds].sort((a, b) => a - b)).filter((row) => row.error_kind === null);
      for (const row of leaving) {
        if (departed.has(row.fingerprint)) continue;
        departed.set(row.fingerprint, { id: row.id, added_at: row.added_at });
      }
    }

    // From here rows stream into the next generation as they are ready (kept rows first, then each
    // file as its read ends), each with its place in the walk; nothing holds the library's rows. A
    // delta collects only the changed rows (at most DELTA_MAX_SHARE of the library) instead.
    const total = walkFiles.length + carried.length;
    let next: NextGeneration | null = null;
    const startFullWrite = (): NextGeneration => {
      dropLeftovers(db);
      next = beginNextGeneration(db, generation, undefined, input.writeBatchSize);
      input.onWriter?.(next);
      return next;
    };
    if (!useDelta) startFullWrite();
    const changed: Array<{ row: EnrichedRow; seq: number }> = [];
    const liveRow = liveRowReader(db);
    let unreadable = 0;
    const write = (row: EnrichedRow, seq: number) => {
      if (row.error_kind !== null) stats.errors++;
      if (row.error_kind === 'unreadable') unreadable++;
      if (next) next.add(row, seq);
      else changed.push({ row, seq });
    };
    const returned: string[] = [];
    // Ids of rows that left (earlier or in this rebuild) and came back at a new path in this one.
    const backIds = new Set<number>();
    for (let index = 0; index < walkFiles.length; index++) {
      const kind = action[index];
      // A delta leaves an unchanged row where it is.
      if (kind === PlanAction.read || (useDelta && kind === PlanAction.keep)) continue;
      const previous = liveRow(rowId[index]!);
      const ino = walkFiles.ino(index);
      if (kind !== PlanAction.move) {
        write(previous.inode === ino ? previous : { ...previous, inode: ino }, index);
        continue;
      }
      const path = walkFiles.path(index);
      const slash = path.lastIndexOf('/');
      write(
        {
          ...previous,
          path,
          folder: slash < 0 ? '' : path.slice(0, slash),
          file_name: path.slice(slash + 1),
          ext: walkFiles.ext(index),
          inode: ino,
          changed_at: stamp,
        },
        index,
      );
    }
    // Rows in folders the walk could not list come last, as they always did.
    if (!useDelta) carried.forEach((key, i) => write(liveRow(key.id), walkFiles.length + i));

    let done = stats.reused + stats.moved;
    progress('enriching', done, total);
    let lastReport = 0;
    const threads = options.enrichThreads ?? defaultEnrichThreads();
    if (threads > 0 && toRead.length >= (input.poolMinFiles ?? POOL_MIN_FILES)) {
      // The same reads in flight as without the pool, spread over the threads.
      const perThread = Math.max(1, Math.ceil(options.concurrency / threads));
      pool = new EnrichPool({ root, size: threads, perThread, maxFileMs: options.maxFileMs, ...(input.enrichFaults ? { faults: input.enrichFaults } : {}) });
    }
    const io = new IndexIo();
    const enrichOne = (file: WalkedFile, prior: EnrichedFile | undefined): Promise<EnrichedFile> =>
      pool
        ? pool.enrich(file, prior)
        : withTimeout(enrichFile(root, file, io, prior), options.maxFileMs, () =>
            errorRow(file, 'timeout', `Reading this file took longer than ${Math.round(options.maxFileMs / 1000)} s.`),
          );
    // Metadata reuse (enrich-signature.ts): a file read again at the same path whose previous row is
    // clean and signed keeps that row's enrichment when its fresh listing gives the same signature.
    // Never in a forced rebuild (the user asked for everything to be read) nor for a file asked for.
    const rereadPaths = new Set(options.reread ?? []);
    const priorOf = (file: WalkedFile, previousId: number): EnrichedFile | undefined => {
      if (options.force || previousId < 0 || rereadPaths.has(file.path)) return undefined;
      const row = liveRow(previousId);
      return row.error_kind !== null || row.enrich_signature === null ? undefined : row;
    };
    let metadataReused = 0;
    const readOne = async (index: number): Promise<void> => {
      const file = walkFiles.file(index);
      // The live row this file replaces (same path), if any.
      const previousId = rowId[index]!;
      const previous = previousId < 0 ? undefined : { id: previousId, added_at: plan.previousAddedAt[index]! };
      input.onOpen?.(file.path);
      stats.opened++;
      const prior = priorOf(file, previousId);
      const enriched: EnrichedFile = await enrichOne(file, prior);
      // (A signature equal to the prior's means it was reused: a match always is.)
      if (prior !== undefined && enriched.enrich_signature === prior.enrich_signature) metadataReused++;
      const back = previous || enriched.error_kind !== null ? undefined : departed.get(enriched.fingerprint);
      if (back) {
        departed.delete(enriched.fingerprint);
        returned.push(enriched.fingerprint);
        backIds.add(back.id);
      }
      write(
        {
          ...enriched,
          id: previous?.id ?? back?.id ?? nextId++,
          added_at: previous?.added_at ?? back?.added_at ?? stamp,
          changed_at: stamp,
        },
        index,
      );
      done++;
      const t = Date.now();
      if (t - lastReport >= 100) {
        lastReport = t;
        progress('enriching', done, total);
      }
    };
    // Two lanes: the files the WASM format worker indexes (7z, PDF: one request at a time per worker,
    // milliseconds each) have their own few slots, so they never fill the slots of the other files
    // and leave this thread idle waiting on that worker's queue.
    const inFormatWorker: number[] = [];
    const others: number[] = [];
    for (const index of toRead) (usesFormatWorker(walkFiles.ext(index)) ? inFormatWorker : others).push(index);
    const direct: ArrayLike<number> = inFormatWorker.length === 0 ? toRead : others;
    const directSlots = pool ? threads * Math.max(1, Math.ceil(options.concurrency / threads)) : options.concurrency;
    const gate = new TurnGate();
    await Promise.all([
      forEachLimited(direct, directSlots, readOne, gate, signal),
      forEachLimited(inFormatWorker, FORMAT_WORKER_SLOTS * (pool ? threads : 1), readOne, gate, signal),
    ]);
    progress('enriching', total, total);
    if (metadataReused > 0) stats.metadataReused = metadataReused;
    if (pool) {
      await pool.close();
      pool = null;
    }
    throwIfAborted(signal);

    // Files that vanished while being read may mean the drive went away mid-rebuild: if the root is
    // gone or empty now, keep the live generation instead of recording every file as unreadable.
    if (unreadable > 0) {
      checkRoot(root);
      if (readdirSync(root).length === 0) {
        throw new LongboxError('ROOT_UNREADABLE', `The library folder ${root} became empty during the rebuild: is the drive mounted? Showing the last known library.`);
      }
    }
    // Who the leaving rows were (departed.ts), read while they are still the live generation.
    // (A full write leaves every live row out that it did not write: the removed ones but those that came back.)
    const removedRows = liveIdentities(db, useDelta || backIds.size === 0 ? plan.removedIds : plan.removedIds.filter((id) => !backIds.has(id)));
    progress('writing', 0, total);
    let durationMs = 0;
    let fileCount = 0;
    if (useDelta) {
      await checkpoint(signal);
      durationMs = Date.now() - started;
      try {
        const upserts = changed.map((c) => c.row);
        const result = writeDeltaGeneration(db, { removedIds: plan.removedIds, upserts }, { generation, nextId, builtAt: now(), durationMs }, input.deltaHooks);
        stats.errors = result.errorCount;
        stats.write = 'delta';
        fileCount = result.fileCount;
        // The write is the swap here: count it in the rebuild's time (meta holds the time up to it).
        durationMs = Date.now() - started;
        progress('swapping', total, total);
      } catch (err) {
        // Rolled back: the live generation is intact, so the whole next one can still be written
        // from it and the changed rows. Never expected; the stats carry the reason for the log.
        stats.deltaError = err instanceof Error ? err.message : String(err);
        stats.errors = 0;
        const full = startFullWrite();
        for (let index = 0; index < walkFiles.length; index++) if (action[index] === PlanAction.keep) write(liveRow(rowId[index]!), index);
        carried.forEach((key, i) => write(liveRow(key.id), walkFiles.length + i));
        for (const { row, seq } of changed) full.add(row, seq);
        for (const { row } of changed) if (row.error_kind !== null) stats.errors++;
      }
    }
    if (next !== null) {
      const full: NextGeneration = next;
      full.finish();
      // The last moment to learn that the job was cancelled or its host is gone (the worker exits on
      // disconnect): an orphan must not swap in a generation while another host may own the lock.
      await checkpoint(signal);
      progress('swapping', total, total);
      durationMs = Date.now() - started;
      swapInNextGeneration(db, { generation, nextId, builtAt: now(), durationMs }, { fileCount: full.added, errorCount: stats.errors });
      stats.write = 'full';
      fileCount = full.added;
    }
    if (removedRows.length > 0 || returned.length > 0) updateDeparted(db, removedRows, returned, stamp);
    // (Folders of the whole walk are listed only when some row left.)
    const gone = removedRows.length > 0 ? goneFolders(removedRows.map((row) => row.path), walkFiles.paths) : [];
    if (gone.length > 0) stats.goneFolders = gone;
    if (returned.length > 0) stats.returned = returned.length;
    return { generation, fileCount, durationMs, stats };
  } finally {
    // Cancelled or failed mid-way: the threads go with the job.
    if (pool) await pool.close();
    db.close();
  }
}
