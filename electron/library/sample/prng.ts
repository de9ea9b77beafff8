// A small seeded PRNG (mulberry32) with the helpers the library generator needs. Deterministic across
// machines and Node versions: only 32-bit integer arithmetic.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks an index with probability proportional to weights[index]. */
  weighted(weights: readonly number[]): number;
  /** Fills a buffer with pseudo-random bytes. */
  bytes(length: number): Buffer;
}

export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  const uint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => uint32() / 4294967296;
  return {
    next,
    uint32,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)];
    },
    weighted: (weights) => {
      const total = weights.reduce((a, b) => a + b, 0);
      let r = next() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i];
        if (r < 0) return i;
      }
      return weights.length - 1;
    },
    bytes: (length) => {
      const out = Buffer.allocUnsafe(length);
      let i = 0;
      for (; i + 4 <= length; i += 4) out.writeUInt32LE(uint32(), i);
      for (; i < length; i++) out[i] = uint32() & 0xff;
      return out;
    },
  };
}
