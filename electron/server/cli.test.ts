import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LongboxError } from '../../shared/errors.js';
import type { CacheStatus, LibraryEvent } from '../../shared/types.js';
import { silentLogger } from '../library/logger.js';
import type { LibraryServiceOptions } from '../library/service-options.js';
import type { LibraryServiceApi } from '../library/service-types.js';
import { main, type CliDeps, type SampleLibraryOptions } from './cli.js';
import { formatDuration, formatProgress, ProgressReporter } from './progress.js';
import { EmptyBrowse } from './testing/empty-browse.js';
import { rawRequest } from './testing/raw-http.js';
import { emptyCacheStatus } from '../../shared/status.js';

function status(over: Partial<CacheStatus> = {}): CacheStatus {
  return { ...emptyCacheStatus(), library_root: '/lib', ...over };
}

/** Test double of LibraryServiceApi for the CLI: a scripted rebuild that emits progress. */
class ScriptedLibraryService extends EmptyBrowse implements LibraryServiceApi {
  current: CacheStatus;
  readonly listeners = new Set<(event: LibraryEvent) => void>();
  closed = 0;
  refreshReasons: string[] = [];
  private idle: Promise<void> = Promise.resolve();

  constructor(
    readonly options: LibraryServiceOptions,
    private readonly failWith: string | null = null,
    coldStart = false,
  ) {
    super();
    this.current = status({ library_root: options.root });
    // Like the real service: a library without a generation starts its first rebuild on open.
    if (coldStart) this.refresh('cold-start');
  }
  get root(): string {
    return this.options.root;
  }
  getStatus(): CacheStatus {
    return this.current;
  }
  private set(s: CacheStatus): void {
    this.current = s;
    for (const l of this.listeners) l({ type: 'status', status: s });
  }
  async retryComic(): Promise<void> {
    this.refresh('retry');
  }
  refresh(reason?: string): CacheStatus {
    this.refreshReasons.push(reason ?? '');
    this.idle = (async () => {
      for (let done = 0; done <= 40; done += 10) {
        this.set(
          status({
            library_root: this.root,
            rebuild_in_progress: true,
            phase: done < 40 ? 'enriching' : 'swapping',
            progress: { done, total: 40, files_per_second: 400, eta_seconds: (40 - done) / 400 },
          }),
        );
        await new Promise((r) => setTimeout(r, 5));
      }
      this.set(
        this.failWith
          ? status({ library_root: this.root, last_error: { message: this.failWith, code: 'ROOT_UNREADABLE', at: Date.now() } })
          : status({
              library_root: this.root,
              is_populated: true,
              file_count: 40,
              error_count: 2,
              generation: 1,
              last_duration_ms: 1234,
              age_seconds: 0,
            }),
      );
    })();
    return this.current;
  }
  listComics(): never {
    throw new LongboxError('UNSUPPORTED', 'not in this double');
  }
  getComic(): never {
    throw new LongboxError('UNSUPPORTED', 'not in this double');
  }
  getCover(): never {
    throw new LongboxError('UNSUPPORTED', 'not in this double');
  }
  getComicPath(): never {
    throw new LongboxError('UNSUPPORTED', 'not in this double');
  }
  listPages(): never {
    throw new LongboxError('UNSUPPORTED', 'not in this double');
  }
  getPage(): never {
    throw new LongboxError('UNSUPPORTED', 'not in this double');
  }
  getFingerprint(): never {
    throw new LongboxError('UNSUPPORTED', 'not in this double');
  }
  setUserState(): never {
    throw new LongboxError('UNSUPPORTED', 'not in this double');
  }
  getReaderSettings(): never {
    throw new LongboxError('UNSUPPORTED', 'not in this double');
  }
  setReaderSettings(): never {
    throw new LongboxError('UNSUPPORTED', 'not in this double');
  }
  exportUserState(): never {
    throw new LongboxError('UNSUPPORTED', 'not in this double');
  }
  importUserState(): never {
    throw new LongboxError('UNSUPPORTED', 'not in this double');
  }
  listOrphans(): never {
    throw new LongboxError('UNSUPPORTED', 'not in this double');
  }
  pruneOrphans(): never {
    throw new LongboxError('UNSUPPORTED', 'not in this double');
  }
  subscribe(listener: (event: LibraryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  whenIdle(): Promise<void> {
    return this.idle;
  }
  async close(): Promise<void> {
    this.closed++;
  }
}

interface Harness {
  deps: CliDeps;
  out: string[];
  err: string[];
  services: ScriptedLibraryService[];
  generated: SampleLibraryOptions[];
  stop(): void;
}

function harness(
  opts: { failWith?: string; isTTY?: boolean; staticDir?: string; openError?: Error; coldStart?: boolean } = {},
): Harness {
  const out: string[] = [];
  const err: string[] = [];
  const services: ScriptedLibraryService[] = [];
  const generated: SampleLibraryOptions[] = [];
  let stop!: () => void;
  const stopped = new Promise<string>((resolve) => (stop = () => resolve('SIGTERM')));
  const deps: CliDeps = {
    stdout: (t) => out.push(t),
    stderr: { write: (t) => err.push(t), isTTY: opts.isTTY ?? false },
    env: {},
    logger: silentLogger,
    staticDir: opts.staticDir ?? path.join(tmp, 'no-renderer'),
    async openService(options) {
      if (opts.openError) throw opts.openError;
      const s = new ScriptedLibraryService(options, opts.failWith ?? null, opts.coldStart ?? false);
      services.push(s);
      return s;
    },
    async generateSampleLibrary(options) {
      generated.push(options);
      fs.writeFileSync(path.join(options.out, 'Sample 001.cbz'), 'x');
    },
    waitForStop: () => stopped,
  };
  return { deps, out, err, services, generated, stop };
}

let tmp: string;
let lib: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'longbox-cli-'));
  lib = path.join(tmp, 'lib');
  fs.mkdirSync(lib);
  fs.writeFileSync(path.join(tmp, 'file.txt'), 'not a folder');
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function waitForLine(h: Harness): Promise<string> {
  for (let i = 0; i < 500 && h.out.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  expect(h.out).toHaveLength(1);
  return h.out[0];
}

describe('longbox serve (in process, with a test double service)', () => {
  it('refuses a non-loopback host without a token (exit 2) before opening anything', async () => {
    const h = harness();
    expect(await main(['serve', lib, '--host', '0.0.0.0'], h.deps)).toBe(2);
    expect(h.err.join('')).toMatch(/refusing to serve on '0.0.0.0' without a token/);
    expect(h.services).toHaveLength(0);
    expect(h.out).toHaveLength(0);
  });

  it('refuses a missing folder or a file (exit 2)', async () => {
    const h = harness();
    expect(await main(['serve', path.join(tmp, 'nope')], h.deps)).toBe(2);
    expect(h.err.join('')).toMatch(/no such folder/);
    expect(await main(['serve', path.join(tmp, 'file.txt')], h.deps)).toBe(2);
    expect(h.err.join('')).toMatch(/not a folder/);
    expect(h.services).toHaveLength(0);
  });

  it('prints one line with the URL, serves the API, and closes the service on SIGTERM', async () => {
    const h = harness();
    const dataHome = path.join(tmp, 'home1');
    const done = main(['serve', lib, '--port', '0', '--data-dir', dataHome, '--no-watch'], h.deps);
    const line = await waitForLine(h);
    const m = /^Longbox serving (.+) at http:\/\/127\.0\.0\.1:(\d+)\n$/.exec(line);
    expect(m).not.toBeNull();
    expect(m?.[1]).toBe(lib);
    const port = Number(m?.[2]);
    const res = await rawRequest(port, { path: '/api/cache/stats' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ enriched_file_cache: { library_root: lib } });
    const [service] = h.services;
    expect(service.options).toMatchObject({ root: lib, watch: false });
    expect(path.dirname(path.dirname(service.options.dataDir))).toBe(dataHome);
    expect(fs.existsSync(service.options.dataDir)).toBe(true);
    h.stop();
    expect(await done).toBe(0);
    expect(service.closed).toBe(1);
  });

  it('appends ?token= to the URL when a token is set', async () => {
    const h = harness();
    const done = main(['serve', lib, '--port', '0', '--data-dir', path.join(tmp, 'home2'), '--token', 'tok/en'], h.deps);
    const line = await waitForLine(h);
    expect(line).toMatch(/^Longbox serving .+ at http:\/\/127\.0\.0\.1:\d+\?token=tok%2Fen\n$/);
    h.stop();
    expect(await done).toBe(0);
  });

  it('generates the sample library once when no folder is given', async () => {
    const dataHome = path.join(tmp, 'home3');
    for (const expectGenerated of [1, 0]) {
      const h = harness();
      const done = main(['serve', '--port', '0', '--data-dir', dataHome], h.deps);
      const line = await waitForLine(h);
      expect(line).toContain(`Longbox serving ${path.join(dataHome, 'sample-library')} at`);
      expect(h.generated).toHaveLength(expectGenerated);
      if (expectGenerated) expect(h.generated[0]).toMatchObject({ files: 300, broken: 3, seed: 1 });
      h.stop();
      expect(await done).toBe(0);
    }
    expect(fs.readdirSync(path.join(dataHome, 'sample-library'))).toEqual(['Sample 001.cbz']);
    expect(fs.readdirSync(dataHome).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('exits 1 with a one-line message when the service refuses to open', async () => {
    const h = harness({ openError: new LongboxError('DB_FROM_FUTURE', 'library.db is from a newer Longbox') });
    expect(await main(['serve', lib, '--port', '0', '--data-dir', path.join(tmp, 'home6')], h.deps)).toBe(1);
    expect(h.err.join('')).toBe('longbox: library.db is from a newer Longbox (DB_FROM_FUTURE)\n');
    expect(h.out).toHaveLength(0);
  });

  it('exits 1 when the port is taken, closing the service', async () => {
    const first = harness();
    const running = main(['serve', lib, '--port', '0', '--data-dir', path.join(tmp, 'home4')], first.deps);
    const port = /:(\d+)\n$/.exec(await waitForLine(first))?.[1] ?? '';
    const second = harness();
    expect(await main(['serve', lib, '--port', port, '--data-dir', path.join(tmp, 'home4')], second.deps)).toBe(1);
    expect(second.services[0].closed).toBe(1);
    first.stop();
    expect(await running).toBe(0);
  });
});

describe('longbox scan (in process, with a test double service)', () => {
  it('refreshes without watching, waits for idle, prints a summary and plain progress lines', async () => {
    const h = harness();
    expect(await main(['scan', lib, '--data-dir', path.join(tmp, 'home5')], h.deps)).toBe(0);
    const [service] = h.services;
    expect(service.options).toMatchObject({ watch: false, rebuildOnOpen: false });
    expect(service.refreshReasons).toHaveLength(1);
    expect(service.closed).toBe(1);
    expect(h.out.join('')).toBe(`Scanned ${lib}\n  40 files, 2 with errors, generation 1 in 1.2 s\n`);
    const progress = h.err.join('');
    expect(progress).toMatch(/^enriching 0\/40 0% 400 files\/s ETA 0:00\n/);
    expect(progress).toMatch(/swapping 40\/40 100%/);
    expect(progress).not.toContain('\r');
  });

  it('does not queue a second rebuild when opening already started the first one (cold start)', async () => {
    const h = harness({ coldStart: true });
    expect(await main(['scan', lib, '--data-dir', path.join(tmp, 'home7')], h.deps)).toBe(0);
    expect(h.services[0].refreshReasons).toEqual(['cold-start']);
    expect(h.out.join('')).toMatch(/40 files/);
  });

  it('prints the status as JSON with --json', async () => {
    const h = harness();
    expect(await main(['scan', lib, '--json', '--data-dir', path.join(tmp, 'home5')], h.deps)).toBe(0);
    expect(JSON.parse(h.out.join(''))).toMatchObject({ file_count: 40, generation: 1, rebuild_in_progress: false });
  });

  it('draws a bar on a TTY', async () => {
    const h = harness({ isTTY: true });
    expect(await main(['scan', lib, '--data-dir', path.join(tmp, 'home5')], h.deps)).toBe(0);
    const progress = h.err.join('');
    expect(progress).toContain('\r[');
    expect(progress.endsWith('\r\x1b[K')).toBe(true);
  });

  it('exits 1 when this run failed', async () => {
    const h = harness({ failWith: 'library folder is offline' });
    expect(await main(['scan', lib, '--data-dir', path.join(tmp, 'home5')], h.deps)).toBe(1);
    expect(h.out.join('')).toMatch(/^Scan of .+ failed: library folder is offline\n/);
  });

  it('needs an existing folder', async () => {
    const h = harness();
    expect(await main(['scan', path.join(tmp, 'nope')], h.deps)).toBe(2);
    expect(await main(['scan'], h.deps)).toBe(2);
    expect(h.err.join('')).toMatch(/no such folder[\s\S]*needs a folder/);
  });
});

describe('help', () => {
  it('prints help to stdout with exit 0, or to stderr with exit 2 when no command is given', async () => {
    const h = harness();
    expect(await main(['--help'], h.deps)).toBe(0);
    expect(h.out.join('')).toMatch(/Usage: longbox <command>/);
    expect(await main([], h.deps)).toBe(2);
    expect(h.err.join('')).toMatch(/Usage: longbox <command>/);
  });
});

describe('progress formatting', () => {
  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3725)).toBe('1:02:05');
  });

  it('formats a bar and the phase without progress', () => {
    const s = status({
      rebuild_in_progress: true,
      phase: 'scanning',
      progress: { done: 50, total: 200, files_per_second: 1234.4, eta_seconds: 90 },
    });
    expect(formatProgress(s, 8)).toBe('[##......] scanning 50/200 25% 1234 files/s ETA 1:30');
    expect(formatProgress(status({ phase: 'writing' }), 8)).toBe('writing');
    const counting = status({ phase: 'scanning', progress: { done: 12, total: 0, files_per_second: 0, eta_seconds: null } });
    expect(formatProgress(counting, 0)).toBe('scanning 12 files');
  });

  it('throttles redraws but always shows a phase change', () => {
    const lines: string[] = [];
    let now = 0;
    const r = new ProgressReporter({ write: (t) => lines.push(t), isTTY: false }, () => now);
    const p = (phase: CacheStatus['phase']) =>
      status({ rebuild_in_progress: true, phase, progress: { done: 1, total: 2, files_per_second: 1, eta_seconds: 1 } });
    r.update(p('scanning'));
    now = 10;
    r.update(p('scanning'));
    r.update(p('enriching'));
    now = 2000;
    r.update(p('enriching'));
    r.update(status());
    expect(lines).toHaveLength(3);
  });
});
