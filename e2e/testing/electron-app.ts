// Launching the built Electron app from Playwright, and deciding up front whether that is possible
// here: the Electron binary must exist (it does not when installed with
// ELECTRON_SKIP_BINARY_DOWNLOAD=1), Linux needs a display, and better-sqlite3 must have been built
// for Electron's ABI (`npm start` does that once, into .cache/electron-native).
import { _electron as electron, type ElectronApplication } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = path.join(ROOT, 'out/electron/main.js');

export interface ElectronAvailability {
  canRun: boolean;
  reason: string;
  binary: string | null;
  sqliteBinding: string | null;
}

function electronBinary(): string | null {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown;
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function cachedSqliteBinding(): string | null {
  try {
    const version = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
    const dir = path.join(ROOT, '.cache/electron-native');
    const suffix = `-electron-${version}-${process.platform}-${process.arch}.node`;
    const name = existsSync(dir) ? readdirSync(dir).find((file) => file.startsWith('better_sqlite3-') && file.endsWith(suffix)) : undefined;
    return name ? path.join(dir, name) : null;
  } catch {
    return null;
  }
}

export function electronAvailability(): ElectronAvailability {
  const binary = electronBinary();
  const sqliteBinding = cachedSqliteBinding();
  const no = (reason: string): ElectronAvailability => ({ canRun: false, reason, binary, sqliteBinding });
  if (!binary) return no('no Electron binary (never downloaded: offline or ELECTRON_SKIP_BINARY_DOWNLOAD=1; `npm run get-electron` fetches it)');
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return no('no display (DISPLAY/WAYLAND_DISPLAY unset; try xvfb-run)');
  if (!existsSync(MAIN)) return no('the app is not built (run `npm run build`)');
  if (!sqliteBinding) return no('better-sqlite3 is not built for Electron yet (run `npm start` once; it caches one in .cache/electron-native)');
  return { canRun: true, reason: '', binary, sqliteBinding };
}

export function appEnv(availability: ElectronAvailability, userData: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && key !== 'ELECTRON_RUN_AS_NODE') env[key] = value;
  return { ...env, LONGBOX_E2E: '1', LONGBOX_USER_DATA: userData, LONGBOX_SQLITE_BINDING: availability.sqliteBinding ?? '' };
}

/** Starts the built app on `library` (or the remembered one) with its own userData. */
export async function launchLongbox(availability: ElectronAvailability, userData: string, library?: string): Promise<ElectronApplication> {
  return electron.launch({
    executablePath: availability.binary ?? undefined,
    args: [MAIN, ...(library ? [library] : [])],
    cwd: ROOT,
    env: appEnv(availability, userData),
    timeout: 60_000,
  });
}

/**
 * Starts a second instance (with a file to open, or none) next to a running app and resolves with its
 * exit code: it hands over to the first instance and exits, or fails after 20 s.
 */
export function runSecondInstance(availability: ElectronAvailability, userData: string, file?: string): Promise<number | null> {
  return new Promise<number | null>((resolve, reject) => {
    const child = spawn(availability.binary!, [MAIN, ...(file ? [file] : [])], { env: appEnv(availability, userData), stdio: 'ignore' });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the second instance did not exit within 20 s'));
    }, 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}
