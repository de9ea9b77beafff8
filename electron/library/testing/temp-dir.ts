// Temporary folders for tests: made by a before hook, removed with all in them by the matching after hook.
// Vitest runs after hooks in the reverse order of their registration (sequence.hooks 'stack'), so a
// folder registered first is removed last: after what the file's own afterEach/afterAll close in it
// (services, databases, child processes).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

type Hook = (fn: () => void) => void;

function tempDirBetween(before: Hook, after: Hook, prefix: string, made: (dir: string) => void): void {
  let dir: string | undefined;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    made(dir);
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
}

/** One folder for all the tests of the calling file (or describe); `made` receives its path before the first. */
export function tempDirForAll(prefix: string, made: (dir: string) => void): void {
  tempDirBetween(beforeAll, afterAll, prefix, made);
}

/** A fresh folder for each test of the calling file (or describe); `made` receives its path before the test. */
export function tempDirForEach(prefix: string, made: (dir: string) => void): void {
  tempDirBetween(beforeEach, afterEach, prefix, made);
}
