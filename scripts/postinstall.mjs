// npm postinstall: never fails the install and never rebuilds anything. node_modules keeps
// better-sqlite3 built for Node (the tests need it); `npm start` prepares an Electron build of it
// separately, and electron-builder rebuilds the packaged copy. This only prints a hint when the
// Electron binary is absent (ELECTRON_SKIP_BINARY_DOWNLOAD=1 or an offline install).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

try {
  const require = createRequire(import.meta.url);
  let binary = null;
  try {
    binary = require('electron');
  } catch {
    binary = null;
  }
  if (typeof binary !== 'string' || !existsSync(binary)) {
    console.log('longbox: no Electron binary installed; `npm start` will serve the UI in your browser instead (`npm test` is unaffected).');
  }
} catch {
  // A hint is not worth failing `npm ci` for.
}
