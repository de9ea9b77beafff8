// Where the headless host keeps its data: one data home, one data dir per library under it.
//   <home>/libraries/<16 hex of sha256(root)>/   library.db, rebuild.lock, covers/
//   <home>/sample-library/                        the generated sample comics
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface DataHomeEnv {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  homedir?: string;
}

/**
 * `LONGBOX_DATA_DIR` if set; otherwise the platform's per-user data folder:
 * `$XDG_DATA_HOME/longbox` or `~/.local/share/longbox` (Linux and other Unixes),
 * `~/Library/Application Support/Longbox` (macOS), `%APPDATA%\Longbox` (Windows).
 */
export function defaultDataHome(where: DataHomeEnv = {}): string {
  const env = where.env ?? process.env;
  const platform = where.platform ?? process.platform;
  const p = platform === 'win32' ? path.win32 : path.posix;
  const home = where.homedir ?? os.homedir();
  if (env.LONGBOX_DATA_DIR) return p.resolve(env.LONGBOX_DATA_DIR);
  if (platform === 'win32') return p.join(env.APPDATA || p.join(home, 'AppData', 'Roaming'), 'Longbox');
  if (platform === 'darwin') return p.join(home, 'Library', 'Application Support', 'Longbox');
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  return xdg && p.isAbsolute(xdg) ? p.join(xdg, 'longbox') : p.join(home, '.local', 'share', 'longbox');
}

/** The library folder as one canonical string: its real path when it exists, else the resolved path. */
export function canonicalRoot(root: string): string {
  const resolved = path.resolve(root);
  try {
    return fs.realpathSync.native(resolved);
  } catch {
    return resolved;
  }
}

/** `home/libraries/<first 16 hex digits of sha256(canonical root)>`. */
export function libraryDataDir(home: string, root: string): string {
  const key = crypto.createHash('sha256').update(canonicalRoot(root), 'utf8').digest('hex').slice(0, 16);
  return path.join(home, 'libraries', key);
}

export function sampleLibraryDir(home: string): string {
  return path.join(home, 'sample-library');
}
