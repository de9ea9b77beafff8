// ZIP entry-name decoding, shared by the index pass and extraction so both agree on every name.
import { crc32 } from 'node:zlib';
import { decodeCp437 } from './cp437.js';

/** General-purpose flag bit 11: name and comment are UTF-8. */
export const ZIP_FLAG_UTF8 = 0x800;
/** Info-ZIP Unicode Path extra field: a UTF-8 name for archivers that did not set bit 11. */
export const UNICODE_PATH_EXTRA_ID = 0x7075;

/**
 * Decodes a raw entry name per the ZIP spec: UTF-8 when bit 11 is set; else the Info-ZIP Unicode Path
 * field (`unicodePath`, the field's data) when its CRC matches the raw name (it is stale otherwise);
 * else CP437.
 */
export function decodeZipName(name: Buffer, flags: number, unicodePath: Buffer | null): string {
  return decodeZipNameAt(name, 0, name.length, flags, unicodePath);
}

/** decodeZipName over `bytes[start, end)`, without creating a view per entry (the index pass's hot path). */
export function decodeZipNameAt(bytes: Buffer, start: number, end: number, flags: number, unicodePath: Buffer | null): string {
  if ((flags & ZIP_FLAG_UTF8) !== 0) return bytes.toString('utf8', start, end);
  // Version 1, CRC-32 of the raw name, then the UTF-8 name.
  if (unicodePath !== null && unicodePath.length >= 5 && unicodePath[0] === 1 && unicodePath.readUInt32LE(1) === crc32(bytes.subarray(start, end)) >>> 0) {
    return unicodePath.toString('utf8', 5);
  }
  return decodeCp437(bytes, start, end);
}

/** Finds an extra field's data by id in a raw extra area. */
export function findExtraField(extra: Buffer, id: number): Buffer | null {
  let pos = 0;
  while (pos + 4 <= extra.length) {
    const fieldId = extra.readUInt16LE(pos);
    const length = extra.readUInt16LE(pos + 2);
    const start = pos + 4;
    if (start + length > extra.length) return null;
    if (fieldId === id) return extra.subarray(start, start + length);
    pos = start + length;
  }
  return null;
}
