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
    refuseNodefsWrites(module);
    module.FS.mkdir(MOUNT);
    module.FS.mkdir(OUT);
    return { module, out, err };
  })();
  instance.catch(() => {
    instance = null;
  });
  return instance;
}

/** Emscripten's errno for a read-only file system, and the open flags that would write. */
const EROFS = 69;
const WRITE_FLAGS = 0o1 | 0o2 | 0o100 | 0o1000 | 0o2000; // O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND

interface NodefsOps {
  node_ops: Record<string, unknown>;
  stream_ops: Record<string, unknown>;
}

/**
 * The NODEFS mount exposes the comic's real folder. 7-Zip only ever reads it (output goes to the
 * in-memory /out), but a hostile entry name or link must never reach the disk, so every NODEFS
 * operation that could write is refused here (NODEFS is used for nothing else in this module).
 */
export function refuseNodefsWrites(module: SevenZipModule): void {
  const nodefs = module.NODEFS as unknown as NodefsOps;
  const ErrnoError = (module.FS as unknown as { ErrnoError: new (errno: number) => Error }).ErrnoError;
  const refuse = (): never => {
    throw new ErrnoError(EROFS);
  };
  for (const op of ['setattr', 'mknod', 'rename', 'unlink', 'rmdir', 'symlink']) nodefs.node_ops[op] = refuse;
  for (const op of ['write', 'msync']) nodefs.stream_ops[op] = refuse;
  const open = nodefs.stream_ops.open as (this: unknown, stream: { flags: number }) => unknown;
  nodefs.stream_ops.open = function (this: unknown, stream: { flags: number }) {
    if (stream.flags & WRITE_FLAGS) refuse();
    return open.call(this, stream);
  };
}

/** Runs `work` with the folder of `filePath` mounted read-only at /archive (for tests of the guard). */
export async function withReadOnlyMount<T>(filePath: string, work: (module: SevenZipModule, archive: string) => T): Promise<T> {
  return withArchive(filePath, (inst, archive) => work(inst.module, archive));
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

/** Writes a solid 7z archive of `entries` (paths with '/' folders) at compression `level` (0–9), in memory. */
export async function sevenZipCreate(entries: Array<{ name: string; data: Uint8Array }>, level: number): Promise<SevenZipRunResult & { archive: Uint8Array }> {
  const inst = await load();
  inst.out.length = 0;
  inst.err.length = 0;
  const { FS } = inst.module;
  const source = `${OUT}/src`;
  const target = `${OUT}/new.7z`;
  try {
    FS.mkdir(source);
    for (const entry of entries) {
      const parts = entry.name.split('/').filter((part) => part !== '' && part !== '.' && part !== '..');
      let dir = source;
      for (const part of parts.slice(0, -1)) {
        dir = `${dir}/${part}`;
        try {
          FS.mkdir(dir);
        } catch {
          // Already there.
        }
      }
      if (parts.length > 0 && !entry.name.endsWith('/')) FS.writeFile(`${dir}/${parts[parts.length - 1]}`, entry.data);
    }
    FS.chdir(source);
    const rc = inst.module.callMain(['a', '-t7z', `-mx=${Math.max(0, Math.min(9, Math.round(level)))}`, '-ms=on', '-mtm-', '-bd', '-sccUTF-8', '-scsUTF-8', target, '.']) as unknown as number;
    FS.chdir('/');
    const archive = new Uint8Array(FS.readFile(target));
    return { rc: typeof rc === 'number' ? rc : 0, out: [...inst.out], err: [...inst.err], archive };
  } finally {
    FS.chdir('/');
    removeTree(inst, OUT);
  }
}

export function sevenZipHeapBytes(): number {
  // 7z-wasm does not expose its memory. Its heap holds dictionaries and buffers, not the archive or the
  // output (MEMFS keeps files in JS arrays, freed after each call); per-entry size caps bound the rest.
  return 0;
}
