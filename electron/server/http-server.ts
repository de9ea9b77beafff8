// The headless host's HTTP server: the JSON API and SSE under /api/, the built renderer elsewhere.
//
// Access model:
// - Without a token the server must be bound to loopback (the CLI refuses otherwise) and every request
//   must carry a loopback `Host` header (or the bound host's name): DNS-rebinding defence.
// - With a token every /api/ request needs `Authorization: Bearer <token>` or `?token=<token>`;
//   static files are served without it. The page is opened as `http://host:port/?token=<token>` and
//   the renderer's HTTP client reads the token from its own URL and sends it on every call.
// - State-changing requests from a browser must come from this origin (Origin header); JSON bodies
//   must be sent as application/json, which a foreign page cannot do without a CORS preflight that is
//   never granted.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LibraryInfo } from '../../shared/types.js';
import { silentLogger, type Logger } from '../library/logger.js';
import type { LibraryServiceApi } from '../library/service-types.js';
import { handleApi } from './api-routes.js';
import type { ApiContext } from './route-types.js';
import { HttpError, sendError } from './http-util.js';
import { createHostCheck, createTokenCheck, isSameOriginOrNone, type TokenCheck } from './security.js';
import { EventStreams } from './sse.js';
import { StaticFiles } from './static-files.js';

export interface HttpHostOptions {
  service: LibraryServiceApi;
  library: LibraryInfo;
  /** The built renderer (out/renderer); without it only the API is served. */
  staticDir?: string;
  /** When set, every /api/ request must present it; the Host check is then skipped. */
  token?: string;
  /** The host the server is bound to, accepted in `Host` headers besides the loopback names. */
  host?: string;
  logger?: Logger;
  /** SSE keep-alive comment interval (default 15 s). */
  pingMs?: number;
}

export interface HttpHost {
  readonly server: http.Server;
  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Ends SSE streams and open connections, then stops the server. Does not close the service. */
  close(): Promise<void>;
}

interface Target {
  pathname: string;
  params: URLSearchParams;
}

/** Splits `req.url` without the WHATWG URL parser, which would silently normalise `..` away. */
function splitTarget(url: string): Target {
  if (!url.startsWith('/')) throw new HttpError(400, 'BAD_REQUEST', 'bad request target');
  const q = url.indexOf('?');
  return q < 0
    ? { pathname: url, params: new URLSearchParams() }
    : { pathname: url.slice(0, q), params: new URLSearchParams(url.slice(q + 1)) };
}

export function createHttpHost(options: HttpHostOptions): HttpHost {
  const logger = options.logger ?? silentLogger;
  const events = new EventStreams(options.service, options.pingMs ?? 15_000);
  const ctx: ApiContext = { service: options.service, library: options.library, events, logger };
  const files = options.staticDir !== undefined ? new StaticFiles(options.staticDir) : null;
  const tokenCheck: TokenCheck | null = options.token ? createTokenCheck(options.token) : null;
  const hostCheck = createHostCheck(options.host);

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { pathname, params } = splitTarget(req.url ?? '/');
    if (!tokenCheck && !hostCheck(req)) throw new HttpError(403, 'FORBIDDEN', 'host not allowed');

    if (pathname === '/api' || pathname.startsWith('/api/')) {
      if (tokenCheck && !tokenCheck(req, params)) {
        throw new HttpError(401, 'FORBIDDEN', 'a valid token is required', { 'WWW-Authenticate': 'Bearer' });
      }
      params.delete('token');
      if (req.method !== 'GET' && req.method !== 'HEAD' && !isSameOriginOrNone(req)) {
        throw new HttpError(403, 'FORBIDDEN', 'cross-origin request refused');
      }
      await handleApi(ctx, req, res, pathname, params);
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw new HttpError(405, 'METHOD_NOT_ALLOWED', `method ${req.method ?? ''} not allowed`, { Allow: 'GET, HEAD' });
    }
    if (!files) throw new HttpError(404, 'NOT_FOUND', 'no user interface is served here (the API is under /api/)');
    await files.serve(req, res, pathname);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        logger.warn(`${req.method ?? ''} ${req.url ?? ''}: failed after headers were sent`);
        res.destroy();
        return;
      }
      sendError(res, err, logger, `${req.method ?? ''} ${(req.url ?? '').slice(0, 200)}`);
    });
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        const onError = (err: Error): void => reject(err);
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    close() {
      events.closeAll();
      return new Promise((resolve) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
