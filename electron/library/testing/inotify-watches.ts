// How many inotify watches this process holds (Linux only: read from /proc/self/fdinfo). The watcher's
// test checks its one-watch-per-folder promise with it; bench/watcher-measure.ts reports it. Test-only code.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The inotify watches of this process. Linux only (elsewhere there is no /proc/self/fd to read: throws). */
export function inotifyWatches(): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) !== 'anon_inode:inotify') continue;
      count += readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8').split('\n').filter((line) => line.startsWith('inotify wd:')).length;
    } catch {
      // fd closed meanwhile
    }
  }
  return count;
}
