// LZMA and LZMA2 decoders, enough for a 7z archive's encoded header (a few KB to a few MB, decoded into
// one buffer of its declared size). Written from the format's description (the LZMA SDK's lzma.txt and
// reference decoder design, Lzma2Dec.c's chunk rules): a range decoder, adaptive bit probabilities, the
// literal / match / rep coding of LZMA, and LZMA2's chunks over one LZMA state.
//
// Bounds: the output is allocated once at its declared size (the caller caps it); the input is a Buffer
// already in memory; every loop consumes input or produces output, so damaged data ends in a
// LzmaDataError, never a hang. The dictionary is the output itself (no separate window is allocated),
// so a declared dictionary size only limits match distances, as in the reference decoder.

/** Damaged or truncated LZMA data (the caller turns it into an ArchiveError). */
export class LzmaDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LzmaDataError';
  }
}

const NUM_BIT_MODEL_TOTAL_BITS = 11;
const BIT_MODEL_TOTAL = 1 << NUM_BIT_MODEL_TOTAL_BITS;
const NUM_MOVE_BITS = 5;
const PROB_INIT = BIT_MODEL_TOTAL >> 1;
const TOP_VALUE = 1 << 24;

const NUM_STATES = 12;
const NUM_POS_BITS_MAX = 4;
const NUM_LEN_TO_POS_STATES = 4;
const NUM_ALIGN_BITS = 4;
const START_POS_MODEL_INDEX = 4;
const END_POS_MODEL_INDEX = 14;
const NUM_FULL_DISTANCES = 1 << (END_POS_MODEL_INDEX >> 1);
const MATCH_MIN_LEN = 2;

/** The range decoder over `input[start, end)`. */
class RangeDecoder {
  range = 0xffffffff;
  code = 0;
  pos: number;

  constructor(
    private readonly input: Uint8Array,
    start: number,
    private readonly end: number,
  ) {
    this.pos = start;
    if (this.end - this.pos < 5) throw new LzmaDataError('LZMA stream shorter than its range coder header');
    if (this.input[this.pos++] !== 0) throw new LzmaDataError('LZMA stream does not start with 0');
    for (let i = 0; i < 4; i++) this.code = ((this.code << 8) | this.input[this.pos++]!) >>> 0;
    if (this.code === this.range) throw new LzmaDataError('LZMA range coder starts corrupt');
  }

  /** True when the encoder's flush ended here (the reference decoder's "finished OK"). */
  get finishedOk(): boolean {
    return this.code === 0;
  }

  private nextByte(): number {
    if (this.pos >= this.end) throw new LzmaDataError('LZMA data ends early');
    return this.input[this.pos++]!;
  }

  decodeBit(probs: Uint16Array, index: number): number {
    const prob = probs[index]!;
    const bound = (this.range >>> NUM_BIT_MODEL_TOTAL_BITS) * prob;
    let bit: number;
    if (this.code < bound) {
      probs[index] = prob + ((BIT_MODEL_TOTAL - prob) >>> NUM_MOVE_BITS);
      this.range = bound;
      bit = 0;
    } else {
      probs[index] = prob - (prob >>> NUM_MOVE_BITS);
      this.code -= bound;
      this.range -= bound;
      bit = 1;
    }
    if (this.range < TOP_VALUE) {
      this.range = (this.range * 256) >>> 0;
      this.code = ((this.code * 256) >>> 0) + this.nextByte();
      this.code >>>= 0;
    }
    return bit;
  }

  decodeDirectBits(count: number): number {
    let result = 0;
    for (let i = 0; i < count; i++) {
      this.range >>>= 1;
      let bit = 0;
      if (this.code >= this.range) {
        this.code -= this.range;
        bit = 1;
      }
      if (this.code === this.range) throw new LzmaDataError('LZMA direct bits corrupt');
      result = result * 2 + bit;
      if (this.range < TOP_VALUE) {
        this.range = (this.range * 256) >>> 0;
        this.code = (((this.code * 256) >>> 0) + this.nextByte()) >>> 0;
      }
    }
    return result;
  }

  bitTree(probs: Uint16Array, offset: number, numBits: number): number {
    let m = 1;
    for (let i = 0; i < numBits; i++) m = (m << 1) + this.decodeBit(probs, offset + m);
    return m - (1 << numBits);
  }

  reverseBitTree(probs: Uint16Array, offset: number, numBits: number): number {
    let m = 1;
    let symbol = 0;
    for (let i = 0; i < numBits; i++) {
      const bit = this.decodeBit(probs, offset + m);
      m = (m << 1) + bit;
      symbol |= bit << i;
    }
    return symbol;
  }
}

/** Length coder probabilities: choice, choice2, low[16 × 8], mid[16 × 8], high[256]. */
const LEN_CHOICE = 0;
const LEN_CHOICE2 = 1;
const LEN_LOW = 2;
const LEN_MID = LEN_LOW + (1 << NUM_POS_BITS_MAX) * 8;
const LEN_HIGH = LEN_MID + (1 << NUM_POS_BITS_MAX) * 8;
const LEN_PROBS = LEN_HIGH + 256;

function decodeLength(rc: RangeDecoder, probs: Uint16Array, posState: number): number {
  if (rc.decodeBit(probs, LEN_CHOICE) === 0) return rc.bitTree(probs, LEN_LOW + posState * 8, 3);
  if (rc.decodeBit(probs, LEN_CHOICE2) === 0) return 8 + rc.bitTree(probs, LEN_MID + posState * 8, 3);
  return 16 + rc.bitTree(probs, LEN_HIGH, 8);
}

export interface LzmaProperties {
  lc: number;
  lp: number;
  pb: number;
  dictSize: number;
}

/** lc/lp/pb from the properties byte (lc + lp·9 + pb·45). */
export function decodePropertiesByte(byte: number): Omit<LzmaProperties, 'dictSize'> {
  if (byte >= 9 * 5 * 5) throw new LzmaDataError(`LZMA properties byte ${byte} is out of range`);
  return { lc: byte % 9, lp: Math.floor(byte / 9) % 5, pb: Math.floor(byte / 45) };
}

/** The LZMA model (probabilities, state, last distances): one per stream; LZMA2 chunks share it. */
class LzmaState {
  lc = 0;
  lp = 0;
  pb = 0;
  dictSize = 0;
  literal: Uint16Array = new Uint16Array(0);
  isMatch = new Uint16Array(NUM_STATES << NUM_POS_BITS_MAX);
  isRep = new Uint16Array(NUM_STATES);
  isRepG0 = new Uint16Array(NUM_STATES);
  isRepG1 = new Uint16Array(NUM_STATES);
  isRepG2 = new Uint16Array(NUM_STATES);
  isRep0Long = new Uint16Array(NUM_STATES << NUM_POS_BITS_MAX);
  posSlot = new Uint16Array(NUM_LEN_TO_POS_STATES << 6);
  posSpecial = new Uint16Array(1 + NUM_FULL_DISTANCES - END_POS_MODEL_INDEX);
  align = new Uint16Array(1 << NUM_ALIGN_BITS);
  lenProbs = new Uint16Array(LEN_PROBS);
  repLenProbs = new Uint16Array(LEN_PROBS);
  state = 0;
  rep0 = 0;
  rep1 = 0;
  rep2 = 0;
  rep3 = 0;

  setProperties(props: Omit<LzmaProperties, 'dictSize'>): void {
    this.lc = props.lc;
    this.lp = props.lp;
    this.pb = props.pb;
    const literalProbs = 0x300 << (props.lc + props.lp);
    if (this.literal.length !== literalProbs) this.literal = new Uint16Array(literalProbs);
  }

  reset(): void {
    for (const probs of [this.literal, this.isMatch, this.isRep, this.isRepG0, this.isRepG1, this.isRepG2, this.isRep0Long, this.posSlot, this.posSpecial, this.align, this.lenProbs, this.repLenProbs]) probs.fill(PROB_INIT);
    this.state = 0;
    this.rep0 = this.rep1 = this.rep2 = this.rep3 = 0;
  }
}

/** The decoded bytes so far; the dictionary is `out[dictStart, pos)`. */
class Output {
  pos = 0;
  /** Where the dictionary was last reset (LZMA2 can reset it mid-stream). */
  dictStart = 0;
  constructor(readonly bytes: Uint8Array) {}
  get dictBytes(): number {
    return this.pos - this.dictStart;
  }
}

type ChunkEnd = 'size' | 'marker';

/**
 * Decodes LZMA symbols into `out` until `limit` bytes are there. With `allowMarker`, an end marker may
 * come at or before the limit ('marker'); without, reaching the limit ends the chunk ('size').
 */
function decodeLzma(rc: RangeDecoder, model: LzmaState, out: Output, limit: number, allowMarker: boolean): ChunkEnd {
  const bytes = out.bytes;
  const pbMask = (1 << model.pb) - 1;
  const lpMask = (1 << model.lp) - 1;
  const lc = model.lc;
  for (;;) {
    if (out.pos === limit && (!allowMarker || rc.finishedOk)) return 'size';
    const total = out.dictBytes;
    const posState = total & pbMask;
    let state = model.state;
    if (rc.decodeBit(model.isMatch, (state << NUM_POS_BITS_MAX) + posState) === 0) {
      if (out.pos === limit) throw new LzmaDataError('LZMA data continues past its declared size');
      const prev = total > 0 ? bytes[out.pos - 1]! : 0;
      const base = 0x300 * (((total & lpMask) << lc) + (prev >>> (8 - lc)));
      let symbol = 1;
      if (state >= 7) {
        let matchByte = bytes[out.pos - model.rep0 - 1]!;
        do {
          const matchBit = (matchByte >>> 7) & 1;
          matchByte <<= 1;
          const bit = rc.decodeBit(model.literal, base + ((1 + matchBit) << 8) + symbol);
          symbol = (symbol << 1) | bit;
          if (matchBit !== bit) break;
        } while (symbol < 0x100);
      }
      while (symbol < 0x100) symbol = (symbol << 1) | rc.decodeBit(model.literal, base + symbol);
      bytes[out.pos++] = symbol - 0x100;
      model.state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
      continue;
    }
    let len: number;
    if (rc.decodeBit(model.isRep, state) !== 0) {
      if (out.pos === limit) throw new LzmaDataError('LZMA data continues past its declared size');
      if (total === 0) throw new LzmaDataError('LZMA repeat before any output');
      if (rc.decodeBit(model.isRepG0, state) === 0) {
        if (rc.decodeBit(model.isRep0Long, (state << NUM_POS_BITS_MAX) + posState) === 0) {
          model.state = state < 7 ? 9 : 11;
          bytes[out.pos] = bytes[out.pos - model.rep0 - 1]!;
          out.pos++;
          continue;
        }
      } else {
        let dist: number;
        if (rc.decodeBit(model.isRepG1, state) === 0) dist = model.rep1;
        else {
          if (rc.decodeBit(model.isRepG2, state) === 0) dist = model.rep2;
          else {
            dist = model.rep3;
            model.rep3 = model.rep2;
          }
          model.rep2 = model.rep1;
        }
        model.rep1 = model.rep0;
        model.rep0 = dist;
      }
      len = decodeLength(rc, model.repLenProbs, posState);
      model.state = state < 7 ? 8 : 11;
    } else {
      model.rep3 = model.rep2;
      model.rep2 = model.rep1;
      model.rep1 = model.rep0;
      len = decodeLength(rc, model.lenProbs, posState);
      state = model.state = state < 7 ? 7 : 10;
      const dist = decodeDistance(rc, model, len);
      if (dist === 0xffffffff) {
        if (!allowMarker || !rc.finishedOk) throw new LzmaDataError('unexpected LZMA end marker');
        return 'marker';
      }
      if (out.pos === limit) throw new LzmaDataError('LZMA data continues past its declared size');
      if (dist >= model.dictSize || dist >= total) throw new LzmaDataError('LZMA match distance is beyond the dictionary');
      model.rep0 = dist;
    }
    len += MATCH_MIN_LEN;
    if (len > limit - out.pos) throw new LzmaDataError('LZMA match runs past the declared size');
    // The reference decoder checks rep distances against the dictionary when it takes them (above);
    // a rep0 carried from a previous chunk must still be inside the current dictionary.
    if (model.rep0 >= out.dictBytes) throw new LzmaDataError('LZMA match distance is beyond the dictionary');
    let from = out.pos - model.rep0 - 1;
    for (let i = 0; i < len; i++) bytes[out.pos++] = bytes[from++]!;
  }
}

function decodeDistance(rc: RangeDecoder, model: LzmaState, len: number): number {
  const lenState = Math.min(len, NUM_LEN_TO_POS_STATES - 1);
  const posSlot = rc.bitTree(model.posSlot, lenState << 6, 6);
  if (posSlot < START_POS_MODEL_INDEX) return posSlot;
  const numDirectBits = (posSlot >>> 1) - 1;
  let dist = (2 | (posSlot & 1)) * 2 ** numDirectBits;
  if (posSlot < END_POS_MODEL_INDEX) return dist + rc.reverseBitTree(model.posSpecial, dist - posSlot, numDirectBits);
  dist += rc.decodeDirectBits(numDirectBits - NUM_ALIGN_BITS) * (1 << NUM_ALIGN_BITS);
  return dist + rc.reverseBitTree(model.align, 0, NUM_ALIGN_BITS);
}

/** LZMA coder properties as 7z stores them: the lc/lp/pb byte, then the dictionary size (LE32). */
export function parseLzmaProperties(props: Uint8Array): LzmaProperties {
  if (props.length < 5) throw new LzmaDataError('LZMA properties are shorter than 5 bytes');
  const dictSize = (props[1]! | (props[2]! << 8) | (props[3]! << 16) | (props[4]! << 24)) >>> 0;
  return { ...decodePropertiesByte(props[0]!), dictSize: Math.max(dictSize, 4096) };
}

/**
 * Decodes a raw LZMA stream (no .lzma header) of exactly `unpackSize` bytes; an end marker right after
 * them is accepted. The whole input must be used (7-Zip reports data after the stream end).
 */
export function decodeLzma1(input: Uint8Array, props: LzmaProperties, unpackSize: number): Uint8Array {
  const out = new Output(new Uint8Array(unpackSize));
  const model = new LzmaState();
  model.setProperties(props);
  model.dictSize = props.dictSize;
  model.reset();
  const rc = new RangeDecoder(input, 0, input.length);
  decodeLzma(rc, model, out, unpackSize, true);
  if (out.pos !== unpackSize) throw new LzmaDataError('LZMA stream ended before its declared size');
  if (rc.pos !== input.length) throw new LzmaDataError('data after the end of the LZMA stream');
  return out.bytes;
}

/** LZMA2's dictionary size from its one properties byte (0–40). */
export function lzma2DictSize(prop: number): number {
  if (prop > 40) throw new LzmaDataError(`LZMA2 dictionary property ${prop} is out of range`);
  return prop === 40 ? 0xffffffff : (2 | (prop & 1)) * 2 ** (Math.floor(prop / 2) + 11);
}

/**
 * Decodes an LZMA2 stream of exactly `unpackSize` bytes: a sequence of chunks (LZMA or stored, each with
 * its sizes and reset level) ended by a 0 byte, as Lzma2Dec.c defines them.
 */
export function decodeLzma2(input: Uint8Array, dictProp: number, unpackSize: number): Uint8Array {
  const dictSize = lzma2DictSize(dictProp);
  const out = new Output(new Uint8Array(unpackSize));
  const model = new LzmaState();
  model.dictSize = dictSize;
  // 0xE0: the first chunk must reset the dictionary (and so set properties); 0xC0 after a stored chunk
  // that reset it; 0 once an LZMA chunk has set properties.
  let needInitLevel = 0xe0;
  let pos = 0;
  const byteAt = (at: number): number => {
    if (at >= input.length) throw new LzmaDataError('LZMA2 data ends early');
    return input[at]!;
  };
  for (;;) {
    const control = byteAt(pos++);
    if (control === 0) break;
    if ((control & 0x80) === 0) {
      if (control === 1) needInitLevel = 0xc0;
      else if (control > 2 || needInitLevel === 0xe0) throw new LzmaDataError(`LZMA2 control byte ${control} is invalid here`);
      const size = ((byteAt(pos) << 8) | byteAt(pos + 1)) + 1;
      pos += 2;
      if (control === 1) out.dictStart = out.pos;
      if (size > unpackSize - out.pos) throw new LzmaDataError('LZMA2 stored chunk runs past the declared size');
      if (size > input.length - pos) throw new LzmaDataError('LZMA2 data ends early');
      out.bytes.set(input.subarray(pos, pos + size), out.pos);
      out.pos += size;
      pos += size;
      continue;
    }
    if (control < needInitLevel) throw new LzmaDataError(`LZMA2 chunk ${control.toString(16)} does not reset what it must`);
    needInitLevel = 0;
    const chunkUnpack = (control & 0x1f) * 0x10000 + ((byteAt(pos) << 8) | byteAt(pos + 1)) + 1;
    const chunkPack = ((byteAt(pos + 2) << 8) | byteAt(pos + 3)) + 1;
    pos += 4;
    if (control >= 0xc0) {
      const props = decodePropertiesByte(byteAt(pos++));
      if (props.lc + props.lp > 4) throw new LzmaDataError('LZMA2 lc + lp is over 4');
      model.setProperties(props);
    }
    if (control >= 0xe0) out.dictStart = out.pos;
    if (control >= 0xa0) model.reset();
    if (chunkUnpack > unpackSize - out.pos) throw new LzmaDataError('LZMA2 chunk runs past the declared size');
    if (chunkPack > input.length - pos) throw new LzmaDataError('LZMA2 data ends early');
    const rc = new RangeDecoder(input, pos, pos + chunkPack);
    decodeLzma(rc, model, out, out.pos + chunkUnpack, false);
    if (rc.pos !== pos + chunkPack || !rc.finishedOk) throw new LzmaDataError('LZMA2 chunk does not end where its size says');
    pos += chunkPack;
  }
  if (out.pos !== unpackSize) throw new LzmaDataError('LZMA2 stream ended before its declared size');
  if (pos !== input.length) throw new LzmaDataError('data after the end of the LZMA2 stream');
  return out.bytes;
}
