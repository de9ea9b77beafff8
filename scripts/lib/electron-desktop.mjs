// What `npm start`, the postinstall step and the packaging hook need to know about Electron and the
// Electron build of better-sqlite3, as plain functions with their inputs passed in (tested in Node by
// scripts/lib/electron-desktop.test.ts with a stand-in Electron package; no Electron binary needed).
//
// Test hooks (environment): LONGBOX_ELECTRON_DIR points at another `electron` package folder (a
// stand-in whose dist/ holds a recording script), LONGBOX_ELECTRON_NATIVE_DIR at another cache folder,
// LONGBOX_ELECTRON_HEADERS_URL at another Electron headers server (also usable as a mirror).
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, openSync, closeSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

export const DEFAULT_HEADERS_URL = 'https://electronjs.org/headers';

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** The `electron` package folder: LONGBOX_ELECTRON_DIR, else the one node_modules resolves. Null if not installed. */
export function electronPackageDir(env = process.env) {
  if (env.LONGBOX_ELECTRON_DIR) return path.resolve(env.LONGBOX_ELECTRON_DIR);
  try {
    return path.dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
}

export function electronVersion(dir) {
  return readJson(path.join(dir, 'package.json')).version;
}

/**
 * The Electron executable through the package's own index.js (path.txt + dist/, and
 * ELECTRON_OVERRIDE_DIST_PATH), or null when the binary was never downloaded.
 */
export function electronExecutable(dir) {
  if (!dir) return null;
  let binary;
  try {
    binary = require(path.join(dir, 'index.js'));
  } catch {
    return null; // index.js throws when path.txt is missing: the download never happened
  }
  return typeof binary === 'string' && existsSync(binary) ? binary : null;
}

/** The Electron executable if Electron can run here, or the reason it cannot. */
export function findElectron({ env = process.env, platform = process.platform, dir = electronPackageDir(env) } = {}) {
  if (!dir) return { binary: null, reason: 'the electron package is not installed' };
  const binary = electronExecutable(dir);
  if (!binary) return { binary: null, reason: "no Electron binary: it was never downloaded, offline or with ELECTRON_SKIP_BINARY_DOWNLOAD set; `npm run get-electron` fetches it" };
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { binary: null, reason: 'no display: DISPLAY and WAYLAND_DISPLAY are unset' };
  }
  return { binary, reason: null };
}

/**
 * Linux: Electron aborts at start ("The SUID sandbox helper binary was found, but is not configured
 * correctly") when the kernel forbids unprivileged user namespaces (Ubuntu 24.04+: AppArmor's
 * apparmor_restrict_unprivileged_userns = 1, or user.max_user_namespaces = 0) and chrome-sandbox is
 * not root-owned with mode 4755. Returns what to do, or null when Electron's sandbox can start.
 * We never run Electron with --no-sandbox.
 */
export function sandboxProblem({ platform = process.platform, binary, readText = defaultReadText, statFile = defaultStat }) {
  if (platform !== 'linux' || !binary) return null;
  const restricted = readText('/proc/sys/kernel/apparmor_restrict_unprivileged_userns')?.trim() === '1';
  const noNamespaces = readText('/proc/sys/user/max_user_namespaces')?.trim() === '0';
  if (!restricted && !noNamespaces) return null;
  const helper = path.join(path.dirname(binary), 'chrome-sandbox');
  const stats = statFile(helper);
  if (stats && stats.uid === 0 && (stats.mode & 0o4755) === 0o4755) return null;
  const why = restricted
    ? 'AppArmor restricts unprivileged user namespaces here (kernel.apparmor_restrict_unprivileged_userns = 1, Ubuntu 24.04 and later)'
    : 'unprivileged user namespaces are disabled here (user.max_user_namespaces = 0)';
  return (
    `Electron's sandbox cannot start: ${why}, and ${helper} is not root-owned with mode 4755. ` +
    `Fix it once with: sudo chown root:root "${helper}" && sudo chmod 4755 "${helper}" ` +
    `(or allow user namespaces for this binary with an AppArmor profile; see docs/desktop.md). Longbox never runs without the sandbox.`
  );
}

function defaultReadText(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function defaultStat(file) {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}

/**
 * Whether `src` (a path inside the better-sqlite3 package `pkgDir`) belongs in the private build copy:
 * the sources and the bundled SQLite amalgamation, not the package's Node build (build/) and not nested
 * node_modules. Decided on the path relative to the package: the package itself sits inside
 * node_modules, so the absolute path always contains "node_modules".
 */
export function shouldCopyForBuild(pkgDir, src) {
  const rel = path.relative(pkgDir, src);
  if (rel === '') return true;
  const parts = rel.split(path.sep);
  return parts[0] !== 'build' && !parts.includes('node_modules');
}

/** File name of the cached Electron-ABI binding. */
export function bindingFileName({ sqliteVersion, electronVersion: electron, platform, arch }) {
  return `better_sqlite3-${sqliteVersion}-electron-${electron}-${platform}-${arch}.node`;
}

export function nativeCacheDir(env = process.env) {
  return env.LONGBOX_ELECTRON_NATIVE_DIR ? path.resolve(env.LONGBOX_ELECTRON_NATIVE_DIR) : path.join(ROOT, '.cache', 'electron-native');
}

/**
 * The environment for prebuild-install / node-gyp. npm exports its config to scripts as npm_config_*;
 * a user's `nodedir` (e.g. nodedir=/usr in ~/.npmrc) would make node-gyp compile against the system
 * Node's headers instead of Electron's and "succeed" with a binary Electron refuses to load.
 */
export function buildEnv(env) {
  const out = { ...env };
  for (const key of Object.keys(out)) {
    const lower = key.toLowerCase();
    if (lower === 'npm_config_nodedir' || lower === 'npm_config_target' || lower === 'npm_config_runtime' || lower === 'npm_config_disturl') delete out[key];
  }
  return out;
}

function defaultRun(command, args, options) {
  const result = spawnSync(command, args, options);
  return result.status === 0;
}

/**
 * better-sqlite3 built for Electron's ABI, made in a private copy of the package (never in
 * node_modules) and cached as cacheDir/<bindingFileName>. Tries a prebuilt binary (prebuild-install
 * --runtime electron), then node-gyp against Electron's headers. Returns { binding } or { binding: null,
 * log } where log is the file holding the tools' output.
 */
export function electronSqliteBinding({
  electronVersion: electron,
  sqliteDir = path.dirname(require.resolve('better-sqlite3/package.json')),
  cacheDir = nativeCacheDir(),
  platform = process.platform,
  arch = process.arch,
  env = process.env,
  run = defaultRun,
  onProgress = () => {},
}) {
  const sqliteVersion = readJson(path.join(sqliteDir, 'package.json')).version;
  const target = path.join(cacheDir, bindingFileName({ sqliteVersion, electronVersion: electron, platform, arch }));
  if (existsSync(target)) return { binding: target, log: null };

  mkdirSync(cacheDir, { recursive: true });
  const log = path.join(cacheDir, `build-${sqliteVersion}-electron-${electron}-${platform}-${arch}.log`);
  onProgress(`Preparing better-sqlite3 ${sqliteVersion} for Electron ${electron} ${platform}-${arch} (once; cached in ${cacheDir}; log ${log})…`);
  const work = path.join(cacheDir, `work-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  cpSync(sqliteDir, work, { recursive: true, filter: (src) => shouldCopyForBuild(sqliteDir, src) });
  const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
  const logFd = openSync(log, 'w');
  const options = { cwd: work, env: buildEnv(env), stdio: ['ignore', logFd, logFd], shell: false };
  try {
    const prebuild = require.resolve('prebuild-install/bin.js');
    const fetched = run(process.execPath, [prebuild, '--runtime', 'electron', '--target', electron, '--arch', arch, '--platform', platform, '--verbose'], options);
    if (!fetched || !existsSync(built)) {
      if (platform !== process.platform) return { binding: null, log }; // compiling for another OS is not possible
      onProgress('No prebuilt binary; compiling with node-gyp against Electron headers (needs Python and a C++ toolchain)…');
      const gyp = require.resolve('node-gyp/bin/node-gyp.js');
      const headers = env.LONGBOX_ELECTRON_HEADERS_URL || DEFAULT_HEADERS_URL;
      run(process.execPath, [gyp, 'rebuild', '--release', `--target=${electron}`, `--arch=${arch}`, `--dist-url=${headers}`], options);
    }
    if (!existsSync(built)) return { binding: null, log };
    // Copy then rename: a half-written file never looks cached.
    copyFileSync(built, `${target}.tmp`);
    renameSync(`${target}.tmp`, target);
    return { binding: target, log };
  } finally {
    closeSync(logFd);
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * How `npm start` passes Ctrl+C on to the app. POSIX: forward SIGINT/SIGTERM to the child, which
 * shuts down cleanly. Windows has no signals: child.kill() is TerminateProcess (a hard kill that skips
 * the library's shutdown), and the child shares our console, so it gets the Ctrl+C itself — wait for it.
 * A second Ctrl+C kills the child on every platform.
 */
export function signalPlan(platform) {
  return platform === 'win32' ? 'wait-for-child' : 'forward';
}
