// Expected failures travel as data with a code; bugs are exceptions. See STYLE §5.7.

export const ERROR_CODES = [
  'BAD_REQUEST',
  'FORBIDDEN',
  'NOT_FOUND',
  'NO_LIBRARY',
  'ROOT_UNREADABLE',
  'DB_CORRUPT',
  'DB_FROM_FUTURE',
  'ENGINE_EXITED',
  'CANCELLED',
  'UNSUPPORTED',
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
  if (err instanceof Error) return { code: 'INTERNAL', message: err.message };
  return { code: 'INTERNAL', message: String(err) };
}

export function fromSerializedError(err: SerializedError): LongboxError {
  return new LongboxError(isErrorCode(err.code) ? err.code : 'INTERNAL', err.message);
}

export function missingCaseError(x: never): Error {
  return new Error(`unhandled case: ${JSON.stringify(x)}`);
}
