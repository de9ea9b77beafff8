// Messages between the page server (host thread) and its page workers (worker_threads).
import { ArchiveError } from '../archive/index.js';
import type { ErrorKind } from '../../../shared/types.js';
import type { PageEntries } from './page-reader.js';

export type PageWorkerRequest =
  | { id: number; op: 'list'; file: string; key: string }
  | { id: number; op: 'read'; file: string; key: string; name: string; maxBytes: number };

export type SerializedFailure =
  | { type: 'archive'; kind: ErrorKind; message: string }
  | { type: 'error'; message: string; code?: string };

export type PageWorkerResponse =
  | { id: number; ok: true; list: PageEntries }
  | { id: number; ok: true; data: Uint8Array }
  | { id: number; ok: false; failure: SerializedFailure };

export function serializeFailure(error: unknown): SerializedFailure {
  if (error instanceof ArchiveError) return { type: 'archive', kind: error.kind, message: error.message };
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return { type: 'error', message: error instanceof Error ? error.message : String(error), ...(typeof code === 'string' ? { code } : {}) };
}

export function deserializeFailure(failure: SerializedFailure): Error {
  if (failure.type === 'archive') return new ArchiveError(failure.kind, failure.message);
  const error = new Error(failure.message) as NodeJS.ErrnoException;
  if (failure.code !== undefined) error.code = failure.code;
  return error;
}
