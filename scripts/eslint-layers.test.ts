// The lint config states the layers: deliberately wrong imports, linted as if they were in the
// named product file, must fail with longbox/layers; the right ones must pass.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const eslint = new ESLint({ cwd: REPO });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(REPO, file) });
  return result!.messages.filter((m) => m.ruleId === 'longbox/layers').map((m) => m.message);
}

describe('longbox/layers', () => {
  it.each([
    ['electron/library/watcher.ts', "import { createIpcRouter } from '../ipc.js';\nvoid createIpcRouter;\n", /the engine .* must not import the Electron shell/],
    ['electron/library/store/schema.ts', "import { createHttpHost } from '../../server/http-server.js';\nvoid createHttpHost;\n", /the engine .* must not import the headless host/],
    ['electron/server/cli.ts', "import { LibraryController } from '../library-controller.js';\nvoid LibraryController;\n", /the headless host .* must not import the Electron shell/],
    ['electron/main.ts', "import { generateLibrary } from '../scripts/lib/dev-library.js';\nvoid generateLibrary;\n", /must not import scripts\//],
    ['electron/library/covers.ts', "import { writeComic } from './testing/fixtures.js';\nvoid writeComic;\n", /must not import test code/],
    ['electron/server/api-routes.ts', "export { harness } from './cli.test.js';\n", /must not import test code/],
    ['electron/server/http-server.ts', "import { rawRequest } from './testing/raw-http.js';\nvoid rawRequest;\n", /must not import test code/],
    ['renderer/App.tsx', "import { createFakeApi } from './testing/fake-api.js';\nvoid createFakeApi;\n", /must not import test code/],
    ['renderer/App.tsx', "import { LibraryService } from '../electron/library/library-service.js';\nvoid LibraryService;\n", /the renderer must not import the engine/],
    ['shared/api.ts', "const load = () => import('../electron/library/logger.js');\nvoid load;\n", /shared\/ must not import the engine/],
    ['electron/menu.ts', "import { ipcMain } from 'electron';\nvoid ipcMain;\n", /Only electron\/main.ts imports ipcMain/],
    ['electron/main.ts', "import { ipcMain } from 'electron';\nipcMain.handle('x', () => 1);\n", /Only electron\/ipc.ts registers IPC handlers/],
  ])('%s: a wrong import fails', async (file, code, message) => {
    const errors = await layerErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it.each([
    ['electron/library/watcher.ts', "import { messageOf } from '../../shared/errors.js';\nvoid messageOf;\n"],
    ['electron/server/cli.ts', "import { openLibraryService } from '../library/library-service.js';\nvoid openLibraryService;\n"],
    ['electron/main.ts', "import { createHttpHost } from './server/http-server.js';\nimport { ipcMain } from 'electron';\nvoid createHttpHost;\nvoid ipcMain;\n"],
    ['electron/ipc.ts', "declare const ipcMain: { handle(c: string, f: () => number): void };\nipcMain.handle('x', () => 1);\n"],
    ['electron/library/covers.test.ts', "import { buildZip } from '../../scripts/testing/zip-writer.js';\nvoid buildZip;\n"],
    ['e2e/testing/serve.ts', "import { generateLibrary } from '../../scripts/lib/dev-library.js';\nvoid generateLibrary;\n"],
  ])('%s: an allowed import passes', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
