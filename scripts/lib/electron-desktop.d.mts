// Types of electron-desktop.mjs (plain JS: it runs before anything is built, under any Node).
import type { Stats } from 'node:fs';

export const ROOT: string;
export const DEFAULT_HEADERS_URL: string;

export function electronPackageDir(env?: NodeJS.ProcessEnv): string | null;
export function electronVersion(dir: string): string;
export function electronExecutable(dir: string | null): string | null;
export function findElectron(options?: { env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; dir?: string | null }): { binary: string; reason: null } | { binary: null; reason: string };
export function sandboxProblem(options: {
  platform?: NodeJS.Platform;
  binary: string | null;
  readText?: (file: string) => string | null;
  statFile?: (file: string) => Pick<Stats, 'uid' | 'mode'> | null;
}): string | null;
export function shouldCopyForBuild(pkgDir: string, src: string): boolean;
export function bindingFileName(parts: { sqliteVersion: string; electronVersion: string; platform: string; arch: string }): string;
export function nativeCacheDir(env?: NodeJS.ProcessEnv): string;
export function buildEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;

export type RunTool = (command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; stdio: unknown; shell: false }) => boolean;

export function electronSqliteBinding(options: {
  electronVersion: string;
  sqliteDir?: string;
  cacheDir?: string;
  platform?: string;
  arch?: string;
  env?: NodeJS.ProcessEnv;
  run?: RunTool;
  onProgress?: (line: string) => void;
}): { binding: string; log: string | null } | { binding: null; log: string };

export function signalPlan(platform: NodeJS.Platform): 'forward' | 'wait-for-child';
