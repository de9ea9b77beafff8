// Request-level access checks of the headless host: bearer token, Host header (DNS rebinding) and
// Origin on state-changing requests (CSRF from other web pages in the same browser).
import crypto from 'node:crypto';
import type http from 'node:http';

function digest(value: string): Buffer {
  return crypto.createHash('sha256').update(value, 'utf8').digest();
}

export type TokenCheck = (req: http.IncomingMessage, params: URLSearchParams) => boolean;

/**
 * Accepts `Authorization: Bearer <token>` or `?token=<token>` (EventSource cannot set headers).
 * Both sides are hashed first so timingSafeEqual compares equal lengths and leaks nothing.
 */
export function createTokenCheck(token: string): TokenCheck {
  const expected = digest(token);
  const matches = (candidate: string): boolean => crypto.timingSafeEqual(digest(candidate), expected);
  return (req, params) => {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (m && matches(m[1])) return true;
    }
    const fromQuery = params.get('token');
    return fromQuery !== null && matches(fromQuery);
  };
}

/** True for names and addresses that only ever reach this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Host part of a `Host` header value (`name:port`, `[v6]:port`), lower-cased; null if malformed. */
export function hostnameOf(hostHeader: string): string | null {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/i.exec(hostHeader.trim());
  return m ? m[1].toLowerCase() : null;
}

/**
 * DNS-rebinding defence: a page on evil.example that rebinds its name to 127.0.0.1 still sends
 * `Host: evil.example`, so only the bound host and loopback names are accepted.
 */
export function createHostCheck(boundHost: string | undefined): (req: http.IncomingMessage) => boolean {
  const allowed = new Set(['localhost', '127.0.0.1', '[::1]']);
  if (boundHost) {
    const b = boundHost.toLowerCase();
    allowed.add(b.includes(':') && !b.startsWith('[') ? `[${b}]` : b);
  }
  return (req) => {
    const header = req.headers.host;
    if (header === undefined) return false;
    const name = hostnameOf(header);
    return name !== null && allowed.has(name);
  };
}

/**
 * A state-changing request from a browser carries `Origin`; it must be this host's own origin.
 * Requests without Origin (curl, scripts) pass: they are not a browser acting for another site.
 */
export function isSameOriginOrNone(req: http.IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const host = req.headers.host;
  if (host === undefined) return false;
  return origin === `http://${host}` || origin === `https://${host}`;
}
