// Preloaded into `longbox serve` by the bench (`node --import <this file> bin/longbox.js serve …`) to
// measure the host's own event-loop delay without changing the host. Each SIGUSR2 writes the window
// since the previous signal (or since start) to $LONGBOX_BENCH_ELD_FILE as JSON and starts a new one.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeFileSync } from 'node:fs';

const file = process.env.LONGBOX_BENCH_ELD_FILE;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  let since = performance.now();
  let seq = 0;
  const ms = (ns) => (Number.isFinite(ns) ? ns / 1e6 : 0);
  // seq 0: the handler is installed (a SIGUSR2 before this would have killed the process).
  writeFileSync(file, JSON.stringify({ seq, p50: 0, p99: 0, max: 0, mean: 0, windowMs: 0 }));
  process.on('SIGUSR2', () => {
    seq++;
    const snapshot = {
      seq,
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
      mean: ms(histogram.mean),
      windowMs: performance.now() - since,
    };
    writeFileSync(file, JSON.stringify(snapshot));
    histogram.reset();
    since = performance.now();
  });
}
