// The 7z header's building blocks (7-Zip's DOC/7zFormat.txt): its property ids, the coder method ids
// this reader knows, and a cursor over header bytes that reads 7z's variable-length numbers and bit
// vectors with every read bounded (reading past the end is a damaged header). seven-zip-streams.ts
// and seven-zip-header.ts read the structures with it.
import { ArchiveError } from './types.js';

export const NID = {
  end: 0x00,
  header: 0x01,
  archiveProperties: 0x02,
  additionalStreamsInfo: 0x03,
  mainStreamsInfo: 0x04,
  filesInfo: 0x05,
  packInfo: 0x06,
  unpackInfo: 0x07,
  subStreamsInfo: 0x08,
  size: 0x09,
  crc: 0x0a,
  folder: 0x0b,
  codersUnpackSize: 0x0c,
  numUnpackStream: 0x0d,
  emptyStream: 0x0e,
  emptyFile: 0x0f,
  anti: 0x10,
  name: 0x11,
  cTime: 0x12,
  aTime: 0x13,
  mTime: 0x14,
  winAttributes: 0x15,
  encodedHeader: 0x17,
  startPos: 0x18,
  dummy: 0x19,
} as const;

export const METHOD_COPY = 0x00;
export const METHOD_LZMA2 = 0x21;
export const METHOD_LZMA = 0x030101;
export const METHOD_AES = 0x06f10701;
/** 7-Zip's limits on coders per folder and streams per folder. */
export const MAX_CODERS = 64;
export const MAX_FOLDER_STREAMS = 64;
/** 7-Zip's CNum limit (ReadNum). */
const NUM_MAX = 0x7fffffff;
export const FILE_ATTRIBUTE_DIRECTORY = 0x10;

/** Something 7-Zip reads but this reader leaves to it. */
export class Unsupported extends Error {}

export function corrupt(why: string): ArchiveError {
  return new ArchiveError('corrupt', `The 7z archive is damaged (${why}).`, '7z');
}

/** A cursor over header bytes; reading past its end is a damaged header. */
export class HeaderBytes {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  byte(): number {
    if (this.pos >= this.end) throw corrupt('header ends early');
    return this.buf[this.pos++]!;
  }

  bytes(length: number): Buffer {
    if (length > this.remaining) throw corrupt('header ends early');
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  skip(length: number): void {
    if (length > this.remaining) throw corrupt('header ends early');
    this.pos += length;
  }

  /** 7z's variable-length number: the first byte's leading 1 bits count the extra bytes (LE). */
  number(): number {
    const first = this.byte();
    let extra = 0;
    while (extra < 8 && first & (0x80 >>> extra)) extra++;
    if (extra > this.remaining) throw corrupt('header ends early');
    let low = 0;
    let scale = 1;
    let value = 0;
    for (let i = 0; i < extra; i++) {
      low += this.buf[this.pos++]! * scale;
      scale *= 256;
    }
    value = low;
    if (extra < 8) {
      const high = first & ((0x80 >>> extra) - 1);
      value += high * scale;
    }
    if (!Number.isSafeInteger(value)) throw corrupt('a number is over 2^53');
    return value;
  }

  /** A count or index (7-Zip's ReadNum: at most 2^31 − 1). */
  num(): number {
    const value = this.number();
    if (value > NUM_MAX) throw corrupt('a count is out of range');
    return value;
  }

  uint32(): number {
    if (this.remaining < 4) throw corrupt('header ends early');
    const value = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return value;
  }

  skipData(): void {
    this.skip(this.number());
  }

  /** Skips properties until `id` (kEnd before it is damage), like 7-Zip's WaitId. */
  waitFor(id: number): void {
    for (;;) {
      const type = this.number();
      if (type === id) return;
      if (type === NID.end) throw corrupt(`property ${id} missing`);
      this.skipData();
    }
  }

  /** `count` bits, most significant first. */
  bits(count: number): boolean[] {
    if (Math.ceil(count / 8) > this.remaining) throw corrupt('header ends early');
    const out = new Array<boolean>(count);
    let b = 0;
    for (let i = 0; i < count; i++) {
      if ((i & 7) === 0) b = this.buf[this.pos++]!;
      out[i] = (b & (0x80 >>> (i & 7))) !== 0;
    }
    return out;
  }

  /** A bit vector preceded by an "all defined" byte. */
  definedBits(count: number): boolean[] {
    if (this.byte() !== 0) return new Array<boolean>(count).fill(true);
    return this.bits(count);
  }

  /** The "external" byte before some properties' data: data in additional streams is not supported. */
  noExternal(): void {
    if (this.byte() !== 0) throw corrupt('header data in an additional stream');
  }
}

/** How many of `values` are true. */
export function countTrue(values: readonly boolean[]): number {
  let n = 0;
  for (const v of values) if (v) n++;
  return n;
}
