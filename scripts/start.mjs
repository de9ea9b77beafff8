// `npm start [-- <folder> | serve options]`: build, then run the desktop app if Electron can run here,
// otherwise say why in one line and serve the same UI over HTTP with `longbox serve` (forwarding the
// arguments). Exit code 0 in both cases unless the build fails or the app itself fails.
//
// Native module choice. node_modules/better-sqlite3 stays built for Node: the unit tests, the headless
// host and the bench load it. Electron needs a build for its own ABI, so this script keeps a second
// copy, made once per (better-sqlite3, Electron, platform, arch) in a private copy of the package and
// cached in .cache/electron-native/ (scripts/lib/electron-desktop.mjs), and hands its path to the app
// in LONGBOX_SQLITE_BINDING; main.ts passes it to better-sqlite3 as `nativeBinding` in the main process
// and the worker. Nothing in node_modules is rebuilt, so `npm test` and `npm start` both keep working.
// Packaged builds get the same kind of copy from the packaging hook (scripts/dist-hooks.mjs).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, electronPackageDir, electronSqliteBinding, electronVersion, findElectron, sandboxProblem, signalPlan } from './lib/electron-desktop.mjs';

const args = process.argv.slice(2);
const isWindows = process.platform === 'win32';

function build() {
  if (process.env.LONGBOX_SKIP_BUILD === '1') return true;
  const result = spawnSync(isWindows ? 'npm.cmd' : 'npm', ['run', 'build'], { stdio: 'inherit', cwd: ROOT, shell: isWindows });
  return result.status === 0;
}

/** Electron ending this soon after its start, unasked, did not get to open its window. */
const EARLY_EXIT_MS = 10_000;

/**
 * Runs the child with our stdio; resolves with how it ended. Ctrl+C / SIGTERM: see signalPlan. Exit
 * code: the child's, 0 when it ended because we passed a Ctrl+C / SIGTERM on.
 */
function runChild(command, childArgs, env, { onEarlyFailure } = {}) {
  const started = Date.now();
  const child = spawn(command, childArgs, { stdio: 'inherit', cwd: ROOT, env });
  const plan = signalPlan(process.platform);
  let interrupts = 0;
  const onSignal = (signal) => {
    interrupts += 1;
    if (interrupts > 1) child.kill('SIGKILL');
    else if (plan === 'forward') child.kill(signal);
    // 'wait-for-child' (Windows): the child got the same Ctrl+C from the shared console.
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  child.on('error', (error) => {
    console.error(`Could not start ${command}: ${error.message}`);
    process.exitCode = 1;
  });
  child.on('exit', (code, signal) => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    const failed = code !== 0 && interrupts === 0;
    if (failed && onEarlyFailure && Date.now() - started < EARLY_EXIT_MS) {
      onEarlyFailure(signal ? `signal ${signal}` : `exit code ${code}`);
      return;
    }
    process.exitCode = code ?? (signal && interrupts > 0 ? 0 : 1);
  });
}

function serveInstead(reason) {
  console.log(`Electron cannot run here (${reason}): serving the same UI in your browser instead.`);
  runChild(process.execPath, [path.join(ROOT, 'bin/longbox.js'), 'serve', ...args], process.env);
}

function main() {
  if (!build()) {
    console.error('Build failed.');
    process.exitCode = 1;
    return;
  }

  const { binary, reason } = findElectron();
  if (!binary) return serveInstead(reason);

  const sandbox = sandboxProblem({ binary });
  if (sandbox) return serveInstead(sandbox);

  const version = electronVersion(electronPackageDir());
  const { binding, log } = electronSqliteBinding({ electronVersion: version, onProgress: (line) => console.log(line) });
  if (!binding) {
    return serveInstead(`better-sqlite3 could not be built for Electron ${version}: no prebuilt binary reachable and no working C++ toolchain; details in ${log}`);
  }
  const env = { ...process.env, LONGBOX_SQLITE_BINDING: binding };
  delete env.ELECTRON_RUN_AS_NODE;
  // Electron that dies at once (a DISPLAY without a server, a GPU or sandbox abort) still leaves the
  // user with the UI: say so and serve instead.
  runChild(binary, [ROOT, ...args], env, {
    onEarlyFailure: (how) => serveInstead(`Electron ended right after starting with ${how}, see its output above`),
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
