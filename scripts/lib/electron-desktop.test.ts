// The pure parts of the desktop launch (scripts/lib/electron-desktop.mjs): the copy filter, the Electron
// build of better-sqlite3 in its own copy (tools injected), the sandbox check, the signal plan.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ROOT,
  bindingFileName,
  buildEnv,
  electronSqliteBinding,
  findElectron,
  sandboxProblem,
  shouldCopyForBuild,
  signalPlan,
  type RunTool,
} from './electron-desktop.mjs';
import { tempDirsPerTest } from '../testing/temp-dirs.js';

const tempDir = tempDirsPerTest('longbox-desktop-');

/** A better-sqlite3 look-alike inside a node_modules folder, with a Node build and a nested node_modules. */
function fakeSqlitePackage(): string {
  const dir = path.join(tempDir(), 'node_modules', 'better-sqlite3');
  for (const sub of ['src', 'deps/sqlite3', 'lib', 'build/Release', 'node_modules/bindings']) mkdirSync(path.join(dir, sub), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'better-sqlite3', version: '12.11.1' }));
  writeFileSync(path.join(dir, 'binding.gyp'), '{}');
  writeFileSync(path.join(dir, 'src/better_sqlite3.cpp'), '// source');
  writeFileSync(path.join(dir, 'deps/sqlite3/sqlite3.c'), '/* amalgamation */');
  writeFileSync(path.join(dir, 'lib/index.js'), 'module.exports = 1;');
  writeFileSync(path.join(dir, 'build/Release/better_sqlite3.node'), 'NODE-ABI BUILD');
  writeFileSync(path.join(dir, 'node_modules/bindings/index.js'), '');
  return dir;
}

describe('shouldCopyForBuild', () => {
  it('copies the package although its own path contains node_modules, without build/ or nested node_modules', () => {
    const pkg = path.join('/work', 'node_modules', 'better-sqlite3');
    expect(shouldCopyForBuild(pkg, pkg)).toBe(true);
    expect(shouldCopyForBuild(pkg, path.join(pkg, 'src', 'better_sqlite3.cpp'))).toBe(true);
    expect(shouldCopyForBuild(pkg, path.join(pkg, 'deps', 'sqlite3', 'sqlite3.c'))).toBe(true);
    expect(shouldCopyForBuild(pkg, path.join(pkg, 'binding.gyp'))).toBe(true);
    expect(shouldCopyForBuild(pkg, path.join(pkg, 'build'))).toBe(false);
    expect(shouldCopyForBuild(pkg, path.join(pkg, 'build', 'Release', 'better_sqlite3.node'))).toBe(false);
    expect(shouldCopyForBuild(pkg, path.join(pkg, 'node_modules', 'bindings'))).toBe(false);
    expect(shouldCopyForBuild(pkg, path.join(pkg, 'builders.txt'))).toBe(true);
  });
});

describe('electronSqliteBinding (tools injected)', () => {
  const electronVersion = '41.10.7';

  it('builds in a private copy that has the sources, caches the result and never touches the package', () => {
    const sqliteDir = fakeSqlitePackage();
    const cacheDir = path.join(tempDir(), 'cache');
    const calls: Array<{ tool: string; args: string[]; cwd: string; env: NodeJS.ProcessEnv }> = [];
    const run: RunTool = (_command, args, options) => {
      const tool = args[0]!.includes('prebuild-install') ? 'prebuild-install' : args[0]!.includes('node-gyp') ? 'node-gyp' : args[0]!;
      calls.push({ tool, args, cwd: options.cwd, env: options.env });
      // The copy has the sources and no Node build.
      expect(existsSync(path.join(options.cwd, 'src/better_sqlite3.cpp'))).toBe(true);
      expect(existsSync(path.join(options.cwd, 'deps/sqlite3/sqlite3.c'))).toBe(true);
      expect(existsSync(path.join(options.cwd, 'build'))).toBe(false);
      expect(existsSync(path.join(options.cwd, 'node_modules'))).toBe(false);
      if (tool === 'prebuild-install') return false; // no prebuilt for this Electron
      mkdirSync(path.join(options.cwd, 'build/Release'), { recursive: true });
      writeFileSync(path.join(options.cwd, 'build/Release/better_sqlite3.node'), 'ELECTRON-ABI BUILD');
      return true;
    };
    const env = { PATH: process.env.PATH, npm_config_nodedir: '/usr', NPM_CONFIG_TARGET: '20.0.0', LONGBOX_ELECTRON_HEADERS_URL: 'http://mirror.invalid/h' };
    const result = electronSqliteBinding({ electronVersion, sqliteDir, cacheDir, platform: process.platform, arch: 'x64', env, run });

    const expected = path.join(cacheDir, bindingFileName({ sqliteVersion: '12.11.1', electronVersion, platform: process.platform, arch: 'x64' }));
    expect(result.binding).toBe(expected);
    expect(readFileSync(expected, 'utf8')).toBe('ELECTRON-ABI BUILD');
    expect(calls.map((c) => c.tool)).toEqual(['prebuild-install', 'node-gyp']);
    expect(calls[0]!.args).toEqual(expect.arrayContaining(['--runtime', 'electron', '--target', electronVersion, '--arch', 'x64']));
    expect(calls[1]!.args).toEqual(expect.arrayContaining(['rebuild', `--target=${electronVersion}`, '--arch=x64', '--dist-url=http://mirror.invalid/h']));
    // npm's nodedir / target would point node-gyp at Node's headers instead of Electron's.
    for (const call of calls) {
      expect(call.env.npm_config_nodedir).toBeUndefined();
      expect(call.env.NPM_CONFIG_TARGET).toBeUndefined();
      expect(call.cwd.startsWith(cacheDir)).toBe(true);
    }
    // The package keeps its Node build; the private copy is gone; only the binding and the log stay.
    expect(readFileSync(path.join(sqliteDir, 'build/Release/better_sqlite3.node'), 'utf8')).toBe('NODE-ABI BUILD');
    expect(readdirSync(cacheDir).sort()).toEqual([path.basename(expected), path.basename(result.log!)].sort());

    // Cached: the next call runs no tool.
    calls.length = 0;
    expect(electronSqliteBinding({ electronVersion, sqliteDir, cacheDir, platform: process.platform, arch: 'x64', env, run }).binding).toBe(expected);
    expect(calls).toEqual([]);
  });

  it('returns null and the log when neither a prebuilt nor a compiler works', () => {
    const sqliteDir = fakeSqlitePackage();
    const cacheDir = path.join(tempDir(), 'cache');
    const result = electronSqliteBinding({ electronVersion, sqliteDir, cacheDir, platform: process.platform, arch: 'x64', env: {}, run: () => false });
    expect(result.binding).toBeNull();
    expect(existsSync(result.log!)).toBe(true);
    expect(readdirSync(cacheDir)).toEqual([path.basename(result.log!)]);
  });

  it('does not try to compile for another OS (a prebuilt is the only way)', () => {
    const sqliteDir = fakeSqlitePackage();
    const other = process.platform === 'win32' ? 'linux' : 'win32';
    const tools: string[] = [];
    const result = electronSqliteBinding({
      electronVersion,
      sqliteDir,
      cacheDir: path.join(tempDir(), 'cache'),
      platform: other,
      arch: 'x64',
      env: {},
      run: (_c, args) => {
        tools.push(args[0]!);
        return false;
      },
    });
    expect(result.binding).toBeNull();
    expect(tools).toHaveLength(1);
    expect(tools[0]).toContain('prebuild-install');
  });
});

describe('buildEnv', () => {
  it('drops npm config that would retarget node-gyp, in any case, and keeps the rest', () => {
    expect(buildEnv({ PATH: '/bin', npm_config_nodedir: '/usr', NPM_CONFIG_NODEDIR: '/usr', npm_config_runtime: 'node', npm_config_disturl: 'x', npm_config_cache: '/c' })).toEqual({
      PATH: '/bin',
      npm_config_cache: '/c',
    });
  });
});

describe('findElectron', () => {
  it('explains a missing package, a missing binary and a missing display', () => {
    expect(findElectron({ dir: null, env: {}, platform: 'linux' }).reason).toMatch(/not installed/);
    const dir = tempDir();
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'electron', version: '41.10.7' }));
    writeFileSync(path.join(dir, 'index.js'), readFileSync(path.join(ROOT, 'node_modules/electron/index.js')));
    expect(findElectron({ dir, env: {}, platform: 'linux' }).reason).toMatch(/no Electron binary: it was never downloaded.*npm run get-electron/);
    mkdirSync(path.join(dir, 'dist'));
    writeFileSync(path.join(dir, 'path.txt'), 'electron');
    writeFileSync(path.join(dir, 'dist/electron'), '');
    expect(findElectron({ dir, env: {}, platform: 'linux' }).reason).toMatch(/no display/);
    expect(findElectron({ dir, env: { WAYLAND_DISPLAY: 'wayland-0' }, platform: 'linux' })).toEqual({ binary: path.join(dir, 'dist/electron'), reason: null });
    expect(findElectron({ dir, env: {}, platform: 'darwin' }).binary).toBe(path.join(dir, 'dist/electron'));
  });
});

describe('sandboxProblem', () => {
  const binary = '/app/node_modules/electron/dist/electron';
  const files = (restrict: string | null, maxNs = '63000') => (file: string) =>
    file.endsWith('apparmor_restrict_unprivileged_userns') ? restrict : file.endsWith('max_user_namespaces') ? maxNs : null;

  it('is silent where user namespaces are allowed, off Linux, and with a root-owned 4755 chrome-sandbox', () => {
    expect(sandboxProblem({ platform: 'linux', binary, readText: files('0'), statFile: () => null })).toBeNull();
    expect(sandboxProblem({ platform: 'linux', binary, readText: files(null), statFile: () => null })).toBeNull();
    expect(sandboxProblem({ platform: 'darwin', binary, readText: files('1'), statFile: () => null })).toBeNull();
    expect(sandboxProblem({ platform: 'linux', binary, readText: files('1'), statFile: () => ({ uid: 0, mode: 0o104755 }) })).toBeNull();
  });

  it('names the AppArmor restriction and the exact fix, never --no-sandbox', () => {
    const message = sandboxProblem({ platform: 'linux', binary, readText: files('1\n'), statFile: () => ({ uid: 1000, mode: 0o100755 }) })!;
    expect(message).toContain('apparmor_restrict_unprivileged_userns = 1');
    expect(message).toContain('sudo chown root:root "/app/node_modules/electron/dist/chrome-sandbox" && sudo chmod 4755 "/app/node_modules/electron/dist/chrome-sandbox"');
    expect(message).toContain('never runs without the sandbox');
    expect(message).not.toMatch(/use --no-sandbox/);
    expect(sandboxProblem({ platform: 'linux', binary, readText: files('0', '0'), statFile: () => null })).toMatch(/max_user_namespaces = 0/);
  });
});

describe('signalPlan', () => {
  it('forwards signals on POSIX and lets the console deliver Ctrl+C on Windows', () => {
    expect(signalPlan('linux')).toBe('forward');
    expect(signalPlan('darwin')).toBe('forward');
    expect(signalPlan('win32')).toBe('wait-for-child');
  });
});
