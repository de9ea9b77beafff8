// npm run make-library -- --files N --out DIR [--broken K] [--seed S] [--cbr-every N] [--concurrency N]
// Generates a sample comic library (see electron/library/sample/generate-library.ts).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateLibrary } from './lib/dev-library.js';
import { messageOf } from '../shared/errors.js';

const USAGE = 'usage: npm run make-library -- --files N --out DIR [--broken K] [--seed S] [--cbr-every N] [--concurrency N]';

function toInt(name: string, value: string | undefined, fallback: number | undefined): number {
  if (value === undefined) {
    if (fallback === undefined) throw new Error(`--${name} is required\n${USAGE}`);
    return fallback;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${value}"\n${USAGE}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      files: { type: 'string' },
      out: { type: 'string' },
      broken: { type: 'string' },
      seed: { type: 'string' },
      'cbr-every': { type: 'string' },
      concurrency: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.out === undefined) throw new Error(`--out is required\n${USAGE}`);
  const files = toInt('files', values.files, undefined);
  const out = path.resolve(values.out);
  const isTty = process.stderr.isTTY === true;
  const started = performance.now();
  let lastPrint = 0;
  const result = await generateLibrary({
    out,
    files,
    broken: toInt('broken', values.broken, 0),
    seed: toInt('seed', values.seed, 1),
    cbrEvery: toInt('cbr-every', values['cbr-every'], 20),
    concurrency: toInt('concurrency', values.concurrency, 16),
    onProgress: (done, total) => {
      const now = performance.now();
      if (done !== total && now - lastPrint < (isTty ? 200 : 2000)) return;
      lastPrint = now;
      const seconds = (now - started) / 1000;
      const rate = seconds > 0 ? Math.round(done / seconds) : 0;
      const line = `${done}/${total} files (${Math.floor((done / total) * 100)}%), ${rate} files/s`;
      process.stderr.write(isTty ? `\r${line}   ` : `${line}\n`);
    },
  });
  if (isTty) process.stderr.write('\n');
  const seconds = (performance.now() - started) / 1000;
  if (!result.rarWriter) process.stderr.write('note: scripts/testing/rar-writer.ts not available, every comic is a CBZ\n');
  process.stdout.write(
    `generated ${result.files.length} files (${result.cbr} cbr) + ${result.broken.length} broken in ${seconds.toFixed(1)} s, ${(result.bytes / 1e6).toFixed(1)} MB → ${out}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${messageOf(err)}\n`);
  process.exitCode = 1;
});
