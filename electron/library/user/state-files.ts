// Export/import files on disk, shared by the CLI (export-state / import-state) and the desktop menu.
import fs from 'node:fs';
import type { LibraryServiceApi } from '../service-types.js';
import type { ImportReport, UserStateExport } from './state-transfer.js';

/** Writes `text` to `file` so that nobody ever sees half of it (temporary file, fsync, rename). */
export function writeFileAtomically(file: string, text: string): void {
  const partial = `${file}.partial-${process.pid}`;
  try {
    const fd = fs.openSync(partial, 'w');
    try {
      fs.writeFileSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(partial, file);
  } finally {
    fs.rmSync(partial, { force: true });
  }
}

export async function exportStateToFile(service: Pick<LibraryServiceApi, 'exportUserState'>, file: string): Promise<UserStateExport> {
  const doc = await service.exportUserState();
  writeFileAtomically(file, `${JSON.stringify(doc, null, 2)}\n`);
  return doc;
}

export class StateFileError extends Error {}

/** Reads and parses an export file; StateFileError with a sentence when it cannot be read or is not JSON. */
export function readStateFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new StateFileError(`cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new StateFileError(`${file} is not valid JSON`);
  }
}

export async function importStateFromFile(service: Pick<LibraryServiceApi, 'importUserState'>, file: string): Promise<ImportReport> {
  return service.importUserState(readStateFile(file));
}
