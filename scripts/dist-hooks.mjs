// electron-builder hooks for `npm run dist` (electron-builder.yml: beforePack).
//
// electron-builder's own native rebuild (npmRebuild) runs @electron/rebuild in the app directory, which
// is this project's root: it would rebuild the working tree's node_modules/better-sqlite3 for
// Electron's ABI, after which `npm test`, `longbox serve` and the bench fail with NODE_MODULE_VERSION
// until a manual `npm rebuild`. So npmRebuild is off, and this hook makes the Electron build of
// better-sqlite3 for the target platform and arch in its own copy (the same code as `npm start`,
// scripts/lib/electron-desktop.mjs) and puts it in .cache/electron-native/package/<arch>/, which
// electron-builder.yml's extraResources copy to <resources>/native/. The packaged main process hands
// that file to better-sqlite3 as its nativeBinding (electron/native-binding.ts). The packaged
// node_modules/better-sqlite3 keeps only its JavaScript.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { electronPackageDir, electronSqliteBinding, electronVersion, nativeCacheDir } from './lib/electron-desktop.mjs';

/** electron-builder's Arch enum (builder-util): ia32 = 0, x64 = 1, armv7l = 2, arm64 = 3, universal = 4. */
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

export function archName(arch) {
  return typeof arch === 'string' ? arch : (ARCH_NAMES[arch] ?? String(arch));
}

/** Where the hook leaves the binding for one arch; extraResources reads `.cache/electron-native/package/${arch}`. */
export function packagedBindingDir(arch, env = process.env) {
  return path.join(nativeCacheDir(env), 'package', archName(arch));
}

/**
 * beforePack: context = { electronPlatformName, arch, packager } (electron-builder's BeforePackContext).
 * Throws (which stops packaging) when no Electron build can be made: an installer that cannot open
 * its library is worse than no installer.
 */
export async function beforePack(context, options = {}) {
  const env = options.env ?? process.env;
  const arch = archName(context.arch);
  if (arch === 'universal') throw new Error('Longbox: universal macOS builds are not supported; build x64 and arm64 separately.');
  const platform = context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName;
  const electron = context.packager?.config?.electronVersion ?? electronVersion(electronPackageDir(env));
  const { binding, log } = (options.makeBinding ?? electronSqliteBinding)({
    electronVersion: electron,
    platform,
    arch,
    env,
    cacheDir: nativeCacheDir(env),
    onProgress: (line) => console.log(`  • ${line}`),
  });
  if (!binding) throw new Error(`Longbox: could not build better-sqlite3 for Electron ${electron} ${platform}-${arch} (see ${log}).`);
  const dir = packagedBindingDir(arch, env);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(binding, path.join(dir, 'better_sqlite3.node'));
  console.log(`  • better-sqlite3 for Electron ${electron} ${platform}-${arch}: ${path.join(dir, 'better_sqlite3.node')}`);
}

export default beforePack;
