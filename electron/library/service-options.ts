import type { Logger } from './logger.js';
import type { WorkerLauncher } from './worker-protocol.js';

export interface LibraryServiceOptions {
  /** Library folder (absolute). */
  root: string;
  /** Where library.db, rebuild.lock and covers/ live; one data dir per library. */
  dataDir: string;
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
}
