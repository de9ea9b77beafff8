// The empty CacheStatus, one definition for the shell and the tests' doubles.
import type { CacheStatus } from './types.js';

/** The status of no library: nothing built, nothing running (the desktop before a library is chosen; tests' base). */
export function emptyCacheStatus(): CacheStatus {
  return {
    file_count: 0,
    age_seconds: null,
    is_populated: false,
    rebuild_in_progress: false,
    generation: 0,
    phase: 'idle',
    progress: null,
    last_error: null,
    last_duration_ms: null,
    library_root: null,
    error_count: 0,
    rebuild_owner: null,
    user_data_notice: null,
  };
}
