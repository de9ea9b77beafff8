// Messages between the LibraryService (main process or headless host) and the rebuild worker.
// The same protocol runs over Electron's utilityProcess (process.parentPort) and Node's
// child_process.fork (process.send); see worker-host.ts for the two transports.
import type { SerializedError } from '../../shared/errors.js';
import type { RebuildPhase } from '../../shared/types.js';

export interface RebuildOptions {
  /** Archive reads in flight at once. */
  concurrency: number;
  /** Per-file time limit for the index pass; a file over it becomes a 'timeout' row. */
  maxFileMs: number;
  /**
   * Enrichment threads (enrich-pool.ts): 0 = every file on the worker's main thread; undefined = sized to
   * the machine (defaultEnrichThreads: none below 4 cores). Used only when the rebuild opens at least POOL_MIN_FILES files.
   */
  enrichThreads?: number;
  /** Re-read every file even when size and mtime are unchanged. */
  force: boolean;
  /** Paths (relative, as stored) to read again even when unchanged: "Retry this file". */
  reread?: string[];
  /**
   * Path of a better-sqlite3 native binding built for the runtime the worker runs in (Electron's ABI
   * during development, where node_modules holds the Node build); undefined = the default one.
   */
  nativeBinding?: string;
}

export type WorkerRequest = Readonly<
  | { type: 'start'; jobId: string; root: string; dbPath: string; options: RebuildOptions }
  | { type: 'cancel'; jobId: string }
  | { type: 'shutdown' }
>;

export interface RebuildStats {
  /** Files found by the walk (supported or not). */
  files: number;
  /** Rows kept without opening the file (same path, size and mtime). */
  reused: number;
  /** Rows kept for a file that moved (same size, mtime and inode at a new path). */
  moved: number;
  /** Files opened and read in this rebuild. */
  opened: number;
  /** Of the files opened, those whose listing showed their metadata unchanged: enrichment kept, no metadata entry read. */
  metadataReused?: number;
  /** Rows of files that are gone. */
  removed: number;
  errors: number;
  /** Folders gone as a whole in this rebuild, with how many comics each held (departed.ts). */
  goneFolders?: Array<{ folder: string; count: number }>;
  /** Files that came back with the id and "Date added" they had before they left. */
  returned?: number;
  /** How the generation was written: a patch of the live one (small change) or a full rewrite. */
  write?: 'delta' | 'full';
  /** Why a delta write failed and a full rewrite was done instead (never expected: a bug to report). */
  deltaError?: string;
}

export type WorkerMessage = Readonly<
  | { type: 'ready'; pid: number }
  | { type: 'progress'; jobId: string; phase: RebuildPhase; done: number; total: number }
  | { type: 'done'; jobId: string; generation: number; fileCount: number; durationMs: number; stats: RebuildStats }
  | { type: 'failed'; jobId: string; error: SerializedError }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string }
>;

/** One running worker process, whatever started it. */
export interface WorkerHandle {
  readonly pid: number | undefined;
  send(request: WorkerRequest): void;
  onMessage(listener: (message: WorkerMessage) => void): void;
  /** Called once when the process is gone (crash, kill or exit). */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
}

/** Starts a worker. The headless host uses child_process.fork; Electron uses utilityProcess.fork. */
export type WorkerLauncher = () => WorkerHandle;

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'ready' || type === 'progress' || type === 'done' || type === 'failed' || type === 'log';
}

export function isWorkerRequest(value: unknown): value is WorkerRequest {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'start' || type === 'cancel' || type === 'shutdown';
}
