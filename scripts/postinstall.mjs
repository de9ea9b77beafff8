// npm postinstall (ours, the root package's) and `npm run get-electron`: fetch Electron's binary
// through the electron package's own installer (node_modules/electron/install.js → @electron/get), and
// tolerate failure.
//
// Why: electron's own postinstall fails the whole `npm install` (npm rolls everything back) wherever
// its servers cannot be reached. package.json's `allowScripts` denies that script (`"electron": false`,
// honoured by npm 11's install-script policy), so the install always completes, and this step runs the
// same installer where a failure is one line, not a rolled-back install. With an npm that ignores
// `allowScripts` (npm 10), electron's postinstall runs as before: where it succeeds this step sees the
// binary and does nothing; offline, use ELECTRON_SKIP_BINARY_DOWNLOAD=1 (docs/desktop.md).
//
// Never rebuilds anything: node_modules keeps better-sqlite3 built for Node (the tests need it);
// `npm start` and the packaging hook make Electron builds of it in their own copies.
// `--required` (npm run get-electron): exit 1 with the installer's full output when it fails.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { electronExecutable, electronPackageDir, electronVersion } from './lib/electron-desktop.mjs';

const required = process.argv.includes('--required');
const LATER = '`npm run get-electron` fetches it later; `npm start` serves the UI in your browser until then (`npm test` is unaffected)';

function finish(code) {
  process.exitCode = required ? code : 0;
}

function main() {
  const dir = electronPackageDir();
  if (!dir || !existsSync(path.join(dir, 'install.js'))) {
    console.log('longbox: the electron package is not installed; `npm start` will serve the UI in your browser.');
    return finish(1);
  }
  if (electronExecutable(dir)) return finish(0);
  const version = electronVersion(dir);
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD && !required) {
    console.log(`longbox: ELECTRON_SKIP_BINARY_DOWNLOAD is set, so no Electron ${version} binary; ${LATER}.`);
    return finish(0);
  }
  console.log(`longbox: downloading the Electron ${version} binary (about 100 MB, once)…`);
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const timeout = Number(process.env.LONGBOX_ELECTRON_DOWNLOAD_TIMEOUT_MS) || 15 * 60 * 1000;
  const result = spawnSync(process.execPath, [path.join(dir, 'install.js')], {
    cwd: dir,
    env,
    timeout,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status === 0 && electronExecutable(dir)) {
    console.log(`longbox: Electron ${version} installed.`);
    return finish(0);
  }
  const output = `${result.stderr ?? ''}\n${result.stdout ?? ''}`;
  const why = result.error?.code === 'ETIMEDOUT' ? `no answer within ${Math.round(timeout / 1000)} s` : firstErrorLine(output);
  console.log(`longbox: could not download the Electron ${version} binary (${why}); ${LATER}.`);
  if (required) process.stderr.write(output);
  return finish(1);
}

/** The installer prints a stack; its first line ("TypeError: fetch failed", "HTTPError: 404 …") says enough. */
function firstErrorLine(output) {
  const line = output.split('\n').map((l) => l.trim()).find((l) => l.length > 0 && !l.startsWith('at '));
  return line ? line.slice(0, 200) : 'the installer failed without a message';
}

try {
  main();
} catch (error) {
  // Never fail `npm install` over this step.
  console.log(`longbox: the Electron download step failed (${error instanceof Error ? error.message : String(error)}); ${LATER}.`);
  finish(1);
}
