// What a rebuild's memory consists of, phase by phase (bench/profile-rebuild.ts): the process's RSS every
// 20 ms, and at each phase change and each new RSS peak (at most every 250 ms) what it consisted of:
// this isolate's V8 heap (used / committed), external memory, the WebAssembly memories of every thread
// (7-Zip's and PDFium's heaps live in the format worker's isolate, so they are found in /proc/self/smaps
// as the ≥ 1 GiB reservations V8 makes for each wasm memory), and the rest (SQLite's caches and sorters,
// malloc, code, the other threads' V8 heaps).
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

const MB = 1024 ** 2;
const WASM_RESERVATION_KB = 1024 * 1024;

/**
 * Resident bytes of the wasm memories: V8 reserves a guard region of several GiB for each one, so a
 * memory shows in /proc/self/smaps as a read-write mapping followed at once by a ≥ 1 GiB `---p` one.
 */
export function wasmResidentBytes(): number | null {
  let text: string;
  try {
    text = readFileSync('/proc/self/smaps', 'utf8');
  } catch {
    return null;
  }
  interface Vma {
    start: bigint;
    end: bigint;
    perms: string;
    sizeKb: number;
    rssKb: number;
  }
  const vmas: Vma[] = [];
  for (const line of text.split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) /.exec(line);
    if (header) vmas.push({ start: BigInt('0x' + header[1]), end: BigInt('0x' + header[2]), perms: header[3]!, sizeKb: 0, rssKb: 0 });
    else if (line.startsWith('Size:')) vmas.at(-1)!.sizeKb = Number(line.slice(5).trim().split(/\s+/)[0]);
    else if (line.startsWith('Rss:')) vmas.at(-1)!.rssKb = Number(line.slice(4).trim().split(/\s+/)[0]);
  }
  let total = 0;
  for (let i = 0; i + 1 < vmas.length; i++) {
    const vma = vmas[i]!;
    const next = vmas[i + 1]!;
    if (vma.perms.startsWith('rw') && next.start === vma.end && next.perms === '---p' && next.sizeKb >= WASM_RESERVATION_KB) total += vma.rssKb * 1024;
  }
  return total;
}

interface Sample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  wasm: number | null;
}

function sample(withWasm: boolean): Sample {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, wasm: withWasm ? wasmResidentBytes() : null };
}

interface PhasePeak {
  name: string;
  atStart: Sample;
  /** The sample at the phase's highest RSS that has a wasm figure. */
  peak: Sample;
  maxRss: number;
  maxHeapUsed: number;
}

export class MemorySampler {
  #phases: PhasePeak[] = [];
  #timer: NodeJS.Timeout | undefined;
  #lastDetailed = 0;
  readonly #gc: (() => void) | null;

  /** `gcAtPhases`: a full GC before each phase's first sample, so "heap used at start" is what is live (changes the peaks). */
  constructor(options: { gcAtPhases?: boolean } = {}) {
    if (options.gcAtPhases) {
      v8.setFlagsFromString('--expose-gc');
      this.#gc = runInNewContext('gc') as () => void;
    } else this.#gc = null;
  }

  start(name: string): void {
    this.phase(name);
    this.#timer = setInterval(() => this.#tick(), 20);
  }

  phase(name: string): void {
    this.#gc?.();
    const s = sample(true);
    this.#lastDetailed = performance.now();
    this.#phases.push({ name, atStart: s, peak: s, maxRss: s.rss, maxHeapUsed: s.heapUsed });
  }

  #tick(): void {
    const current = this.#phases.at(-1);
    if (!current) return;
    const rss = process.memoryUsage.rss();
    const quick = process.memoryUsage();
    current.maxHeapUsed = Math.max(current.maxHeapUsed, quick.heapUsed);
    if (rss <= current.maxRss) return;
    current.maxRss = rss;
    // A detailed sample (smaps) when the peak rose, at most every 250 ms (reading smaps costs ≈ 1 ms).
    if (performance.now() - this.#lastDetailed < 250) return;
    this.#lastDetailed = performance.now();
    current.peak = sample(true);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#tick();
  }

  report(): string {
    const mb = (b: number | null) => (b === null ? '?' : (b / MB).toFixed(0));
    const lines = ['memory by phase (MB): rss at start → peak | at the sampled peak: heap used / committed, external, wasm, rest'];
    for (const p of this.#phases) {
      const k = p.peak;
      const rest = k.rss - k.heapTotal - k.external - (k.wasm ?? 0);
      lines.push(
        `  ${p.name.padEnd(10)} rss ${mb(p.atStart.rss)} → ${mb(p.maxRss)} (heap used at start ${mb(p.atStart.heapUsed)}, max ${mb(p.maxHeapUsed)})` +
          ` | rss ${mb(k.rss)}: heap ${mb(k.heapUsed)} / ${mb(k.heapTotal)}, external ${mb(k.external)}, wasm ${mb(k.wasm)}, rest ${mb(rest)}`,
      );
    }
    return lines.join('\n') + '\n';
  }
}
