// Summarises a V8 .cpuprofile: self time per function and per file, highest first.
//   npx tsx bench/profile-summary.ts <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

function shortUrl(url: string): string {
  const i = url.indexOf('/work/main/');
  const path = i >= 0 ? url.slice(i + '/work/main/'.length) : url.replace(/^file:\/\//, '');
  return path.replace(/^node_modules\//, 'nm/');
}

export function selfTimes(profile: CpuProfile): { byFunction: SelfTime[]; byFile: SelfTime[]; totalMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    total += us;
    const node = byId.get(id);
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    fn.set(key, (fn.get(key) ?? 0) + us);
    const fileKey = url ? shortUrl(url) : functionName || '(native)';
    file.set(fileKey, (file.get(fileKey) ?? 0) + us);
  });
  const list = (m: Map<string, number>) =>
    [...m.entries()].map(([name, us]) => ({ name, ms: us / 1000, share: total === 0 ? 0 : us / total })).sort((a, b) => b.ms - a.ms);
  return { byFunction: list(fn), byFile: list(file), totalMs: total / 1000 };
}

function main(): void {
  const [path, topArg] = process.argv.slice(2);
  if (!path) {
    process.stderr.write('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [top]\n');
    process.exit(64);
  }
  const top = Number(topArg ?? 25);
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const { byFunction, byFile, totalMs } = selfTimes(profile);
  const line = (s: SelfTime) => `${s.ms.toFixed(0).padStart(8)} ms ${(s.share * 100).toFixed(1).padStart(5)}%  ${s.name}`;
  process.stdout.write(`profile: ${totalMs.toFixed(0)} ms sampled\n\nself time by function:\n`);
  process.stdout.write(byFunction.slice(0, top).map(line).join('\n') + '\n\nself time by file:\n');
  process.stdout.write(byFile.slice(0, 15).map(line).join('\n') + '\n');
}

main();
