import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchReportSchema, formatReport, validateReport, writeReport } from './report.js';
import { evaluateTargets } from './targets.js';
import { sampleReport } from './testing/sample-report.js';

function withTargets() {
  const report = sampleReport();
  report.targets = evaluateTargets(report);
  return report;
}

describe('report schema', () => {
  it('accepts a valid report', () => {
    const report = withTargets();
    expect(benchReportSchema.safeParse(report).success).toBe(true);
    expect(validateReport(report)).toEqual(report);
  });

  it('accepts a report without HTTP figures or covers', () => {
    const report = sampleReport();
    const size = report.sizes[0]!;
    size.latency.http = null;
    size.eventLoop.httpHostRebuild = null;
    size.startup.httpSpawnToListening = null;
    size.startup.httpSpawnToFirstRows = null;
    size.memory.httpHostHwmBytes = null;
    size.memory.httpWorkerHwmBytes = null;
    report.covers = null;
    report.targets = evaluateTargets(report);
    expect(benchReportSchema.safeParse(report).success).toBe(true);
  });

  it('accepts and prints the page-request figures', () => {
    const report = withTargets();
    const l = { count: 4, p50: 10, p95: 20, p99: 21, max: 22, mean: 12 };
    report.pages = { pagesPerComic: 8, comicsPerFormat: 8, pageBytesMean: 3.2 * 1024 ** 2, cbz: { cold: l, warm: l }, cbr: { cold: l, warm: l }, listWhilePaging: l, listIdle: l };
    expect(validateReport(report)).toEqual(report);
    expect(formatReport(report)).toMatch(/page requests over HTTP \(8-page comics, 3\.2 MB JPEG pages/);
    report.pages.cbz.cold = { ...l, p95: -1 };
    expect(() => validateReport(report)).toThrow(/pages/);
  });

  it('keeps a run whose steps failed: the failed step is an error, the rest is written and printed', () => {
    const report = sampleReport();
    report.pages = null;
    report.covers = null;
    report.errors = [
      { step: 'page requests over HTTP', files: null, message: 'longbox serve did not start' },
      { step: 'worker over 8 rebuilds', files: 20_000, message: 'rebuild 3 failed' },
    ];
    report.sizes[0]!.memory.workerGrowth = null;
    report.sizes[0]!.loadAverage = { start: [4.2, 3, 2], end: [5.1, 4, 3] };
    report.targets = evaluateTargets(report);
    expect(validateReport(report)).toEqual(report);
    const text = formatReport(report);
    expect(text).toMatch(/ERROR in step "page requests over HTTP": longbox serve did not start/);
    expect(text).toMatch(/ERROR in step "worker over 8 rebuilds" @ 20,000: rebuild 3 failed/);
    expect(text).toMatch(/load average at start \/ end \(1 min\)\s+4\.2 \/ 5\.1/);
    // Every size failing still gives a report (with no size columns).
    report.sizes = [];
    report.targets = evaluateTargets(report);
    expect(validateReport(report).sizes).toEqual([]);
  });

  it('prints the worker over several rebuilds', () => {
    const report = withTargets();
    report.sizes[0]!.memory.workerGrowth = { rebuilds: 8, hwmAfterFirstBytes: 200 * 1024 ** 2, hwmAfterLastBytes: 210 * 1024 ** 2, rssAfterEachBytes: [150 * 1024 ** 2], rebuildMs: [1000] };
    expect(validateReport(report)).toEqual(report);
    expect(formatReport(report)).toMatch(/worker VmHWM after N rebuilds\s+210 MB \(N=8\)/);
  });

  it('rejects a missing section, a wrong type, a negative time and unknown keys', () => {
    const missing = withTargets() as unknown as Record<string, unknown>;
    delete missing.machine;
    expect(() => validateReport(missing)).toThrow(/machine/);

    const wrongType = withTargets();
    (wrongType.sizes[0]!.coldIndex as unknown as Record<string, unknown>).ms = '2400';
    expect(() => validateReport(wrongType)).toThrow(/sizes\.0\.coldIndex\.ms/);

    const negative = withTargets();
    negative.sizes[0]!.baselines.walkMs = -1;
    expect(() => validateReport(negative)).toThrow(/walkMs/);

    const extra = withTargets() as unknown as Record<string, unknown>;
    extra.surprise = true;
    expect(() => validateReport(extra)).toThrow();
  });

  it('rejects inconsistent figures: p99 above max, pass without a value, a bad git hash', () => {
    const badSummary = withTargets();
    badSummary.sizes[0]!.latency.inProcess.idle.page_first = { count: 2, p50: 1, p99: 5, max: 2, mean: 1.5 };
    expect(() => validateReport(badSummary)).toThrow(/p50 ≤ p99 ≤ max/);

    const badTarget = withTargets();
    badTarget.targets[0] = { ...badTarget.targets[0]!, value: null, pass: true };
    expect(() => validateReport(badTarget)).toThrow(/pass is null/);

    const badGit = withTargets();
    badGit.machine.gitHead = 'not-a-hash';
    expect(() => validateReport(badGit)).toThrow(/gitHead/);

    const noSizes = withTargets();
    noSizes.sizes = [];
    expect(() => validateReport(noSizes)).toThrow(/sizes/);
  });

  it('writes only valid reports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
    try {
      const file = join(dir, 'nested', 'latest.json');
      writeReport(file, withTargets());
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(withTargets());
      const broken = withTargets();
      broken.nodeStartMs = Number.NaN;
      expect(() => writeReport(join(dir, 'broken.json'), broken)).toThrow(/nodeStartMs/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('formatReport', () => {
  it('prints every size, the floor ratio and the target verdicts', () => {
    const text = formatReport(withTargets());
    expect(text).toContain('20,020 files');
    expect(text).toContain('physical floor (sum)');
    expect(text).toContain('1.60×');
    expect(text).toMatch(/PASS +listComics page of 100/);
    expect(text).toContain('cover thumbnails');
  });
});
