// Expected failures travel as data with a code; bugs are exceptions. See STYLE §5.7.

export const ERROR_CODES = [
  'BAD_REQUEST',
  // Request-level refusals of the HTTP host, each with its own code so a client can tell them apart
  // (405, 413, 415); they never come from the engine.
  'METHOD_NOT_ALLOWED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'FORBIDDEN',
  'NOT_FOUND',
  'NO_LIBRARY',
  'ROOT_UNREADABLE',
  'DB_CORRUPT',
  'DB_FROM_FUTURE',
  'DISK_FULL',
  'BUSY',
  'ENGINE_EXITED',
  'CANCELLED',
  'UNSUPPORTED',
  // A page could not be served: the entry is damaged (bad data, CRC, truncated), the archive is
  // password protected, or the comic's file is gone (deleted or moved since the last rebuild).
  'PAGE_DAMAGED',
  'ENCRYPTED',
  'FILE_MISSING',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface SerializedError {
  code: ErrorCode;
  message: string;
}

export class LongboxError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'LongboxError';
    this.code = code;
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Serialise anything thrown into the shape that crosses IPC, HTTP and the worker protocol. */
export function toSerializedError(err: unknown): SerializedError {
  if (err instanceof LongboxError) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: messageOf(err) };
}

/** The message of anything thrown, for logs and user-facing text (no stack). */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function fromSerializedError(err: SerializedError): LongboxError {
  return new LongboxError(isErrorCode(err.code) ? err.code : 'INTERNAL', err.message);
}

export function missingCaseError(x: never): Error {
  return new Error(`unhandled case: ${JSON.stringify(x)}`);
}
