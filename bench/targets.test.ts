import { describe, expect, it } from 'vitest';
import { evaluate, evaluateTargets, SIZE_TARGETS, worst } from './targets.js';
import { sampleReport, sampleSize } from './testing/sample-report.js';

describe('evaluate', () => {
  it('passes at and below an upper limit, fails above it', () => {
    expect(evaluate(1.5, '<=', 2)).toEqual({ pass: true, ratio: 0.75 });
    expect(evaluate(2, '<=', 2)).toEqual({ pass: true, ratio: 1 });
    expect(evaluate(3, '<=', 2)).toEqual({ pass: false, ratio: 1.5 });
  });

  it('passes at and above a lower limit, fails below it', () => {
    expect(evaluate(8000, '>=', 7500).pass).toBe(true);
    expect(evaluate(7500, '>=', 7500)).toEqual({ pass: true, ratio: 1 });
    expect(evaluate(6000, '>=', 7500)).toEqual({ pass: false, ratio: 0.8 });
  });

  it('is not measured (null) for a missing or non-finite value', () => {
    expect(evaluate(null, '<=', 2)).toEqual({ pass: null, ratio: null });
    expect(evaluate(Number.NaN, '<=', 2)).toEqual({ pass: null, ratio: null });
    expect(evaluate(Number.POSITIVE_INFINITY, '>=', 2)).toEqual({ pass: null, ratio: null });
  });

  it('has no ratio against a zero limit', () => {
    expect(evaluate(0, '<=', 0)).toEqual({ pass: true, ratio: null });
  });
});

describe('worst', () => {
  it('takes the highest present value', () => {
    expect(worst(1, null, 3, undefined)).toBe(3);
    expect(worst(null, undefined)).toBeNull();
  });
});

describe('evaluateTargets', () => {
  it('evaluates every size target at every size and the run targets once', () => {
    const report = sampleReport();
    report.sizes = [sampleSize(2002), sampleSize(20_020)];
    const results = evaluateTargets(report);
    const perSize = SIZE_TARGETS.filter((t) => t.minFiles === undefined).length;
    expect(results.filter((r) => r.files === 2002)).toHaveLength(perSize);
    expect(results.filter((r) => r.files === null).map((r) => r.id)).toEqual(['cover-rate']);
    // The 7,500 files/s rate is stated for 100k and not checked below it.
    expect(results.some((r) => r.id === 'index-rate')).toBe(false);
  });

  it('reports pass, fail and ratio from the figures', () => {
    const report = sampleReport();
    const size = sampleSize(100_100);
    size.coldIndex.ratioToFloor = 2.5;
    size.coldIndex.filesPerSecond = 9000;
    size.coldCache!.filesPerSecond = 8000;
    size.rescan.noChangeMs = 1900;
    size.latency.http!.duringRebuild.page_deep = { count: 3, p50: 2, p99: 7, max: 60, mean: 3 };
    report.sizes = [size];
    const byId = new Map(evaluateTargets(report).map((r) => [r.id, r]));
    expect(byId.get('index-ratio')).toMatchObject({ value: 2.5, limit: 2, pass: false, ratio: 1.25 });
    expect(byId.get('cold-index-ratio')).toMatchObject({ value: 1.19, pass: true });
    // The dropped-cache figure decides the rate when it was measured.
    expect(byId.get('index-rate')).toMatchObject({ value: 8000, limit: 7500, pass: true });
    // 100k: the no-change rescan limit is 2 s (0.4 s at 20k).
    expect(byId.get('no-change-rescan')).toMatchObject({ value: 1900, limit: 2000, pass: true });
    // The worst of the two page queries decides.
    expect(byId.get('http-page-p99-rebuilding')).toMatchObject({ value: 7, pass: false });
    expect(byId.get('http-page-max-rebuilding')).toMatchObject({ value: 60, limit: 50, pass: false });
    expect(byId.get('list-page-p99')).toMatchObject({ pass: true });
    expect(byId.get('host-rss')).toMatchObject({ value: 120, pass: true });
    expect(byId.get('cover-rate')).toMatchObject({ value: 0.93, limit: 0.8, pass: true });
  });

  it('uses the smaller rescan limit at 20k and the node start time for the HTTP start limit', () => {
    const report = sampleReport();
    report.nodeStartMs = 120;
    const byId = new Map(evaluateTargets(report).map((r) => [r.id, r]));
    expect(byId.get('no-change-rescan')).toMatchObject({ limit: 400, value: 300, pass: true });
    expect(byId.get('start-first-rows-http')).toMatchObject({ limit: 420, value: 180, pass: true });
  });

  it('marks figures that were not measured (no HTTP host, no covers) as n/a', () => {
    const report = sampleReport();
    const size = sampleSize();
    size.latency.http = null;
    size.eventLoop.httpHostRebuild = null;
    size.startup.httpSpawnToFirstRows = null;
    size.memory.httpHostHwmBytes = null;
    size.coldCache = null;
    report.sizes = [size];
    report.covers = null;
    const results = evaluateTargets(report);
    for (const id of ['cold-index-ratio', 'http-page-p99-rebuilding', 'http-page-max-rebuilding', 'eld-p99-http-host', 'start-first-rows-http', 'host-rss', 'cover-rate']) {
      expect(results.find((r) => r.id === id)).toMatchObject({ value: null, pass: null, ratio: null });
    }
  });
});
