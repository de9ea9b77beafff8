// Small response/request helpers shared by the API routes, the SSE stream and the static files.
import type http from 'node:http';
import { LongboxError, type ErrorCode } from '../../shared/errors.js';
import type { Logger } from '../library/logger.js';
import { toLogFormat } from '../library/logger.js';

/** An error that already knows its HTTP status (request-level problems found by the host itself). */
export class HttpError extends Error {
  readonly status: number;
  /** Always one of the shared ErrorCodes, so HTTP clients map it like any other LongboxError. */
  readonly code: ErrorCode;
  readonly headers: Readonly<Record<string, string>>;
  constructor(status: number, code: ErrorCode, message: string, headers: Readonly<Record<string, string>> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  NO_LIBRARY: 409,
  ROOT_UNREADABLE: 503,
  UNSUPPORTED: 404,
  PAGE_DAMAGED: 422,
  ENCRYPTED: 422,
  FILE_MISSING: 410,
  DB_CORRUPT: 500,
  DB_FROM_FUTURE: 500,
  DISK_FULL: 507,
  BUSY: 503,
  ENGINE_EXITED: 500,
  CANCELLED: 500,
  INTERNAL: 500,
};

export function statusForCode(code: ErrorCode): number {
  return STATUS_BY_CODE[code];
}

const JSON_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
} as const;

/** Writes a JSON body (already stringified when `body` is a string). No-op if the client went away. */
export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers?: Readonly<Record<string, string>>,
): void {
  if (res.headersSent || res.destroyed) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { ...JSON_HEADERS, 'Content-Length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

export function sendErrorBody(
  res: http.ServerResponse,
  status: number,
  code: ErrorCode,
  message: string,
  headers?: Readonly<Record<string, string>>,
): void {
  sendJson(res, status, { error: { code, message } }, headers);
}

/**
 * Maps anything thrown by a route to a JSON error response. LongboxError codes keep their message;
 * anything else is a bug: logged with its stack, answered with a generic 500 (no stack, no paths).
 */
export function sendError(res: http.ServerResponse, err: unknown, logger: Logger, context: string): void {
  if (err instanceof HttpError) {
    sendErrorBody(res, err.status, err.code, err.message, err.headers);
    return;
  }
  if (err instanceof LongboxError) {
    const status = statusForCode(err.code);
    if (status >= 500) logger.error(`${context}: ${err.code}: ${err.message}`);
    sendErrorBody(res, status, err.code, err.message);
    return;
  }
  logger.error(`${context}: ${toLogFormat(err)}`);
  sendErrorBody(res, 500, 'INTERNAL', 'internal error');
}

/** Reads a request body of at most `limit` bytes; rejects 413 beyond it (without buffering the rest). */
export function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', `body over ${limit} bytes`, { Connection: 'close' }));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        req.pause();
        reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', `body over ${limit} bytes`, { Connection: 'close' }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    });
    req.on('error', (err) => {
      if (!failed) {
        failed = true;
        reject(err);
      }
    });
  });
}

/** Parses a JSON request body; requires `Content-Type: application/json` (forces a CORS preflight). */
export async function readJsonBody(req: http.IncomingMessage, limit: number): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'expected Content-Type: application/json');
  }
  const body = await readBody(req, limit);
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'body is not valid JSON');
  }
}
