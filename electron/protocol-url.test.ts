import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LongboxError } from '../shared/errors.js';
import { coverProtocolUrl, pageProtocolUrl } from '../shared/ipc.js';
import type { LibraryServiceApi } from './library/service-types.js';
import { APP_CSP, handleLongboxRequest, parseLongboxUrl, resolveAppFile } from './protocol-url.js';

describe('parseLongboxUrl', () => {
  it('accepts covers by id, with the fingerprint cache-buster the renderer uses', () => {
    expect(parseLongboxUrl('longbox://cover/1')).toEqual({ kind: 'cover', id: 1 });
    expect(parseLongboxUrl(coverProtocolUrl(42, 'zip:1234:abcdef'))).toEqual({ kind: 'cover', id: 42 });
    expect(parseLongboxUrl(`longbox://cover/${Number.MAX_SAFE_INTEGER}`)).toEqual({ kind: 'cover', id: Number.MAX_SAFE_INTEGER });
  });

  it('accepts pages by id and index', () => {
    expect(parseLongboxUrl('longbox://page/7/0')).toEqual({ kind: 'page', id: 7, page: 0 });
    expect(parseLongboxUrl('longbox://page/7/12')).toEqual({ kind: 'page', id: 7, page: 12 });
  });

  it('accepts the page URLs the preload makes: fingerprint and optional width', () => {
    expect(parseLongboxUrl(pageProtocolUrl(7, 3, 'zip:1234:ab/c'))).toEqual({ kind: 'page', id: 7, page: 3, v: 'zip:1234:ab/c' });
    expect(parseLongboxUrl(pageProtocolUrl(7, 3, 'fp', 1200))).toEqual({ kind: 'page', id: 7, page: 3, v: 'fp', width: 1200 });
  });

  it('accepts app files as plain segments; the root is index.html', () => {
    expect(parseLongboxUrl('longbox://app/')).toEqual({ kind: 'app', path: 'index.html' });
    expect(parseLongboxUrl('longbox://app')).toEqual({ kind: 'app', path: 'index.html' });
    expect(parseLongboxUrl('longbox://app/index.html')).toEqual({ kind: 'app', path: 'index.html' });
    expect(parseLongboxUrl('longbox://app/assets/index-B3x_9.js?x=1')).toEqual({ kind: 'app', path: 'assets/index-B3x_9.js' });
  });

  it.each([
    'longbox://cover/../../etc/passwd',
    'longbox://cover/1/../2',
    'longbox://cover/%2e%2e/%2e%2e/etc/passwd',
    'longbox://cover/..%2F..%2Fetc%2Fpasswd',
    'longbox://cover/1%2F..%2F2',
    'longbox://cover//etc/passwd',
    'longbox://cover/',
    'longbox://cover',
    'longbox://cover/0',
    'longbox://cover/-1',
    'longbox://cover/01',
    'longbox://cover/1.5',
    'longbox://cover/1e3',
    'longbox://cover/0x10',
    'longbox://cover/ 1',
    'longbox://cover/1/',
    'longbox://cover/1/2',
    'longbox://cover/99999999999999999',
    'longbox://cover/1?path=/etc/passwd',
    'longbox://cover/1?v=a&v=b',
    'longbox://cover/1#frag',
    'longbox://cover/C:\\Windows\\win.ini',
    'longbox://page/1/-1',
    'longbox://page/1',
    'longbox://page/1/',
    'longbox://page/1/1.5',
    'longbox://page/1/1000001',
    'longbox://page/0/1',
    'longbox://page/1/../2',
    'longbox://page/1/2?w=100',
    'longbox://page/1/2?v=1&w=10',
    'longbox://page/1/2?v=1&w=5000',
    'longbox://page/1/2?v=1&w=0100',
    'longbox://page/1/2?v=1&x=2',
    'longbox://page/1/2?v=%E0%A4%A',
    'longbox://app/../main.js',
    'longbox://app/assets/../../electron/main.js',
    'longbox://app/%2e%2e/package.json',
    'longbox://app/.env',
    'longbox://app/assets/.hidden.js',
    'longbox://app/a\\..\\b.js',
    'longbox://app//etc/passwd',
    'longbox://app/a//b.js',
    'longbox://other/1',
    'longbox://COVER/1',
    'LONGBOX://cover/1',
    'longbox:cover/1',
    'file:///etc/passwd',
    'https://example.com/cover/1',
    `longbox://app/${'a/'.repeat(20)}x.js`,
    `longbox://cover/1?v=${'a'.repeat(5000)}`,
    '',
  ])('refuses %s', (url) => {
    expect(parseLongboxUrl(url)).toBeNull();
  });
});

describe('resolveAppFile', () => {
  const root = path.resolve('/srv/renderer');
  it('resolves under the renderer folder only, servable types only', () => {
    expect(resolveAppFile(root, 'index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'assets/app.js')).toBe(path.join(root, 'assets', 'app.js'));
    expect(resolveAppFile(root, '../secret.html')).toBeNull();
    expect(resolveAppFile(root, 'assets/app.js.map')).toBeNull();
    expect(resolveAppFile(root, 'native.node')).toBeNull();
    expect(resolveAppFile(root, 'noext')).toBeNull();
  });
});

describe('handleLongboxRequest', () => {
  let dir: string;
  const cover = { data: Buffer.from([0xff, 0xd8, 0xff, 0xe0]), contentType: 'image/jpeg' };
  const service = {
    getPage: vi.fn(async (id: number, index: number, options?: { width?: number }) => {
      if (id === 1 && index === 0) return { data: options?.width ? Buffer.from([1, 2]) : cover.data, contentType: 'image/jpeg', fingerprint: 'fp1' };
      if (id === 2) throw new LongboxError('ENCRYPTED', 'password protected');
      if (id === 3) throw new Error('disk on fire at /home/user/x');
      throw new LongboxError('NOT_FOUND', `no page ${index} of ${id}`);
    }),
    getCover: vi.fn(async (id: number) => {
      if (id === 1) return cover;
      if (id === 2) throw new LongboxError('UNSUPPORTED', 'no cover for a broken file');
      if (id === 3) throw new Error('disk on fire');
      throw new LongboxError('NOT_FOUND', `no comic ${id}`);
    }),
  } as unknown as LibraryServiceApi;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'longbox-protocol-'));
    await mkdir(path.join(dir, 'renderer', 'assets'), { recursive: true });
    await writeFile(path.join(dir, 'renderer', 'index.html'), '<!doctype html><title>Longbox</title>');
    await writeFile(path.join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
    await writeFile(path.join(dir, 'secret.html'), 'secret');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const deps = (withService = true) => ({ rendererDir: path.join(dir, 'renderer'), getService: () => (withService ? service : null), onError: vi.fn() });
  const get = (url: string, withService = true) => handleLongboxRequest({ url, method: 'GET' }, deps(withService));

  it('serves the app with a CSP on documents', async () => {
    const index = await get('longbox://app/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(await index.text()).toContain('<title>Longbox</title>');
    const js = await get('longbox://app/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers 404 for missing app files and 400 for traversal', async () => {
    expect((await get('longbox://app/assets/missing.js')).status).toBe(404);
    expect((await get('longbox://app/../secret.html')).status).toBe(400);
    expect((await get('longbox://app/%2e%2e/secret.html')).status).toBe(400);
  });

  it('serves covers by id through the service, never a path', async () => {
    const ok = await get(coverProtocolUrl(1, 'fp'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await ok.arrayBuffer())).toEqual(cover.data);
    expect((await get('longbox://cover/2')).status).toBe(404);
    expect((await get('longbox://cover/9')).status).toBe(404);
    expect((await get('longbox://cover/1', false)).status).toBe(404);
    const failing = deps();
    expect((await handleLongboxRequest({ url: 'longbox://cover/3', method: 'GET' }, failing)).status).toBe(500);
    expect(failing.onError).toHaveBeenCalledTimes(1);
    expect((await get('longbox://cover/../../etc/passwd')).status).toBe(400);
    expect(service.getCover).not.toHaveBeenCalledWith(expect.anything(), expect.anything());
  });

  it('serves pages by id and index with an ETag; immutable only when v is the current fingerprint', async () => {
    const ok = await get(pageProtocolUrl(1, 0, 'fp1'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/jpeg');
    expect(ok.headers.get('etag')).toBe('"fp1"');
    expect(ok.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(Buffer.from(await ok.arrayBuffer())).toEqual(cover.data);
    const stale = await get(pageProtocolUrl(1, 0, 'old'));
    expect(stale.headers.get('cache-control')).toBe('no-cache');
    const resized = await get(pageProtocolUrl(1, 0, 'fp1', 800));
    expect(resized.headers.get('etag')).toBe('"fp1-w800"');
    expect(Buffer.from(await resized.arrayBuffer())).toEqual(Buffer.from([1, 2]));
    expect(service.getPage).toHaveBeenLastCalledWith(1, 0, { width: 800 });
  });

  it('answers page failures with the JSON error body and status of the HTTP host', async () => {
    const past = await get('longbox://page/1/9');
    expect(past.status).toBe(404);
    expect(await past.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no page 9 of 1' } });
    const locked = await get('longbox://page/2/0');
    expect(locked.status).toBe(422);
    expect(((await locked.json()) as { error: { code: string } }).error.code).toBe('ENCRYPTED');
    const failing = deps();
    const bug = await handleLongboxRequest({ url: 'longbox://page/3/0', method: 'GET' }, failing);
    expect(bug.status).toBe(500);
    expect(await bug.text()).not.toContain('/home/user');
    expect(failing.onError).toHaveBeenCalledTimes(1);
    expect((await get('longbox://page/1/0', false)).status).toBe(404);
  });

  it('refuses bad pages with 400, and non-GET methods with 405', async () => {
    expect((await get('longbox://page/1/-1')).status).toBe(400);
    expect((await handleLongboxRequest({ url: 'longbox://cover/1', method: 'POST' }, deps())).status).toBe(405);
    const head = await handleLongboxRequest({ url: 'longbox://cover/1', method: 'HEAD' }, deps());
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
