// What a test opened and did not close: closed after it, child processes first (SIGKILL), then services.
import type { ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';

export interface OpenedInTests {
  children?: ChildProcess[];
  services?: Array<{ close(): Promise<void> }>;
}

/** After each test: SIGKILLs the children and closes the services these lists hold, and empties them. */
export function closeAfterEach(opened: OpenedInTests): void {
  afterEach(async () => {
    for (const child of opened.children?.splice(0) ?? []) child.kill('SIGKILL');
    await Promise.all((opened.services?.splice(0) ?? []).map((s) => s.close()));
  });
}
