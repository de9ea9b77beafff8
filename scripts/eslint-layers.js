// The layers as a lint rule (docs/architecture.md "Layers and modules"). Every import of a product
// file is resolved to a repository path and checked against LAYERS: the engine never imports the shell
// or the host, the host never the shell, the renderer only shared/; no product file imports scripts/,
// e2e/, bench/ or test code. Only the shell's composition root (electron/main.ts) imports ipcMain, and
// only the shell's IPC module (electron/ipc.ts) calls it. Test files are not product and may import
// anything. Tested in scripts/eslint-layers.test.ts with deliberately wrong imports.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Each product layer and the layers it may import (itself included). */
export const LAYERS = {
  shared: ['shared'],
  engine: ['shared', 'engine'],
  host: ['shared', 'engine', 'host'],
  shell: ['shared', 'engine', 'host', 'shell'],
  renderer: ['shared', 'renderer'],
};

// Test code: the *.test.* / *.spec.* files and every layer's testing/ folder (the one home of test helpers).
const TEST_CODE = [/\.(test|spec)\.[cm]?[jt]sx?$/, /(^|\/)testing\//];

/** Repository-relative path (forward slashes) → layer name, 'tooling' (scripts, e2e, bench) or null (config files). */
export function layerOf(rel) {
  if (TEST_CODE.some((re) => re.test(rel))) return 'test';
  if (rel.startsWith('shared/')) return 'shared';
  if (rel.startsWith('electron/library/')) return 'engine';
  if (rel.startsWith('electron/server/')) return 'host';
  if (rel.startsWith('electron/')) return 'shell';
  if (rel.startsWith('renderer/')) return 'renderer';
  if (rel.startsWith('scripts/') || rel.startsWith('e2e/') || rel.startsWith('bench/')) return 'tooling';
  return null;
}

const NAMES = { shared: 'shared/', engine: 'the engine (electron/library/)', host: 'the headless host (electron/server/)', shell: 'the Electron shell (electron/*.ts)', renderer: 'the renderer', tooling: 'scripts/, e2e/ or bench/', test: 'test code' };

function repoPath(file) {
  return path.relative(REPO, file).split(path.sep).join('/');
}

/** @type {import('eslint').Rule.RuleModule} */
const layersRule = {
  meta: { type: 'problem', schema: [], messages: { layer: '{{from}} must not import {{to}} ({{source}}).', ipcImport: 'Only electron/main.ts imports ipcMain (it hands it to electron/ipc.ts).', ipcUse: 'Only electron/ipc.ts registers IPC handlers.' } },
  create(context) {
    const file = repoPath(context.filename);
    const from = layerOf(file);
    if (from === null || from === 'test' || from === 'tooling') return {};
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const to = layerOf(repoPath(path.resolve(path.dirname(context.filename), source)));
      if (to === null || LAYERS[from].includes(to)) return;
      context.report({ node, messageId: 'layer', data: { from: NAMES[from], to: NAMES[to], source } });
    };
    return {
      ImportDeclaration(node) {
        check(node, node.source.value);
        if (node.source.value === 'electron' && file !== 'electron/main.ts') {
          for (const spec of node.specifiers) {
            if (spec.type === 'ImportSpecifier' && spec.imported.name === 'ipcMain') context.report({ node: spec, messageId: 'ipcImport' });
          }
        }
      },
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      MemberExpression(node) {
        if (file !== 'electron/ipc.ts' && node.object.type === 'Identifier' && node.object.name === 'ipcMain') context.report({ node, messageId: 'ipcUse' });
      },
    };
  },
};

export const layersPlugin = { rules: { layers: layersRule } };
