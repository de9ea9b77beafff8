// The 7z reader mounts the comic's real folder into 7-Zip's WebAssembly file system. Nothing done
// through that mount may change the disk: a hostile entry name or link must find it read-only.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withReadOnlyMount } from './seven-zip-wasm.js';

describe('7-Zip WebAssembly mount of the comic folder', () => {
  let dir: string;
  let file: string;
  const bytes = Buffer.from('not really a 7z, only bytes to read back');

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'longbox-7z-ro-'));
    file = path.join(dir, 'comic.cb7');
    writeFileSync(file, bytes);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the real file', async () => {
    const read = await withReadOnlyMount(file, (module, archive) => Buffer.from(module.FS.readFile(archive)));
    expect(read.equals(bytes)).toBe(true);
  });

  it('refuses to create, overwrite, rename, link or delete anything in the real folder', async () => {
    const attempts = await withReadOnlyMount(file, (module, archive) => {
      const { FS } = module;
      const folder = path.posix.dirname(archive);
      const tries: Array<[string, () => unknown]> = [
        ['create', () => FS.writeFile(`${folder}/escaped.txt`, 'x')],
        ['overwrite', () => FS.writeFile(archive, 'x')],
        ['mkdir', () => FS.mkdir(`${folder}/sub`)],
        ['rename', () => FS.rename(archive, `${folder}/moved.cb7`)],
        ['symlink', () => FS.symlink('/etc/passwd', `${folder}/link`)],
        ['unlink', () => FS.unlink(archive)],
      ];
      return tries.map(([name, run]) => {
        try {
          run();
          return `${name}: allowed`;
        } catch {
          return `${name}: refused`;
        }
      });
    });
    expect(attempts).toEqual(['create', 'overwrite', 'mkdir', 'rename', 'symlink', 'unlink'].map((n) => `${n}: refused`));
    expect(readdirSync(dir)).toEqual(['comic.cb7']);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });
});
