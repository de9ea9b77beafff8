// Per-CB7 listing cost, A/B in one process, rounds interleaved (order alternating):
//   npx tsx bench/seven-zip-listing.ts [--files 20000] [--cb7 200] [--rounds 4]
// over the first --cb7 CB7s of the bench library of --files files (generated if missing: ≥ 20k takes the
// shared lock, `flock /tmp/longbox-bench.lock ...`). "ts-sync": blocking open, fstat, the TypeScript
// header reader (seven-zip-header.ts), close, as the index pass does on a warm cache (index-io.ts);
// "ts-async": the same through fs/promises (a cold cache); both on the caller's thread. "wasm": 7-Zip's
// `l -slt` in 7z-wasm plus parseSevenZipListing, in this thread (what the format worker did per CB7,
// without the message round trip). Wall and process CPU (libuv threads included) per CB7; page cache
// warm (a first untimed pass reads every file).
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openArchiveFileSync } from '../electron/library/archive/open-file.js';
import { readSevenZipHeader } from '../electron/library/archive/seven-zip-header.js';
import { parseSevenZipListing } from '../electron/library/archive/seven-zip-listing.js';
import { sevenZipList } from '../electron/library/archive/seven-zip-wasm.js';
import { ensureLibrary } from './libraries.js';
import { median } from './stats.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAX_ENTRIES = 20_000;

async function listTs(path: string, sync: boolean): Promise<number> {
  const opened = sync ? openArchiveFileSync(path) : await open(path, 'r').then(async (handle) => ({ handle, size: (await handle.stat()).size }));
  try {
    const result = await readSevenZipHeader(opened.handle, opened.size, { maxEntries: MAX_ENTRIES });
    if (result.kind !== 'listed') throw new Error(`${path}: ${result.reason}`);
    return result.entries.length;
  } finally {
    await opened.handle.close();
  }
}

async function listWasm(path: string): Promise<number> {
  const { out } = await sevenZipList(path);
  return parseSevenZipListing(out, MAX_ENTRIES).length;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { files: { type: 'string', default: '20000' }, cb7: { type: 'string', default: '200' }, rounds: { type: 'string', default: '4' } } });
  const library = await ensureLibrary(REPO_ROOT, Number(values.files));
  const paths = library.paths.filter((p) => p.endsWith('.cb7')).slice(0, Number(values.cb7)).map((p) => join(library.root, p));
  for (const path of paths) readFileSync(path);
  const variants: Record<string, (path: string) => Promise<number>> = { 'ts-sync': (p) => listTs(p, true), 'ts-async': (p) => listTs(p, false), wasm: listWasm };
  const names = Object.keys(variants);
  // Untimed: JIT, the WASM module's compile, and both listings equal in entry count.
  for (const path of paths) if ((await listTs(path, true)) !== (await listWasm(path))) throw new Error(`${path}: the listings differ`);
  const wallUs: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const cpuUs: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const rounds = Number(values.rounds);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (const path of paths) await variants[name]!(path);
      wallUs[name]!.push(((performance.now() - started) * 1000) / paths.length);
      const used = process.cpuUsage(cpu);
      cpuUs[name]!.push((used.user + used.system) / paths.length);
    }
  }
  const fmt = (values: number[]) => values.map((v) => v.toFixed(0)).join(' / ');
  console.log(`${paths.length} CB7s of ${library.root}, ${rounds} rounds interleaved`);
  for (const name of names) {
    console.log(`${name.padEnd(8)} per CB7: wall median ${median(wallUs[name]!)!.toFixed(0)} µs (rounds ${fmt(wallUs[name]!)}), CPU median ${median(cpuUs[name]!)!.toFixed(0)} µs`);
  }
}

await main();
