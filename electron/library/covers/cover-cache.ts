// The covers' disk cache: one file per content fingerprint (`<dir>/<first two chars>/<fingerprint>.<ext>`),
// written atomically (temp file + rename), read back tolerantly (an unreadable file is made again).
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { messageOf } from '../../../shared/errors.js';

/** Fingerprints become file names: only a safe alphabet, no leading dot, bounded length. */
const FINGERPRINT_RE = /^[A-Za-z0-9_-][A-Za-z0-9._-]{1,199}$/;

export function isValidFingerprint(fingerprint: string): boolean {
  return FINGERPRINT_RE.test(fingerprint);
}

export interface CoverCache {
  /** The file of `fingerprint` (it may not exist yet); null for a fingerprint that is no safe file name. */
  fileFor(fingerprint: string): string | null;
  /** The cached bytes, or null when absent, empty or unreadable. */
  read(file: string): Promise<Buffer | null>;
  write(file: string, data: Buffer): Promise<void>;
}

export function createCoverCache(dir: string, ext: string, logger: Logger): CoverCache {
  const madeDirs = new Set<string>();
  return {
    fileFor(fingerprint) {
      if (!isValidFingerprint(fingerprint)) return null;
      return path.join(dir, fingerprint.slice(0, 2).toLowerCase(), `${fingerprint}.${ext}`);
    },
    async read(file) {
      try {
        const data = await readFile(file);
        return data.length > 0 ? data : null;
      } catch (err) {
        // Unreadable cache file (permissions, I/O error): make the cover again rather than fail.
        if (!isNotFound(err)) logger.warn(`covers: could not read ${file}: ${messageOf(err)}`);
        return null;
      }
    },
    async write(file, data) {
      const folder = path.dirname(file);
      if (!madeDirs.has(folder)) {
        await mkdir(folder, { recursive: true });
        madeDirs.add(folder);
      }
      const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        await writeFile(temp, data);
        await rename(temp, file);
      } catch (err) {
        await unlink(temp).catch(() => undefined);
        throw err;
      }
    },
  };
}

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 'ENOENT';
}
