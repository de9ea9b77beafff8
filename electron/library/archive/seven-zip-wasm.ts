// 7-Zip (7z-wasm, the real 7zz compiled to WebAssembly) inside the format worker. The archive is never
// copied into memory: its folder is mounted with Emscripten's NODEFS, which reads the real file with
// positioned reads. Extracted entries land in the in-memory file system, are read once and deleted.
import { readFileSync } from 'node:fs';
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
  /** Runs 7-Zip's main with `args`, giving back the stack it used (see below). */
  main(args: string[]): number;
}

/** The WebAssembly exports used to keep the stack balanced across calls. */
interface StackExports {
  emscripten_stack_get_current(): number;
  _emscripten_stack_restore(pointer: number): void;
}

/**
 * 7z-wasm's callMain puts argv on the WebAssembly stack and never pops it (main "exits" by throwing),
 * so about 300 calls overflow the 64 KiB stack and the module dies ("memory access out of bounds").
 * Each call restores the stack pointer it started with; as a second guard the module is replaced every
 * CALLS_PER_INSTANCE calls and after any WebAssembly trap.
 */
const CALLS_PER_INSTANCE = 2000;
let calls = 0;

let instance: Promise<Instance> | null = null;
/** The WebAssembly API used here (the project's type libraries declare no WebAssembly values). */
interface WasmInstance {
  exports: unknown;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  instantiate(module: object, imports: object): Promise<WasmInstance>;
  RuntimeError: new (message?: string) => Error;
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: object | null = null;

/** 7zz.wasm compiled once per thread; each new instance reuses it. */
function wasmModule(): object {
  compiled ??= new Wasm.Module(readFileSync(createRequire(import.meta.url).resolve('7z-wasm/7zz.wasm')));
  return compiled;
}

/** Runs `work` once more on a fresh module when the first attempt trapped (a dead module, not a bad file). */
async function retryOnTrap<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof Wasm.RuntimeError)) throw error;
    instance = null;
    return await work();
  }
}

function load(): Promise<Instance> {
  instance ??= (async () => {
    const out: string[] = [];
    const err: string[] = [];
    let exports: StackExports | null = null;
    const options = {
      print: (line: string) => out.push(line),
      printErr: (line: string) => err.push(line),
      // 7-Zip must never wait for a password on stdin: every call passes -p, and stdin is at its end.
      stdin: () => null as unknown as number,
      // Instantiated here to keep hold of the exports (the module object does not expose them).
      instantiateWasm(imports: object, done: (instance: WasmInstance) => void) {
        void Wasm.instantiate(wasmModule(), imports).then((instance) => {
          exports = instance.exports as unknown as StackExports;
          done(instance);
        });
        return {};
      },
    };
    const module = await SevenZip(options as unknown as Parameters<typeof SevenZip>[0]);
    // 7-Zip restores each entry's stored Unix mode, and archives made from files with mode 000 (or a
    // read-only folder without x) are common enough: Emscripten's permission checks would then refuse
    // to read back the page just extracted. Only the in-memory /out is ever read or written through it;
    // the real disk's permissions still apply to the NODEFS mount, whose writes are refused below.
    (module.FS as unknown as { ignorePermissions: boolean }).ignorePermissions = true;
    refuseNodefsWrites(module);
    module.FS.mkdir(MOUNT);
    module.FS.mkdir(OUT);
    calls = 0;
    const main = (args: string[]): number => {
      const stack = exports?.emscripten_stack_get_current();
      try {
        const rc = module.callMain(args) as unknown as number;
        return typeof rc === 'number' ? rc : 0;
      } finally {
        if (stack !== undefined) exports?._emscripten_stack_restore(stack);
        if (++calls >= CALLS_PER_INSTANCE) instance = null;
      }
    };
    return { module, out, err, main };
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
  return retryOnTrap(() => withArchive(filePath, (inst, archive) => {
    const rc = inst.main(['l', '-slt', ...SWITCHES, archive]);
    return { rc, out: [...inst.out], err: [...inst.err] };
  }));
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
  return retryOnTrap(() => withArchive(filePath, (inst, archive) => {
    const { FS } = inst.module;
    try {
      const rc = inst.main(['x', ...SWITCHES, '-y', `-o${OUT}`, archive, '--', ...names]);
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
      return { rc, out: [...inst.out], err: [...inst.err], files };
    } finally {
      removeTree(inst, OUT);
    }
  }));
}

/** Writes a solid 7z archive of `entries` (paths with '/' folders) at compression `level` (0–9), in memory. */
export async function sevenZipCreate(entries: Array<{ name: string; data: Uint8Array }>, level: number): Promise<SevenZipRunResult & { archive: Uint8Array }> {
  return retryOnTrap(() => createOnce(entries, level));
}

async function createOnce(entries: Array<{ name: string; data: Uint8Array }>, level: number): Promise<SevenZipRunResult & { archive: Uint8Array }> {
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
    const rc = inst.main(['a', '-t7z', `-mx=${Math.max(0, Math.min(9, Math.round(level)))}`, '-ms=on', '-mtm-', '-bd', '-sccUTF-8', '-scsUTF-8', target, '.']);
    FS.chdir('/');
    const archive = new Uint8Array(FS.readFile(target));
    return { rc, out: [...inst.out], err: [...inst.err], archive };
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
