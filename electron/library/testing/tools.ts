// Command-line tools some tests compare against (7z, xz, qpdf…): present here and on CI (.ci/run installs
// them), perhaps not on a contributor's machine, where those tests skip with a printed reason.
import { execFileSync } from 'node:child_process';

/** True when `command args` runs and exits 0. */
export function hasTool(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** hasTool, printing `skipping <what>: <command> (<package>) is not installed` when it is not there. */
export function toolForTests(command: string, args: string[], what: string, debianPackage: string): boolean {
  const present = hasTool(command, args);
  if (!present) console.log(`skipping ${what}: the \`${command}\` command (Debian ${debianPackage}) is not installed`);
  return present;
}
