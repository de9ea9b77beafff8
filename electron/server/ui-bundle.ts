// How the built renderer (out/renderer) is served, the same way by both hosts: the headless host over
// HTTP (static-files.ts) and the desktop shell over longbox://app/ (electron/protocol-url.ts). One
// path guard, one content-type rule, one CSP builder; each host adds only what differs (the desktop
// page also loads covers and pages from longbox:).
import path from 'node:path';
import { contentTypeForExtension } from '../../shared/content-types.js';

type CspDirective =
  | 'default-src'
  | 'img-src'
  | 'style-src'
  | 'script-src'
  | 'font-src'
  | 'connect-src'
  | 'object-src'
  | 'base-uri'
  | 'form-action'
  | 'frame-ancestors';

/** What the renderer needs, nothing looser: no inline script, nothing from the network, no framing. */
const BASE_CSP: ReadonlyArray<readonly [CspDirective, readonly string[]]> = [
  ['default-src', ["'self'"]],
  ['img-src', ["'self'", 'data:', 'blob:']],
  ['style-src', ["'self'", "'unsafe-inline'"]],
  ['script-src', ["'self'"]],
  ['connect-src', ["'self'"]],
  ['object-src', ["'none'"]],
  ['base-uri', ["'none'"]],
  ['frame-ancestors', ["'none'"]],
];

/** The renderer's Content-Security-Policy, with a host's additions (sources appended, new directives added). */
export function buildCsp(additions: Partial<Record<CspDirective, readonly string[]>> = {}): string {
  const directives = new Map<CspDirective, string[]>(BASE_CSP.map(([name, sources]) => [name, [...sources]]));
  for (const [name, sources] of Object.entries(additions) as Array<[CspDirective, readonly string[]]>) {
    directives.set(name, [...new Set([...(directives.get(name) ?? []), ...sources])]);
  }
  return [...directives].map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

/**
 * Content type of a bundle file; null when it is not served: an extension the renderer never ships,
 * or a source map where `sourceMaps` is false (the packaged app ships none).
 */
export function bundleContentType(file: string, options: { sourceMaps: boolean }): string | null {
  const ext = path.extname(file);
  if (ext.toLowerCase() === '.map' && !options.sourceMaps) return null;
  return contentTypeForExtension(ext);
}

/** A path segment that may name a bundle file or folder: no `.`/`..`/dot-files, separators, drive colons or NUL. */
export function isBundleSegment(segment: string): boolean {
  return segment !== '' && !segment.startsWith('.') && !/[\\/:\0]/.test(segment);
}

/** Absolute path of `segments` under `root`, or null if any segment is unsafe or the path leaves `root`. */
export function resolveInBundle(root: string, segments: readonly string[]): string | null {
  if (segments.length === 0 || !segments.every(isBundleSegment)) return null;
  const base = path.resolve(root);
  const file = path.resolve(base, ...segments);
  const rel = path.relative(base, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return file;
}
