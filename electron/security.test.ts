// Security checks the owners' suites do not already make (see SECURITY.md for the map): hostile HTTP
// requests against the real engine (ids only, never paths; malformed queries and bodies → 4xx, never
// 500), the token compared in constant time whatever its length, the CSPs blocking inline script, and
// static checks of the Electron code: no openExternal/openPath on unchecked input, the hardened window,
// no file writes in the archive layer (entry names never become paths).
import crypto from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openLibraryService, type LibraryService } from './library/library-service.js';
import { writeLibrary } from './library/testing/fixtures.js';
import { APP_CSP } from './protocol-url.js';
import { createHttpHost, type HttpHost } from './server/http-server.js';
import { HTML_SECURITY_HEADERS } from './server/static-files.js';
import { rawRequest } from './server/testing/raw-http.js';

const repo = fileURLToPath(new URL('../', import.meta.url));

let dir: string;
let service: LibraryService;
let open: HttpHost;
let openPort: number;
let guarded: HttpHost;
let guardedPort: number;
const TOKEN = 'correct-horse-battery-staple-42';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lb-security-'));
  const root = join(dir, 'library');
  mkdirSync(root);
  writeLibrary(root, 5);
  service = await openLibraryService({ root, dataDir: join(dir, 'data'), watch: false, prefetchCovers: false });
  await service.listComics({ offset: 0, limit: 1, sort: 'file', order: 'asc' });
  await service.whenIdle();
  const library = { root, isSample: false };
  open = createHttpHost({ service, library });
  openPort = (await open.listen(0, '127.0.0.1')).port;
  guarded = createHttpHost({ service, library, token: TOKEN });
  guardedPort = (await guarded.listen(0, '127.0.0.1')).port;
}, 60_000);

afterAll(async () => {
  await open?.close();
  await guarded?.close();
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('HTTP: ids only, never paths (real engine behind the host)', () => {
  it.each([
    '/api/comics/..%2f..%2fetc%2fpasswd/cover',
    '/api/comics/..%2F..%2Fetc%2Fpasswd',
    '/api/comics/%2e%2e/cover',
    '/api/comics/%2e%2e%2f%2e%2e%2fetc%2fpasswd/cover',
    '/api/comics/1%2f..%2f..%2fetc%2fpasswd/cover',
    '/api/comics/..\\..\\etc\\passwd/cover',
    '/api/comics/%2fetc%2fpasswd',
    '/api/comics/C:%5cWindows%5cwin.ini/cover',
    '/api/comics/1%00/cover',
    '/api/comics/0/cover',
    '/api/comics/-1',
    '/api/comics/01',
    '/api/comics/1e3',
    '/api/comics/0x10',
    '/api/comics/1.5',
    '/api/comics/%201',
    '/api/comics/9007199254740993',
    '/api/comics/99999999999999999999',
    '/api/comics/1/../../../etc/passwd',
    '/api/comics/1/cover/../../2',
  ])('%s → 400/404, no file content', async (path) => {
    const res = await rawRequest(openPort, { path });
    expect([400, 404]).toContain(res.status);
    expect(res.headers['content-type']).toMatch(/json/);
    expect(res.text).not.toMatch(/root:|\[fonts\]/);
    expect(res.body.includes(Buffer.from('PK\x03\x04', 'latin1'))).toBe(false); // no archive bytes either
    expect(res.text.length).toBeLessThan(400);
  });

  it('a known id still works (the refusals above are not a broken route)', async () => {
    expect((await rawRequest(openPort, { path: '/api/comics/1' })).status).toBe(200);
    const cover = await rawRequest(openPort, { path: '/api/comics/1/cover' });
    expect(cover.status).toBe(200);
    expect(cover.headers['content-type']).toMatch(/^image\//);
  });
});

describe('HTTP: malformed input → 4xx, never 500 (complements http-server.test.ts)', () => {
  it.each([
    '/api/comics?limit=abc',
    '/api/comics?limit=-5',
    '/api/comics?offset=1.5',
    '/api/comics?offset=1e3',
    '/api/comics?offset=%20',
    '/api/comics?offset=0x10',
    '/api/comics?limit=999999999999',
    '/api/comics?sort=__proto__',
    '/api/comics?sort=constructor',
    '/api/comics?sort=rank_file%20DESC;%20DROP%20TABLE%20comics',
    '/api/comics?order=__proto__',
    '/api/comics?format=zip,__proto__',
    '/api/comics?filter=errors,toString',
    '/api/comics?__proto__=1',
    `/api/comics?q=${'%E2%80%AE'.repeat(300)}`, // 300 right-to-left overrides: over the 200-character limit
  ].map((path) => [path.length > 100 ? `${path.slice(0, 40)}… (${path.length} chars)` : path, path]))('GET %s → 400', async (_label, path) => {
    const res = await rawRequest(openPort, { path });
    expect(res.status).toBe(400);
    expect((JSON.parse(res.text) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
  });

  it.each(['"', '" OR "', '*', 'NEAR(a b)', 'a AND', '^x', 'col:series', '\u0000', '%', '\u202e', "'; DROP TABLE comics; --"])(
    'FTS syntax in q=%j is text, not a query: 200',
    async (q) => {
      const res = await rawRequest(openPort, { path: `/api/comics?q=${encodeURIComponent(q)}` });
      expect(res.status).toBe(200);
    },
  );

  it.each([
    ['{"read":"yes"}', 400],
    ['{"lastPage":-1}', 400],
    ['{"lastPage":1e12}', 400],
    ['{"lastPage":1.5}', 400],
    ['{"favourite":null}', 400],
    ['{"admin":true}', 400],
    ['{"__proto__":{"read":true}}', 400],
    ['{"constructor":{"prototype":{"polluted":true}}}', 400],
    ['[true]', 400],
    ['"read"', 400],
    ['null', 400],
    ['{"read":true', 400],
    ['', 400],
  ])('POST state %s → %i, nothing written', async (body, status) => {
    const res = await rawRequest(openPort, { method: 'POST', path: '/api/comics/2/state', body, headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(status);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect((await service.getComic(2)).userState).toEqual({ read: false, lastPage: null, favourite: false, lastReadAt: null });
  });
});

describe('HTTP token: checked in constant time, whatever the length', () => {
  it('a wrong token of the same length and of other lengths are all 401; the hashes compared are always 32 bytes', async () => {
    const spy = vi.spyOn(crypto, 'timingSafeEqual');
    try {
      const sameLength = TOKEN.replace(/.$/, (c) => (c === 'x' ? 'y' : 'x'));
      expect(sameLength).toHaveLength(TOKEN.length);
      for (const wrong of [sameLength, TOKEN.slice(0, -1), `${TOKEN}0`, 'x', 'y'.repeat(4096)]) {
        const header = await rawRequest(guardedPort, { path: '/api/cache/stats', headers: { Authorization: `Bearer ${wrong}` } });
        expect(header.status, wrong.slice(0, 40)).toBe(401);
        const query = await rawRequest(guardedPort, { path: `/api/cache/stats?token=${encodeURIComponent(wrong)}` });
        expect(query.status).toBe(401);
      }
      expect((await rawRequest(guardedPort, { path: '/api/cache/stats', headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
      expect(spy).toHaveBeenCalled();
      for (const [a, b] of spy.mock.calls) {
        expect((a as Buffer).length).toBe(32);
        expect((b as Buffer).length).toBe(32);
      }
    } finally {
      spy.mockRestore();
    }
  });
});

// ---- Content-Security-Policy ---------------------------------------------------------------------------

function parseCsp(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );
}

function expectNoInlineScript(policy: string, where: string): void {
  const csp = parseCsp(policy);
  const script = csp.get('script-src') ?? csp.get('default-src');
  expect(script, `${where}: script-src or default-src`).toBeDefined();
  expect(script, where).toEqual(["'self'"]);
  for (const [name, values] of csp) {
    for (const bad of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'", '*', 'data:', 'http:', 'https:']) {
      if (name === 'script-src' || name === 'default-src' || name === 'script-src-elem' || name === 'script-src-attr') {
        expect(values, `${where}: ${name} must not allow ${bad}`).not.toContain(bad);
      }
    }
  }
  expect(csp.get('object-src'), `${where}: object-src`).toEqual(["'none'"]);
  expect(csp.get('base-uri'), `${where}: base-uri`).toEqual(["'none'"]);
}

describe('CSP blocks inline scripts everywhere the renderer is served', () => {
  it('renderer/index.html <meta>, the longbox:// protocol header, the HTTP host header', () => {
    const html = readFileSync(join(repo, 'renderer', 'index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)?.[1];
    expect(meta, 'index.html declares a CSP').toBeDefined();
    expectNoInlineScript(meta!, 'renderer/index.html');
    expectNoInlineScript(APP_CSP, 'longbox:// APP_CSP');
    expectNoInlineScript(HTML_SECURITY_HEADERS['Content-Security-Policy']!, 'HTTP host');
    expect(parseCsp(APP_CSP).get('frame-ancestors')).toEqual(["'none'"]);
    expect(parseCsp(HTML_SECURITY_HEADERS['Content-Security-Policy']!).get('frame-ancestors')).toEqual(["'none'"]);
    // The page itself has no inline script to need it.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  });
});

// ---- Static checks of the Electron code ------------------------------------------------------------------

function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(folder)) {
    const file = join(folder, name);
    if (statSync(file).isDirectory()) out.push(...sourceFiles(file));
    else if (/\.tsx?$/.test(name) && !/\.(test|perf|bench)\.tsx?$/.test(name) && !file.includes(`${join('library', 'testing')}`)) out.push(file);
  }
  return out;
}

/** Every call of `name(` in electron/ (tests and test helpers excluded), as "file: line". */
function callSites(name: string): string[] {
  const sites: string[] = [];
  for (const file of sourceFiles(join(repo, 'electron'))) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trimStart().startsWith('//') || line.trimStart().startsWith('*')) return;
      if (new RegExp(`\\b${name}\\s*\\(`).test(line)) sites.push(`${relative(repo, file)}:${i + 1}: ${line.trim()}`);
    });
  }
  return sites;
}

describe('Electron code: no shell call on unchecked input', () => {
  it('shell.openExternal is never called with anything but a string literal', () => {
    const sites = callSites('openExternal');
    for (const site of sites) expect(site, 'openExternal with a non-literal argument').toMatch(/openExternal\(\s*(['"`])[^'"`$]*\1\s*\)/);
  });

  it('shell.openPath / showItemInFolder only receive a path the service mapped from an id (or the logs folder)', () => {
    const sites = [...callSites('shell\\.openPath'), ...callSites('shell\\.showItemInFolder')];
    expect(sites.length).toBeGreaterThan(0);
    // Every call site is reviewed: add a new one here only if its argument comes from getComicPath(id).
    for (const site of sites) expect(site).toMatch(/shell\.openPath\(logsFolder\(\)\)|shell\.openPath\(file\)|shell\.showItemInFolder\(file\)/);
    const ipc = readFileSync(join(repo, 'electron', 'ipc.ts'), 'utf8');
    for (const m of ipc.matchAll(/backend\.(openPath|revealPath)\((\w+)\)/g)) {
      const variable = m[2]!;
      expect(ipc, `${m[1]}(${variable}) gets its path from getComicPath(id)`).toMatch(new RegExp(`const ${variable} = await requireService\\(\\)\\.getComicPath\\(id\\)`));
    }
  });

  it('the window is sandboxed and isolated; navigation, new windows and webviews are blocked', () => {
    const main = readFileSync(join(repo, 'electron', 'main.ts'), 'utf8');
    expect(main).toMatch(/contextIsolation:\s*true/);
    expect(main).toMatch(/sandbox:\s*true/);
    expect(main).toMatch(/nodeIntegration:\s*false/);
    expect(main).not.toMatch(/webSecurity:\s*false|allowRunningInsecureContent:\s*true|webviewTag:\s*true|nodeIntegrationInSubFrames:\s*true|enableRemoteModule/);
    expect(main).toMatch(/will-navigate[\s\S]{0,80}preventDefault/);
    expect(main).toMatch(/setWindowOpenHandler[\s\S]{0,120}action:\s*'deny'/);
    expect(main).toMatch(/will-attach-webview[\s\S]{0,60}preventDefault/);
  });

  it('the archive layer never writes files (entry names are only compared, never joined to a path)', () => {
    for (const file of sourceFiles(join(repo, 'electron', 'library', 'archive'))) {
      // Code only: the comments explain why createExtractorFromFile is NOT used.
      const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '');
      // `FS.mkdir/rmdir/unlink/writeFile` are 7-Zip's in-memory WebAssembly file system; its mount of the real
      // folder refuses every write (archive/seven-zip-readonly.test.ts).
      const code = text.replace(/\bFS\.(mkdir|rmdir|unlink|writeFile)\s*\(/g, 'MEMFS(');
      expect(code, relative(repo, file)).not.toMatch(/\b(writeFile|writeFileSync|createWriteStream|mkdir|mkdirSync|appendFile|copyFile|rename|symlink|link)\s*\(/);
      expect(text, relative(repo, file)).not.toMatch(/\bextractAll\b|createExtractorFromFile/);
    }
  });
});
