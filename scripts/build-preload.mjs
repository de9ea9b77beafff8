// Bundles electron/preload.ts into out/electron/preload.cjs: one CommonJS file, because a sandboxed
// preload can neither load ES modules nor require anything but electron and a few built-ins.
// `node scripts/build-preload.mjs [--outfile <file>] [--electron <module>]`: the e2e bridge spec
// builds a second copy with `electron` aliased to its test transport.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** What a sandboxed preload may require (Electron's sandbox module list). */
const SANDBOX_MODULES = new Set(['electron', 'events', 'timers', 'url']);

/**
 * shared/ipc.ts builds its zod schemas at module load. The preload never validates (main does, on
 * every call), so zod is replaced by an inert stand-in whose every property and call returns itself:
 * the preload drops from ~740 KiB to a few KiB. A named import other than `z` fails the build loudly.
 */
const ZOD_STUB = `
const handler = {
  get: (_target, key) => (key === 'then' ? undefined : key === Symbol.toPrimitive ? () => '[zod stub]' : stub),
  apply: () => stub,
  construct: () => stub,
};
const stub = new Proxy(function zodStub() {}, handler);
export const z = stub;
export default stub;
`;
const zodStubPlugin = {
  name: 'longbox-zod-stub',
  setup(b) {
    b.onResolve({ filter: /^zod(\/.*)?$/ }, () => ({ path: 'zod', namespace: 'longbox-zod-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'longbox-zod-stub' }, () => ({ contents: ZOD_STUB, loader: 'js' }));
  },
};

/**
 * `electronModule`: bundle this module in place of `electron` (the e2e bridge spec's test transport);
 * with it the output is a browser IIFE that can be injected into a page.
 */
export async function buildPreload({ outfile = path.join(ROOT, 'out/electron/preload.cjs'), electronModule = null } = {}) {
  await build({
    entryPoints: [path.join(ROOT, 'electron/preload.ts')],
    outfile,
    bundle: true,
    platform: electronModule ? 'browser' : 'node',
    format: electronModule ? 'iife' : 'cjs',
    target: electronModule ? 'chrome120' : 'node22',
    external: electronModule ? [] : ['electron'],
    alias: electronModule ? { electron: electronModule } : {},
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [zodStubPlugin],
  });
  const code = readFileSync(outfile, 'utf8');
  const required = [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
  const forbidden = required.filter((name) => !SANDBOX_MODULES.has(name));
  if (forbidden.length > 0) throw new Error(`preload requires modules a sandboxed preload cannot load: ${forbidden.join(', ')}`);
  return { outfile, bytes: Buffer.byteLength(code) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name) => {
    const i = args.indexOf(name);
    return i === -1 ? undefined : args[i + 1];
  };
  const outfile = option('--outfile');
  const electronModule = option('--electron');
  buildPreload({ ...(outfile ? { outfile: path.resolve(outfile) } : {}), ...(electronModule ? { electronModule: path.resolve(electronModule) } : {}) })
    .then(({ outfile: file, bytes }) => console.log(`preload: ${path.relative(ROOT, file)} (${(bytes / 1024).toFixed(1)} KiB)`))
    .catch((error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    });
}
