import type { Logger } from './logger.js';
import type { ReadThreadData } from './read-protocol.js';
import type { BackupKind } from './user/backups.js';
import type { WorkerLauncher } from './worker-protocol.js';

export interface LibraryServiceOptions {
  /** Library folder (absolute). */
  root: string;
  /** Where library.db, rebuild.lock and covers/ live; one data dir per library. */
  dataDir: string;
  /**
   * Where user.db and user-backups/ live (default: dataDir). The hosts pass the data home, so the
   * user's state is one file for every library, keyed by fingerprint: a library moved to a new root
   * (a new dataDir) keeps its read marks.
   */
  userDataDir?: string;
  /** user.db size cap in pages (SQLite max_page_count); tests use it to stand in for a full disk. */
  userDbMaxPages?: number;
  /** user.db backups kept per kind (tests). */
  userBackupKeep?: Partial<Record<BackupKind, number>>;
  /** How to start the rebuild worker; default: child_process.fork of worker-entry (plain Node). */
  launcher?: WorkerLauncher;
  /** Watch the library folder and rebuild on changes (default true). */
  watch?: boolean;
  /** Start a rebuild when the service opens (default true). */
  rebuildOnOpen?: boolean;
  logger?: Logger;
  /** better-sqlite3 binding for this runtime (see RebuildOptions.nativeBinding). */
  nativeBinding?: string;
  /** Make the first screen's covers in the background after each new generation (default true). */
  prefetchCovers?: boolean;
  /** Archive reads in flight in the worker (default 16). */
  concurrency?: number;
  /** Enrichment threads in the worker (default: none below 4 cores, else cores − 1, see enrich-pool.ts; 0 = none). */
  enrichThreads?: number;
  /** Reader threads for list/search/browse/detail reads (default: read-pool.ts defaultReadThreads; 0 = on the calling thread). */
  readThreads?: number;
  /** Test hook for the reader threads (read-protocol.ts). */
  readFaults?: ReadThreadData['faults'];
}
