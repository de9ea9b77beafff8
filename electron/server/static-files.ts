// Serves the built renderer (out/renderer) over HTTP with an SPA fallback. Nothing outside staticDir
// is ever served: the raw path is decoded once, each segment must pass ui-bundle.ts's guard (shared
// with longbox://app/), and the resolved real path must still lie under the real staticDir.
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { HttpError } from './http-util.js';
import { buildCsp, bundleContentType, isBundleSegment, resolveInBundle } from './ui-bundle.js';

export function contentTypeFor(file: string): string {
  return bundleContentType(file, { sourceMaps: true }) ?? 'application/octet-stream';
}

/** Headers every HTML document gets (the renderer needs nothing looser). */
export const HTML_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': buildCsp(),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Splits a raw request path (no query) into safe segments, or throws 400.
 * Exported for tests; `/a/b.js` → ['a', 'b.js'], `/` → [].
 */
export function safeSegments(rawPath: string): string[] {
  if (rawPath.includes('\0') || /%00/i.test(rawPath)) throw new HttpError(400, 'BAD_REQUEST', 'bad path');
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'bad path');
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) {
    throw new HttpError(400, 'BAD_REQUEST', 'bad path');
  }
  const segments = decoded.split('/').filter((s) => s !== '');
  if (!segments.every(isBundleSegment)) throw new HttpError(400, 'BAD_REQUEST', 'bad path');
  return segments;
}

interface Found {
  file: string;
  size: number;
  mtimeMs: number;
}

export class StaticFiles {
  private readonly root: string;
  private readonly rootPrefix: string;

  constructor(staticDir: string) {
    let root = path.resolve(staticDir);
    try {
      root = fs.realpathSync.native(root);
    } catch {
      // Not built (yet): every request falls through to the "not built" answer.
    }
    this.root = root;
    this.rootPrefix = root.endsWith(path.sep) ? root : root + path.sep;
  }

  /** Serves GET/HEAD `rawPath`; `res` is always answered. */
  async serve(req: http.IncomingMessage, res: http.ServerResponse, rawPath: string): Promise<void> {
    const segments = safeSegments(rawPath);
    const direct = segments.length > 0 ? await this.find(segments) : null;
    if (direct) return this.send(req, res, direct, segments[0] === 'assets');

    // `base: './'` builds reference `./assets/x.js`; from a deep SPA URL that becomes `/a/b/assets/x.js`.
    const assetsAt = segments.indexOf('assets');
    if (assetsAt > 0) {
      const asset = await this.find(segments.slice(assetsAt));
      if (asset) return this.send(req, res, asset, true);
    }
    const last = segments[segments.length - 1] ?? '';
    if (assetsAt >= 0 || last.includes('.')) throw new HttpError(404, 'NOT_FOUND', 'no such file');

    // SPA fallback: `/` and unknown paths that look like routes get index.html.
    const index = await this.find(['index.html']);
    if (!index) {
      throw new HttpError(404, 'NOT_FOUND', 'the renderer is not built: run `npm run build` (the API is under /api/)');
    }
    return this.send(req, res, index, false);
  }

  private async find(segments: readonly string[]): Promise<Found | null> {
    const candidate = resolveInBundle(this.root, segments);
    if (candidate === null) return null;
    try {
      const real = await fs.promises.realpath(candidate);
      if (!real.startsWith(this.rootPrefix)) return null;
      const st = await fs.promises.stat(real);
      return st.isFile() ? { file: real, size: st.size, mtimeMs: st.mtimeMs } : null;
    } catch {
      return null;
    }
  }

  private send(req: http.IncomingMessage, res: http.ServerResponse, found: Found, immutable: boolean): Promise<void> {
    const type = contentTypeFor(found.file);
    const headers: Record<string, string> = {
      'Content-Type': type,
      'Content-Length': String(found.size),
      'Cache-Control': immutable ? IMMUTABLE : 'no-cache',
      'Last-Modified': new Date(found.mtimeMs).toUTCString(),
      'X-Content-Type-Options': 'nosniff',
    };
    if (type.startsWith('text/html')) Object.assign(headers, HTML_SECURITY_HEADERS);
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const stream = fs.createReadStream(found.file);
      stream.on('error', () => {
        res.destroy();
        resolve();
      });
      res.on('close', () => {
        stream.destroy();
        resolve();
      });
      stream.pipe(res);
    });
  }
}
