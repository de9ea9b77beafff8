// 7-Zip (7z-wasm, the real 7zz compiled to WebAssembly) inside the format worker. The archive is never
// copied into memory: its folder is mounted with Emscripten's NODEFS, which reads the real file with
// positioned reads. Extracted entries land in the in-memory file system, are read once and deleted.
import path from 'node:path';
import { createRequire } from 'node:module';
import type { SevenZipModule, SevenZipModuleFactory } from '7z-wasm';
import type { SevenZipExtractResult, SevenZipRunResult } from './wasm-protocol.js';

// A UMD bundle: its module.exports is the factory (the package's typings describe an ES default export).
const SevenZip = createRequire(import.meta.url)('7z-wasm') as SevenZipModuleFactory;

const MOUNT = '/archive';
const OUT = '/out';

interface Instance {
  module: SevenZipModule;
  out: string[];
  err: string[];
}

let instance: Promise<Instance> | null = null;

function load(): Promise<Instance> {
  instance ??= (async () => {
    const out: string[] = [];
    const err: string[] = [];
    const module = await SevenZip({
      print: (line: string) => out.push(line),
      printErr: (line: string) => err.push(line),
      // 7-Zip must never wait for a password on stdin: every call passes -p, and stdin is at its end.
      stdin: () => null as unknown as number,
    });
    module.FS.mkdir(MOUNT);
    module.FS.mkdir(OUT);
    return { module, out, err };
  })();
  instance.catch(() => {
    instance = null;
  });
  return instance;
}

/** Common switches: a dummy password (never prompt), 7z only, UTF-8 names, no wildcards in names. */
const SWITCHES = ['-plongbox-no-password', '-t7z', '-sccUTF-8', '-scsUTF-8', '-spd', '-bd'];

async function withArchive<T>(filePath: string, work: (inst: Instance, archive: string) => T): Promise<T> {
  const inst = await load();
  inst.out.length = 0;
  inst.err.length = 0;
  const { FS, NODEFS } = inst.module;
  FS.mount(NODEFS, { root: path.dirname(filePath) }, MOUNT);
  try {
    return work(inst, `${MOUNT}/${path.basename(filePath)}`);
  } catch (error) {
    // An abort inside the module leaves it unusable: start a fresh one next time.
    instance = null;
    throw error;
  } finally {
    try {
      FS.unmount(MOUNT);
    } catch {
      instance = null;
    }
  }
}

export async function sevenZipList(filePath: string): Promise<SevenZipRunResult> {
  return withArchive(filePath, (inst, archive) => {
    const rc = inst.module.callMain(['l', '-slt', ...SWITCHES, archive]) as unknown as number;
    return { rc: typeof rc === 'number' ? rc : 0, out: [...inst.out], err: [...inst.err] };
  });
}

function removeTree(inst: Instance, dir: string): void {
  const { FS } = inst.module;
  for (const name of FS.readdir(dir)) {
    if (name === '.' || name === '..') continue;
    const full = `${dir}/${name}`;
    if (FS.isDir(FS.stat(full).mode)) {
      removeTree(inst, full);
      FS.rmdir(full);
    } else FS.unlink(full);
  }
}

export async function sevenZipExtract(filePath: string, names: string[]): Promise<SevenZipExtractResult> {
  return withArchive(filePath, (inst, archive) => {
    const { FS } = inst.module;
    try {
      const rc = inst.module.callMain(['x', ...SWITCHES, '-y', `-o${OUT}`, archive, '--', ...names]) as unknown as number;
      const files: SevenZipExtractResult['files'] = [];
      for (const name of names) {
        try {
          const data = FS.readFile(`${OUT}/${name.replace(/^\/+/, '')}`);
          // A copy that owns its buffer, so it can be transferred to the engine thread.
          files.push({ name, data: new Uint8Array(data) });
        } catch {
          // Not extracted (damaged data, or a name 7-Zip rewrote): the caller reports it.
        }
      }
      return { rc: typeof rc === 'number' ? rc : 0, out: [...inst.out], err: [...inst.err], files };
    } finally {
      removeTree(inst, OUT);
    }
  });
}

export function sevenZipHeapBytes(): number {
  // 7z-wasm does not expose its memory. Its heap holds dictionaries and buffers, not the archive or the
  // output (MEMFS keeps files in JS arrays, freed after each call); per-entry size caps bound the rest.
  return 0;
}
