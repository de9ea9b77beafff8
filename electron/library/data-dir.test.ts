import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultDataHome, libraryDataDir, sampleLibraryDir } from './data-dir.js';

describe('defaultDataHome', () => {
  it('prefers LONGBOX_DATA_DIR everywhere', () => {
    expect(defaultDataHome({ env: { LONGBOX_DATA_DIR: '/data/lb' }, platform: 'linux', homedir: '/home/u' })).toBe('/data/lb');
    expect(defaultDataHome({ env: { LONGBOX_DATA_DIR: '/data/lb' }, platform: 'darwin', homedir: '/Users/u' })).toBe(
      '/data/lb',
    );
  });

  it('follows XDG on Linux, ignoring a relative XDG_DATA_HOME', () => {
    expect(defaultDataHome({ env: { XDG_DATA_HOME: '/x/share' }, platform: 'linux', homedir: '/home/u' })).toBe(
      '/x/share/longbox',
    );
    expect(defaultDataHome({ env: {}, platform: 'linux', homedir: '/home/u' })).toBe('/home/u/.local/share/longbox');
    expect(defaultDataHome({ env: { XDG_DATA_HOME: 'rel' }, platform: 'linux', homedir: '/home/u' })).toBe(
      '/home/u/.local/share/longbox',
    );
  });

  it('uses Application Support on macOS and %APPDATA% on Windows', () => {
    expect(defaultDataHome({ env: {}, platform: 'darwin', homedir: '/Users/u' })).toBe(
      '/Users/u/Library/Application Support/Longbox',
    );
    expect(defaultDataHome({ env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, platform: 'win32', homedir: 'C:\\Users\\u' })).toBe(
      'C:\\Users\\u\\AppData\\Roaming\\Longbox',
    );
    expect(defaultDataHome({ env: {}, platform: 'win32', homedir: 'C:\\Users\\u' })).toBe(
      'C:\\Users\\u\\AppData\\Roaming\\Longbox',
    );
  });

  it('defaults to the real environment', () => {
    expect(path.isAbsolute(defaultDataHome())).toBe(true);
  });
});

describe('libraryDataDir', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'longbox-datadir-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('is home/libraries/<16 hex of sha256(real root)>', () => {
    const real = fs.realpathSync(tmp);
    const expected = crypto.createHash('sha256').update(real).digest('hex').slice(0, 16);
    expect(libraryDataDir('/h', tmp)).toBe(path.join('/h', 'libraries', expected));
  });

  it('gives the same dir for a symlink, a trailing slash or a relative path to the same folder', () => {
    const lib = path.join(tmp, 'lib');
    fs.mkdirSync(lib);
    const link = path.join(tmp, 'link');
    fs.symlinkSync(lib, link);
    const a = libraryDataDir('/h', lib);
    expect(libraryDataDir('/h', link)).toBe(a);
    expect(libraryDataDir('/h', `${lib}/`)).toBe(a);
    expect(libraryDataDir('/h', path.relative(process.cwd(), lib))).toBe(a);
    expect(libraryDataDir('/h', path.join(tmp, 'other'))).not.toBe(a);
  });

  it('works for a folder that does not exist (yet)', () => {
    expect(libraryDataDir('/h', '/no/such/folder')).toMatch(/^\/h\/libraries\/[0-9a-f]{16}$/);
  });

  it('puts the sample library under the home', () => {
    expect(sampleLibraryDir('/h')).toBe(path.join('/h', 'sample-library'));
  });
});
