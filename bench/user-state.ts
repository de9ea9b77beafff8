// What user.db's durability costs (`npx tsx bench/user-state.ts [--rows 100000] [--writes 400]`):
// a state write with synchronous=FULL (the setting, one WAL fsync per commit) against NORMAL (no
// fsync per commit), opening a user.db of that many rows (quick_check included), and one online backup.
// Separate from `npm run bench`: it measures the disk's fsync more than the engine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ComicIdentity } from '../electron/library/user/comic-state.js';
import { openUserStore } from '../electron/library/user/user-store.js';
import { percentile } from './stats.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, writes: { type: 'string', default: '400' } } });
const ROWS = Number(values.rows);
const WRITES = Number(values.writes);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-bench-user-'));
const comic = (n: number): ComicIdentity => ({ fingerprint: `fp${n}`, root: '/lib', path: `Series/Issue ${n}.cbz`, series: 'Series', number: String(n) });

function summary(label: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `${label.padEnd(44)} p50 ${(percentile(sorted, 50) ?? NaN).toFixed(2)} ms   p95 ${(percentile(sorted, 95) ?? NaN).toFixed(2)} ms   (n=${samples.length})`;
}

try {
  const store = await openUserStore({ dir, backupTimer: false });
  store.updateStates(Array.from({ length: ROWS }, (_, i) => comic(i + 1)), { read: true });
  const timed = (): number[] => {
    const samples: number[] = [];
    for (let i = 0; i < WRITES; i++) {
      const started = performance.now();
      store.updateState(comic((i % ROWS) + 1), { lastPage: i });
      samples.push(performance.now() - started);
    }
    return samples;
  };
  const full = timed();
  store.db.pragma('synchronous = NORMAL');
  const normal = timed();
  store.db.pragma('synchronous = FULL');
  let started = performance.now();
  await store.backupNow('daily');
  const backupMs = performance.now() - started;
  await store.close();
  const size = fs.statSync(path.join(dir, 'user.db')).size;
  started = performance.now();
  const reopened = await openUserStore({ dir, backupTimer: false });
  const openMs = performance.now() - started;
  await reopened.close();

  console.log(`user.db with ${ROWS.toLocaleString('en')} comics (${(size / 1e6).toFixed(1)} MB), ${os.cpus().length} cores, ${dir}`);
  console.log(summary('state write, synchronous=FULL (the setting)', full));
  console.log(summary('state write, synchronous=NORMAL (for scale)', normal));
  console.log(`${'online backup (checked, fsynced)'.padEnd(44)} ${backupMs.toFixed(0)} ms`);
  console.log(`${'open (quick_check, migrations, backup due?)'.padEnd(44)} ${openMs.toFixed(0)} ms`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
