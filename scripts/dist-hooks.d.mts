// Types of dist-hooks.mjs (electron-builder loads the .mjs itself).
import type { electronSqliteBinding } from './lib/electron-desktop.mjs';

export interface BeforePackContextLike {
  electronPlatformName: string;
  arch: number | string;
  packager?: { config?: { electronVersion?: string | null } };
}
export function archName(arch: number | string): string;
export function packagedBindingDir(arch: number | string, env?: NodeJS.ProcessEnv): string;
export function beforePack(context: BeforePackContextLike, options?: { env?: NodeJS.ProcessEnv; makeBinding?: typeof electronSqliteBinding }): Promise<void>;
export default beforePack;
