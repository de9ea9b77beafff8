// `npm start`'s desktop branch with a stand-in Electron: a copy of the electron package's own index.js
// and package.json whose dist/electron is a small Node script recording its argv and environment
// (LONGBOX_ELECTRON_DIR points start.mjs at it; node_modules is never modified). Under a fake DISPLAY:
// - a cached Electron build of better-sqlite3 → the stand-in is spawned with the app folder, the
//   arguments and LONGBOX_SQLITE_BINDING (and without ELECTRON_RUN_AS_NODE);
// - no cached build and no network (prebuilt host and headers URL point at a closed port) → one line
//   saying why, then the same UI over HTTP, and exit code 0 after SIGTERM; the stand-in never runs.
// The postinstall step is checked the same way, with stand-in installers.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, bindingFileName, electronVersion, sandboxProblem } from './lib/electron-desktop.mjs';
import { tempDirsPerTest } from './testing/temp-dirs.js';

const START = path.join(ROOT, 'scripts/start.mjs');
const POSTINSTALL = path.join(ROOT, 'scripts/postinstall.mjs');
const REAL_ELECTRON = path.join(ROOT, 'node_modules/electron');
const BUILT = existsSync(path.join(ROOT, 'out/electron/server/cli.js'));
const VERSION = electronVersion(REAL_ELECTRON);
const SQLITE_VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules/better-sqlite3/package.json'), 'utf8')) as { version: string }).version;

const tempDir = tempDirsPerTest('longbox-start-');

interface Recording {
  argv: string[];
  binding: string | null;
  runAsNode: string | null;
  display: string | null;
}

/** An electron package folder with the real index.js and, unless `binary` is false, a recording dist/electron. */
function standInElectron(options: { binary: boolean; installer?: string; exitCode?: number }): { dir: string; record: string } {
  const dir = path.join(tempDir(), 'electron');
  mkdirSync(path.join(dir, 'dist'), { recursive: true });
  copyFileSync(path.join(REAL_ELECTRON, 'index.js'), path.join(dir, 'index.js'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'electron', version: VERSION }));
  const record = path.join(dir, 'record.json');
  const executable = process.platform === 'win32' ? 'electron.cmd' : 'electron';
  const recorder = `#!${process.execPath}
require('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({
  argv: process.argv.slice(2),
  binding: process.env.LONGBOX_SQLITE_BINDING ?? null,
  runAsNode: process.env.ELECTRON_RUN_AS_NODE ?? null,
  display: process.env.DISPLAY ?? null,
}));
process.exitCode = ${options.exitCode ?? 0};
`;
  if (options.binary) {
    writeFileSync(path.join(dir, 'dist', executable), recorder);
    chmodSync(path.join(dir, 'dist', executable), 0o755);
    writeFileSync(path.join(dir, 'path.txt'), executable);
  }
  if (options.installer) writeFileSync(path.join(dir, 'install.js'), options.installer);
  return { dir, record };
}

/** No route to any download: prebuild-install's host, Electron's headers and node-gyp's caches are dead ends. */
function offlineEnv(home: string): NodeJS.ProcessEnv {
  return {
    HOME: home,
    USERPROFILE: home,
    npm_config_cache: path.join(home, 'npm-cache'),
    npm_config_devdir: path.join(home, 'node-gyp'),
    npm_config_better_sqlite3_binary_host: 'http://127.0.0.1:9',
    LONGBOX_ELECTRON_HEADERS_URL: 'http://127.0.0.1:9',
  };
}

function baseEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LONGBOX_SKIP_BUILD: '1' };
  delete env.WAYLAND_DISPLAY;
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  return { ...env, ...extra };
}

const standInSandbox = sandboxProblem({ binary: path.join(os.tmpdir(), 'x', 'electron') });
if (standInSandbox) console.log(`[npm start stand-in] spawn checks skipped: ${standInSandbox}`);
if (!BUILT) console.log('[npm start stand-in] fallback-to-HTTP check skipped: out/ is not built (run `npm run build`)');

describe('npm start with a stand-in Electron', () => {
  it.skipIf(standInSandbox !== null)('spawns Electron with the app folder, the arguments and the cached better-sqlite3 binding', () => {
    const { dir, record } = standInElectron({ binary: true });
    const nativeDir = tempDir();
    const cached = path.join(nativeDir, bindingFileName({ sqliteVersion: SQLITE_VERSION, electronVersion: VERSION, platform: process.platform, arch: process.arch }));
    writeFileSync(cached, 'a cached Electron-ABI binding');
    const library = path.join(tempDir(), 'My Comics');
    const result = spawnSync(process.execPath, [START, library], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: baseEnv({ LONGBOX_ELECTRON_DIR: dir, LONGBOX_ELECTRON_NATIVE_DIR: nativeDir, DISPLAY: ':99', ELECTRON_RUN_AS_NODE: '1' }),
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const recording = JSON.parse(readFileSync(record, 'utf8')) as Recording;
    expect(recording).toEqual({ argv: [ROOT, library], binding: cached, runAsNode: null, display: ':99' });
    expect(result.stdout).not.toMatch(/Electron cannot run here/);
  });

  it.skipIf(standInSandbox !== null)('an Electron that dies right after starting (a dead DISPLAY, a sandbox abort) still leaves the browser UI', () => {
    const { dir, record } = standInElectron({ binary: true, exitCode: 133 });
    const nativeDir = tempDir();
    writeFileSync(path.join(nativeDir, bindingFileName({ sqliteVersion: SQLITE_VERSION, electronVersion: VERSION, platform: process.platform, arch: process.arch })), 'x');
    const result = spawnSync(process.execPath, [START, '--help'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: baseEnv({ LONGBOX_ELECTRON_DIR: dir, LONGBOX_ELECTRON_NATIVE_DIR: nativeDir, DISPLAY: ':99' }),
    });
    expect(existsSync(record)).toBe(true); // it did run
    expect(result.stdout.split('\n')[0]).toBe(
      'Electron cannot run here (Electron ended right after starting with exit code 133, see its output above): serving the same UI in your browser instead.',
    );
  });

  it('without a display, says so in one line and serves instead (the stand-in never runs)', () => {
    const { dir, record } = standInElectron({ binary: true });
    const result = spawnSync(process.execPath, [START, '--help'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: (() => {
        const env = baseEnv({ LONGBOX_ELECTRON_DIR: dir });
        delete env.DISPLAY;
        return env;
      })(),
    });
    if (process.platform === 'linux') {
      expect(result.stdout.split('\n')[0]).toBe('Electron cannot run here (no display: DISPLAY and WAYLAND_DISPLAY are unset): serving the same UI in your browser instead.');
      expect(existsSync(record)).toBe(false);
    }
  });

  it('without a downloaded binary, names the way to get it', () => {
    const { dir, record } = standInElectron({ binary: false });
    const result = spawnSync(process.execPath, [START, '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: baseEnv({ LONGBOX_ELECTRON_DIR: dir, DISPLAY: ':99' }) });
    expect(result.stdout.split('\n')[0]).toMatch(/^Electron cannot run here \(no Electron binary: it was never downloaded, .*`npm run get-electron` fetches it\): serving the same UI in your browser instead\.$/);
    expect(existsSync(record)).toBe(false);
  });

  it.skipIf(!BUILT || standInSandbox !== null)(
    'with no cached binding and no network, falls back to the browser UI in one line, answers HTTP and exits 0',
    async () => {
      const { dir, record } = standInElectron({ binary: true });
      const home = tempDir();
      const nativeDir = path.join(home, 'native');
      const library = path.join(home, 'comics');
      mkdirSync(library);
      const child = spawn(process.execPath, [START, library, '--port', '0', '--data-dir', path.join(home, 'data'), '--no-watch'], {
        cwd: ROOT,
        env: baseEnv({ ...offlineEnv(home), LONGBOX_ELECTRON_DIR: dir, LONGBOX_ELECTRON_NATIVE_DIR: nativeDir, DISPLAY: ':99' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.resume();
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        const url = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no URL within 120 s; stdout: ${stdout}`)), 120_000);
          const check = (): void => {
            const match = /^Longbox serving .* at (http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout);
            if (match) {
              clearTimeout(timer);
              resolve(match[1]!);
            }
          };
          child.stdout.on('data', check);
          void exited.then((code) => reject(new Error(`start.mjs exited ${code} before serving; stdout: ${stdout}`)));
        });
        const reasons = stdout.split('\n').filter((line) => line.startsWith('Electron cannot run here'));
        expect(reasons).toHaveLength(1);
        expect(reasons[0]).toMatch(new RegExp(`^Electron cannot run here \\(better-sqlite3 could not be built for Electron ${VERSION.replace(/\./g, '\\.')}: .*details in .*\\.log\\): serving the same UI in your browser instead\\.$`));
        const stats = (await (await fetch(`${url}/api/cache/stats`)).json()) as { enriched_file_cache: { library_root: string } };
        expect(stats.enriched_file_cache.library_root).toBe(library);
        expect(existsSync(record)).toBe(false);
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      } finally {
        child.kill('SIGKILL');
      }
    },
    180_000,
  );
});

describe('postinstall with a stand-in Electron installer', () => {
  function postinstall(dir: string, extra: NodeJS.ProcessEnv = {}, args: string[] = []) {
    return spawnSync(process.execPath, [POSTINSTALL, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: baseEnv({ LONGBOX_ELECTRON_DIR: dir, ...extra }) });
  }
  const failing = `console.error(new TypeError('fetch failed').stack); process.exit(1);`;
  const succeeding = `const fs = require('node:fs'), p = require('node:path');
fs.writeFileSync(p.join(__dirname, 'dist', 'electron'), ''); fs.writeFileSync(p.join(__dirname, 'path.txt'), 'electron');`;

  it('a failed download is one line that says how to get the binary later, and the install goes on (exit 0)', () => {
    const { dir } = standInElectron({ binary: false, installer: failing });
    const result = postinstall(dir);
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[lines.length - 1]).toBe(
      `longbox: could not download the Electron ${VERSION} binary (TypeError: fetch failed); \`npm run get-electron\` fetches it later; \`npm start\` serves the UI in your browser until then (\`npm test\` is unaffected).`,
    );
    expect(result.stderr).toBe('');
  });

  it('`npm run get-electron` (--required) fails loudly with the installer output', () => {
    const { dir } = standInElectron({ binary: false, installer: failing });
    const result = postinstall(dir, {}, ['--required']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('TypeError: fetch failed');
  });

  it("runs electron's installer and reports success; with ELECTRON_SKIP_BINARY_DOWNLOAD it does not try", () => {
    const ok = standInElectron({ binary: false, installer: succeeding });
    const skipped = postinstall(ok.dir, { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(skipped.status).toBe(0);
    expect(skipped.stdout).toMatch(/ELECTRON_SKIP_BINARY_DOWNLOAD is set/);
    expect(existsSync(path.join(ok.dir, 'path.txt'))).toBe(false);
    const result = postinstall(ok.dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`longbox: Electron ${VERSION} installed.`);
    // Already there: silent.
    expect(postinstall(ok.dir).stdout).toBe('');
  });
});
