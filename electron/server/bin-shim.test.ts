// bin/longbox.js without a build: a clear message and exit 1 (run from a copy with no out/ beside it).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const shim = fileURLToPath(new URL('../../bin/longbox.js', import.meta.url));

describe('bin/longbox.js', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'longbox-bin-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('says how to build when out/ is missing', () => {
    fs.mkdirSync(path.join(tmp, 'bin'));
    fs.writeFileSync(path.join(tmp, 'package.json'), '{"type":"module"}');
    fs.copyFileSync(shim, path.join(tmp, 'bin', 'longbox.js'));
    const r = spawnSync(process.execPath, [path.join(tmp, 'bin', 'longbox.js'), 'serve'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('Longbox is not built yet: run `npm run build`\n');
    expect(r.stdout).toBe('');
  });
});
