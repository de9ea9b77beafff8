// Sanity checks of electron-builder.yml without packaging (that needs the Electron binary): the YAML
// parses, electron-builder's own schema validation accepts it, the `files` globs take the built app
// (main, preload, worker, renderer, generator) and leave maps and tests out, the native modules are
// unpacked, and the icons exist and are well formed.
// js-yaml, minimatch and app-builder-lib's validator are electron-builder's own dependencies, loaded
// with createRequire; each check skips with a printed reason if its piece is missing.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { beforePack, packagedBindingDir } from '../scripts/dist-hooks.mjs';
import { bindingFileName } from '../scripts/lib/electron-desktop.mjs';
import { isComicFile } from './app-lifecycle.js';
import { PACKAGED_BINDING, nativeBindingFor } from './native-binding.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function optional<T>(id: string): T | null {
  try {
    return require(id) as T;
  } catch {
    return null;
  }
}

interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { buildResources: string; output: string };
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
  beforePack: string;
  extraResources: Array<{ from: string; to: string; filter: string[] }>;
  electronFuses: Record<string, boolean>;
  fileAssociations: Array<{ ext: string; name: string; mimeType: string; role: string }>;
  linux: { target: string[]; icon: string; maintainer: string; mimeTypes: string[] };
  mac: { target: string[]; icon: string; entitlements: string; entitlementsInherit: string; hardenedRuntime: boolean };
  win: { target: string[]; icon: string };
}

const yaml = optional<{ load(text: string): unknown }>('js-yaml');
const minimatchModule = optional<{ minimatch(file: string, pattern: string, options?: { dot?: boolean }): boolean }>('minimatch');
const configModule = optional<{ validateConfiguration(config: unknown, logger: unknown): Promise<void> }>('app-builder-lib/out/util/config/config.js');
const builderUtil = optional<{ DebugLogger: new (enabled: boolean) => unknown }>('builder-util');

const config = yaml ? (yaml.load(readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig) : null;
const OUT_BUILT = existsSync(path.join(ROOT, 'out/electron/main.js')) && existsSync(path.join(ROOT, 'out/renderer/index.html'));

function skipReason(label: string, missing: boolean): boolean {
  if (missing) console.log(`[electron-builder config] skipped: ${label}`);
  return missing;
}

function walk(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? walk(file, base) : [path.relative(base, file).split(path.sep).join('/')];
  });
}

/** electron-builder's reading of `files`: included when a positive pattern matches and no negation does. */
function included(file: string, patterns: readonly string[]): boolean {
  const match = minimatchModule!.minimatch;
  let result = false;
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) {
      if (match(file, pattern.slice(1), { dot: true })) result = false;
    } else if (match(file, pattern, { dot: true })) {
      result = true;
    }
  }
  return result;
}

describe.skipIf(skipReason('js-yaml (an electron-builder dependency) is not installed', !yaml))('electron-builder.yml', () => {
  const c = config!;

  it('has the app identity, folders, native rebuild and targets', () => {
    expect(c.appId).toBe('app.longbox');
    expect(c.productName).toBe('Longbox');
    expect(c.directories).toEqual({ buildResources: 'build', output: 'release' });
    // electron-builder's rebuild would run in the project root and rebuild the working tree's
    // better-sqlite3 for Electron; the beforePack hook builds it in its own copy instead.
    expect(c.npmRebuild).toBe(false);
    expect(c.beforePack).toBe('./scripts/dist-hooks.mjs');
    expect(existsSync(path.join(ROOT, c.beforePack))).toBe(true);
    expect(c.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(c.mac.target).toEqual(['dmg']);
    expect(c.win.target).toEqual(['nsis']);
    expect(c.linux.maintainer).toMatch(/<[^@\s]+@[^>\s]+>/);
  });

  it('registers the comic file types on every OS (the shell opens them: app-lifecycle.ts)', () => {
    expect(c.fileAssociations.map((a) => a.ext)).toEqual(['cbz', 'cbr', 'cb7']);
    for (const association of c.fileAssociations) {
      expect(isComicFile(`x.${association.ext}`), association.ext).toBe(true);
      expect(association.role).toBe('Viewer');
    }
    for (const mime of c.linux.mimeTypes) expect(c.fileAssociations.map((a) => a.mimeType)).toContain(mime);
  });

  it('turns the security fuses on (RunAsNode, NODE_OPTIONS and inspect off; asar only, with integrity)', () => {
    expect(c.electronFuses).toMatchObject({
      resetAdHocDarwinSignature: true,
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it.skipIf(skipReason("app-builder-lib's validateConfiguration is not reachable", !configModule || !builderUtil))(
    "passes electron-builder's own schema validation (and the validator refuses a bad config)",
    async () => {
      const logger = new builderUtil!.DebugLogger(false);
      await expect(configModule!.validateConfiguration(structuredClone(c), logger)).resolves.toBeUndefined();
      await expect(configModule!.validateConfiguration({ ...structuredClone(c), npmRebuild: 'yes', bogus: 1 }, logger)).rejects.toThrow(/configuration/i);
    },
    30_000,
  );

  it('points at resources that exist: icons, entitlements', async () => {
    const res = (file: string) => path.join(ROOT, file);
    for (const file of [c.mac.icon, c.win.icon, c.mac.entitlements, c.mac.entitlementsInherit, 'build/icon.svg']) expect(existsSync(res(file)), file).toBe(true);
    const png = await sharp(res(c.mac.icon)).metadata();
    expect([png.width, png.height]).toEqual([512, 512]);
    const linuxIcons = readdirSync(res(c.linux.icon)).filter((name) => /^\d+x\d+\.png$/.test(name));
    expect(linuxIcons).toEqual(expect.arrayContaining(['16x16.png', '32x32.png', '48x48.png', '256x256.png', '512x512.png']));
    for (const name of linuxIcons) {
      const size = Number(name.split('x')[0]);
      const meta = await sharp(path.join(res(c.linux.icon), name)).metadata();
      expect([meta.width, meta.height], name).toEqual([size, size]);
    }
    expect(readFileSync(res(c.mac.entitlements), 'utf8')).toContain('com.apple.security.cs.allow-jit');
  });

  it('icon.ico is a well-formed PNG-in-ICO with 16…256 px entries', () => {
    const ico = readFileSync(path.join(ROOT, c.win.icon));
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const e = 6 + i * 16;
      const size = ico.readUInt8(e) || 256;
      const length = ico.readUInt32LE(e + 8);
      const offset = ico.readUInt32LE(e + 12);
      expect(offset + length).toBeLessThanOrEqual(ico.length);
      expect(ico.subarray(offset, offset + 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(ico.readUInt32BE(offset + 16)).toBe(size); // IHDR width
      sizes.push(size);
    }
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));
  });

  describe.skipIf(skipReason('minimatch (an electron-builder dependency) is not installed', !minimatchModule))('globs', () => {
    it.skipIf(skipReason('out/ is not built (run `npm run build` first)', !OUT_BUILT))('`files` take the built app and leave maps and tests out', () => {
      const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string };
      const outFiles = walk(path.join(ROOT, 'out')).map((file) => `out/${file}`);
      const required = [pkg.main, 'out/electron/preload.cjs', 'out/electron/library/worker-entry.js', 'out/renderer/index.html', 'out/electron/library/sample/generate-library.js', 'package.json'];
      for (const file of required) {
        expect(file === 'package.json' || outFiles.includes(file), `${file} exists after the build`).toBe(true);
        expect(included(file, c.files), `${file} is packaged`).toBe(true);
      }
      const packaged = outFiles.filter((file) => included(file, c.files));
      expect(packaged.filter((file) => file.endsWith('.map'))).toEqual([]);
      expect(packaged.filter((file) => /\.test\.(js|d\.ts)$/.test(file))).toEqual([]);
      expect(included('electron/main.ts', c.files)).toBe(false);
      expect(included('node_modules/.bin/vitest', c.files)).toBe(false);
    });

    it('asarUnpack takes the native modules and nothing of the app code', () => {
      const unpacked = (file: string) => c.asarUnpack.some((pattern) => minimatchModule!.minimatch(file, pattern, { dot: true }));
      const natives = [
        'node_modules/sharp/lib/sharp.js',
        'node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64.node',
        'node_modules/@img/sharp-libvips-linux-x64/lib/libvips-cpp.so.8.18.7',
      ];
      for (const file of natives) expect(unpacked(file), file).toBe(true);
      for (const file of ['out/electron/main.js', 'out/renderer/index.html', 'package.json']) expect(unpacked(file), file).toBe(false);
    });
  });
});

describe.skipIf(skipReason('js-yaml (an electron-builder dependency) is not installed', !yaml))('the Electron build of better-sqlite3 in packages', () => {
  const c = config!;

  it('extraResources ships the hook\'s binding where main.ts looks for it, and the Node build stays out', () => {
    expect(c.extraResources).toEqual([{ from: '.cache/electron-native/package/${arch}', to: PACKAGED_BINDING.dir, filter: [PACKAGED_BINDING.file] }]);
    const expanded = c.extraResources[0]!.from.replace('${arch}', 'x64');
    expect(path.resolve(ROOT, expanded)).toBe(packagedBindingDir(1, {}));
    expect(packagedBindingDir('arm64', {})).toBe(path.resolve(ROOT, '.cache/electron-native/package/arm64'));
    expect(nativeBindingFor({ isPackaged: true, resourcesPath: '/opt/Longbox/resources', env: { LONGBOX_SQLITE_BINDING: '/x.node' } })).toBe(
      path.join('/opt/Longbox/resources', 'native', 'better_sqlite3.node'),
    );
    expect(nativeBindingFor({ isPackaged: false, resourcesPath: '/r', env: { LONGBOX_SQLITE_BINDING: '/cache/b.node' } })).toBe('/cache/b.node');
    expect(nativeBindingFor({ isPackaged: false, resourcesPath: '/r', env: {} })).toBeUndefined();
    if (minimatchModule) {
      for (const file of ['node_modules/better-sqlite3/build/Release/better_sqlite3.node', 'node_modules/better-sqlite3/deps/sqlite3/sqlite3.c', 'node_modules/better-sqlite3/src/addons.cpp']) {
        expect(c.files.some((p) => p.startsWith('!') && minimatchModule.minimatch(file, p.slice(1), { dot: true })), file).toBe(true);
      }
      expect(c.files.some((p) => p.startsWith('!') && minimatchModule.minimatch('node_modules/better-sqlite3/lib/database.js', p.slice(1), { dot: true }))).toBe(false);
    }
  });

  const resolveModule = optional<{ resolveFunction(type: string, executor: string, name: string, root: string): Promise<unknown> }>('app-builder-lib/out/util/resolve.js');
  it.skipIf(skipReason("app-builder-lib's hook resolver is not reachable", !resolveModule))('electron-builder resolves beforePack to our hook function', async () => {
    const previous = process.cwd();
    process.chdir(ROOT); // electron-builder resolves "./…" hooks against the project folder it runs in
    try {
      const hook = await resolveModule!.resolveFunction('module', c.beforePack, 'beforePack', ROOT);
      // Loaded by electron-builder's own import (a module instance of its own, not vitest's).
      expect(typeof hook).toBe('function');
      expect((hook as { name: string }).name).toBe('beforePack');
    } finally {
      process.chdir(previous);
    }
  });

  describe('the beforePack hook (scripts/dist-hooks.mjs)', () => {
    const temps: string[] = [];
    afterAll(() => {
      for (const dir of temps) rmSync(dir, { recursive: true, force: true });
    });
    const sqliteBinding = path.join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
    const loadsInNode = () =>
      spawnSync(process.execPath, ['-e', "const D = require('better-sqlite3'); new D(':memory:').prepare('select 1 as one').get()"], { cwd: ROOT, encoding: 'utf8' });
    const electronVersion = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
    const sqliteVersion = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules/better-sqlite3/package.json'), 'utf8')) as { version: string }).version;

    it.skipIf(skipReason('node_modules/better-sqlite3 has no Node build', !existsSync(sqliteBinding)))(
      'puts the Electron build in its own folder and leaves node_modules/better-sqlite3 loadable in Node',
      async () => {
        const cache = mkdtempSync(path.join(os.tmpdir(), 'longbox-dist-hook-'));
        temps.push(cache);
        const env = { ...process.env, LONGBOX_ELECTRON_NATIVE_DIR: cache };
        const cached = path.join(cache, bindingFileName({ sqliteVersion, electronVersion, platform: 'linux', arch: 'x64' }));
        writeFileSync(cached, 'electron-abi build made earlier');
        const before = digest(sqliteBinding);
        await beforePack({ electronPlatformName: 'linux', arch: 1, packager: { config: { electronVersion } } }, { env });
        expect(readFileSync(path.join(cache, 'package/x64/better_sqlite3.node'), 'utf8')).toBe('electron-abi build made earlier');
        expect(digest(sqliteBinding)).toBe(before);
        const load = loadsInNode();
        expect(load.stderr).toBe('');
        expect(load.status).toBe(0);
      },
    );

    it('stops packaging with a clear error when no Electron build can be made, and still leaves node_modules alone', async () => {
      const cache = mkdtempSync(path.join(os.tmpdir(), 'longbox-dist-hook-'));
      temps.push(cache);
      const before = existsSync(sqliteBinding) ? digest(sqliteBinding) : null;
      await expect(
        beforePack({ electronPlatformName: 'linux', arch: 'x64' }, { env: { LONGBOX_ELECTRON_NATIVE_DIR: cache }, makeBinding: () => ({ binding: null, log: '/tmp/build.log' }) }),
      ).rejects.toThrow(`Longbox: could not build better-sqlite3 for Electron ${electronVersion} linux-x64 (see /tmp/build.log).`);
      await expect(beforePack({ electronPlatformName: 'darwin', arch: 4 }, { env: { LONGBOX_ELECTRON_NATIVE_DIR: cache } })).rejects.toThrow(/universal/);
      expect(existsSync(path.join(cache, 'package'))).toBe(false);
      if (before) expect(digest(sqliteBinding)).toBe(before);
    });
  });
});

