// `npm start [-- <folder> | serve options]`: build, then run the desktop app if Electron can run here,
// otherwise serve the same UI over HTTP with `longbox serve` (forwarding the arguments).
//
// Native module choice. node_modules/better-sqlite3 stays built for Node: the unit tests, the headless
// host and the bench load it. Electron needs a build for its own ABI, so this script keeps a second
// copy, made once per (better-sqlite3, Electron, platform, arch), in
// .cache/electron-native/better_sqlite3-<versions>.node — a prebuilt binary fetched with
// prebuild-install (--runtime electron), or compiled with node-gyp against Electron's headers if no
// prebuilt exists — and hands its path to the app in LONGBOX_SQLITE_BINDING. main.ts passes it as
// LibraryServiceOptions.nativeBinding (better-sqlite3's `new Database(file, { nativeBinding })`), to
// the main process and to the worker. Nothing in node_modules is rebuilt, so `npm test` and `npm start`
// both keep working with no rebuild back and forth. Packaged builds do not need any of this:
// electron-builder rebuilds the packaged copy (npmRebuild: true).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const isWindows = process.platform === 'win32';

function run(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { stdio: 'inherit', cwd: ROOT, shell: isWindows, ...options });
  return result.status === 0;
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** The Electron executable, or a reason why there is none. */
export function findElectron() {
  let binary;
  try {
    // node_modules/electron/index.js returns the executable's path, and throws when the binary was
    // never downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD=1 or an offline install).
    binary = require('electron');
  } catch {
    return { binary: null, reason: 'no Electron binary: installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1 or offline' };
  }
  if (typeof binary !== 'string' || !existsSync(binary)) return { binary: null, reason: `no Electron binary at ${binary}` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { binary: null, reason: 'no display: DISPLAY and WAYLAND_DISPLAY are unset' };
  }
  return { binary, reason: null };
}

/** better-sqlite3 built for this Electron, cached outside node_modules. Returns its path or null. */
function electronSqliteBinding() {
  const electronVersion = readJson(path.join(ROOT, 'node_modules/electron/package.json')).version;
  const sqliteDir = path.join(ROOT, 'node_modules/better-sqlite3');
  const sqliteVersion = readJson(path.join(sqliteDir, 'package.json')).version;
  const { platform, arch } = process;
  const cacheDir = path.join(ROOT, '.cache/electron-native');
  const target = path.join(cacheDir, `better_sqlite3-${sqliteVersion}-electron-${electronVersion}-${platform}-${arch}.node`);
  if (existsSync(target)) return target;

  console.log(`Preparing better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (once; cached in ${path.relative(ROOT, cacheDir)})…`);
  const work = path.join(cacheDir, `work-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  // A private copy of the package (sources and the bundled SQLite amalgamation, not its Node build).
  cpSync(sqliteDir, work, { recursive: true, filter: (src) => !src.startsWith(path.join(sqliteDir, 'build')) && !src.includes(`${path.sep}node_modules${path.sep}`) });
  const built = path.join(work, 'build/Release/better_sqlite3.node');
  try {
    const prebuild = require.resolve('prebuild-install/bin.js');
    const fetched = run(process.execPath, [prebuild, '--runtime', 'electron', '--target', electronVersion, '--arch', arch, '--platform', platform], { cwd: work, shell: false });
    if (!fetched || !existsSync(built)) {
      console.log('No prebuilt binary; compiling with node-gyp against Electron headers (needs Python and a C++ toolchain)…');
      const gyp = require.resolve('node-gyp/bin/node-gyp.js');
      run(process.execPath, [gyp, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers'], { cwd: work, shell: false });
    }
    if (!existsSync(built)) return null;
    copyFileSync(built, target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function runChild(command, childArgs, env) {
  const child = spawn(command, childArgs, { stdio: 'inherit', cwd: ROOT, env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}

function main() {
  if (process.env.LONGBOX_SKIP_BUILD !== '1' && !run(isWindows ? 'npm.cmd' : 'npm', ['run', 'build'])) {
    console.error('Build failed.');
    process.exitCode = 1;
    return;
  }

  const { binary, reason } = findElectron();
  if (!binary) {
    console.log(`Electron cannot run here (${reason}): serving the same UI in your browser instead.`);
    runChild(process.execPath, [path.join(ROOT, 'bin/longbox.js'), 'serve', ...args], process.env);
    return;
  }

  const binding = electronSqliteBinding();
  if (!binding) {
    console.error('Could not get better-sqlite3 for Electron (no prebuilt binary and no compiler). `npm run serve` runs the same UI in a browser.');
    process.exitCode = 1;
    return;
  }
  const env = { ...process.env, LONGBOX_SQLITE_BINDING: binding };
  delete env.ELECTRON_RUN_AS_NODE;
  runChild(binary, ['.', ...args], env);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
