// No import circles in the product (shared/, electron/, renderer/; tests and test helpers left out):
// every relative import, type-only ones included, is an edge, and the graph must have no cycle. A
// circle makes two modules one in all but name (neither can be read, tested or moved alone) and, for
// value imports, can leave a binding undefined at load time. When this fails, move what both sides
// share into a third module (as store/query-sql.ts, store/db.ts, server/route-types.ts and
// reader/reader-context.ts were).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { layerOf } from './eslint-layers.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOTS = ['shared', 'electron', 'renderer'];

function productFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(REPO, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') && layerOf(rel) !== 'test') out.push(rel);
    }
  };
  for (const root of ROOTS) walk(root);
  return out;
}

/** The repository path a relative specifier names ('./x.js' → x.ts or x.tsx), or null. */
function resolve(from: string, specifier: string): string | null {
  const base = path.posix.join(path.posix.dirname(from), specifier).replace(/\.js$/, '');
  for (const candidate of [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`]) {
    try {
      if (statSync(path.join(REPO, candidate)).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

function importGraph(files: readonly string[]): Map<string, string[]> {
  const product = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(path.join(REPO, file), 'utf8'), true, true);
    const targets = importedFiles
      .map((f) => f.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => resolve(file, name))
      .filter((target): target is string => target !== null && product.has(target));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The strongly connected components with more than one file (or a file importing itself): Tarjan. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    indexOf.set(node, index);
    low.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indexOf.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, indexOf.get(next)!));
      }
    }
    if (low.get(node) === indexOf.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indexOf.has(node)) visit(node);
  return cycles;
}

describe('import circles', () => {
  it('finds a circle when there is one (the check can fail)', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(findCycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('the product has none', () => {
    const files = productFiles();
    expect(files.length).toBeGreaterThan(100);
    const graph = importGraph(files);
    // The graph is really read: the scheduler imports the watcher.
    expect(graph.get('electron/library/rebuild-scheduler.ts')).toContain('electron/library/watch/watcher.ts');
    expect(findCycles(graph)).toEqual([]);
  });
});
