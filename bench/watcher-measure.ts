// Measures the library watcher on a big tree: time to `ready`, RSS growth, inotify watches, event-loop
// delay while starting, and the latency of one change. Not a test; run with
//   npx tsx bench/watcher-measure.ts [--dirs 2000] [--files 50] [--root /tmp/longbox-watch-tree] [--keep]
// It creates the tree (empty .cbz files) if missing, and removes it at the end unless --keep.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { inotifyWatches as linuxInotifyWatches } from '../electron/library/testing/inotify-watches.js';
import { createLibraryWatcher } from '../electron/library/watch/watcher.js';

function arg(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] !== undefined ? process.argv[index + 1] : fallback;
}

const dirs = Number(arg('dirs', '2000'));
const files = Number(arg('files', '50'));
const root = arg('root', '/tmp/longbox-watch-tree');
const keep = process.argv.includes('--keep');

const inotifyWatches = (): number | null => (process.platform === 'linux' ? linuxInotifyWatches() : null);

const expected = dirs * files;
const marker = path.join(root, `.tree-${dirs}x${files}`);
if (!existsSync(marker)) {
  console.error(`creating ${dirs} folders × ${files} files under ${root} …`);
  rmSync(root, { recursive: true, force: true });
  for (let d = 0; d < dirs; d++) {
    const dir = path.join(root, `Series ${String(d).padStart(4, '0')}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < files; f++) writeFileSync(path.join(dir, `Issue ${String(f).padStart(3, '0')}.cbz`), '');
  }
  writeFileSync(marker, '');
}

globalThis.gc?.();
const rssBefore = process.memoryUsage().rss;
const watchesBefore = inotifyWatches();
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
const started = performance.now();
let resolveChange: (paths: string[]) => void = () => {};
const watcher = createLibraryWatcher({
  root,
  debounceMs: 200,
  stableMs: 400,
  onChange: ({ paths }) => resolveChange(paths),
});
await watcher.ready;
const readyMs = performance.now() - started;
loop.disable();
globalThis.gc?.();
const rssAfter = process.memoryUsage().rss;
const watches = inotifyWatches();

// The watcher's handles do not keep a process alive (the host does that); this script must.
const keepAlive = setInterval(() => {}, 1000);
const changed = new Promise<string[]>((resolve) => (resolveChange = resolve));
const changeStarted = performance.now();
writeFileSync(path.join(root, 'Series 0042', 'New 001.cbz'), 'x');
const paths = await changed;
const changeMs = performance.now() - changeStarted;
await watcher.close();
clearInterval(keepAlive);
const watchesAfterClose = inotifyWatches();
rmSync(path.join(root, 'Series 0042', 'New 001.cbz'), { force: true });
if (!keep) rmSync(root, { recursive: true, force: true });

console.log(
  JSON.stringify(
    {
      tree: { dirs, filesPerDir: files, files: expected, root },
      readyMs: Math.round(readyMs),
      rssGrowthMB: Math.round(((rssAfter - rssBefore) / 1e6) * 10) / 10,
      inotifyWatches: watches === null || watchesBefore === null ? null : watches - watchesBefore,
      inotifyWatchesAfterClose: watchesAfterClose,
      eventLoopDelayWhileStartingMs: { p99: Math.round((loop.percentile(99) / 1e6) * 10) / 10, max: Math.round((loop.max / 1e6) * 10) / 10 },
      oneChange: { ms: Math.round(changeMs), paths, note: 'includes stableMs 400 + debounceMs 200' },
      node: process.version,
    },
    null,
    2,
  ),
);
