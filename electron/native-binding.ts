// Which better-sqlite3 native binding the Electron app loads. node_modules/better-sqlite3 is built for
// Node (the tests, `longbox serve` and the bench use it), so the app never loads that one:
// - packaged: resources/native/better_sqlite3.node, built for Electron by the packaging hook
//   (scripts/dist-hooks.mjs, copied by electron-builder.yml's extraResources);
// - development (`npm start`): the cached Electron build scripts/start.mjs passes in LONGBOX_SQLITE_BINDING.
// Every better-sqlite3 Database the Electron main process or its worker opens must get this path as
// `nativeBinding` (LibraryServiceOptions.nativeBinding does it for the library). No electron import.
import path from 'node:path';

export const PACKAGED_BINDING = { dir: 'native', file: 'better_sqlite3.node' } as const;

export interface BindingContext {
  isPackaged: boolean;
  /** process.resourcesPath in Electron. */
  resourcesPath: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** The binding's path, or undefined for better-sqlite3's default lookup (only right in plain Node). */
export function nativeBindingFor(context: BindingContext): string | undefined {
  if (context.isPackaged) return path.join(context.resourcesPath, PACKAGED_BINDING.dir, PACKAGED_BINDING.file);
  return context.env.LONGBOX_SQLITE_BINDING || undefined;
}
