// Shared pieces of the fuzz tests (*.fuzz.test.ts): byte mutations of a seed file and a hang guard.
import fc from 'fast-check';

export type ByteMutation = { kind: 'flip' | 'byte' | 'truncate' | 'insert'; at: number; value: number };

/** A flip, overwrite, truncation or 2-byte insertion at a fraction `at` of the file (uniform unless given). */
export function byteMutation(at: fc.Arbitrary<number> = fc.double({ min: 0, max: 1, noNaN: true })): fc.Arbitrary<ByteMutation> {
  return fc.record({ kind: fc.constantFrom('flip', 'byte', 'truncate', 'insert') as fc.Arbitrary<ByteMutation['kind']>, at, value: fc.integer({ min: 0, max: 255 }) });
}

export function applyMutations(input: Buffer, mutations: readonly ByteMutation[]): Buffer {
  let b = Buffer.from(input);
  for (const m of mutations) {
    const at = Math.min(Math.floor(m.at * b.length), Math.max(0, b.length - 1));
    if (m.kind === 'flip' && b.length > 0) b[at] = b[at]! ^ (1 << (m.value % 8));
    else if (m.kind === 'byte' && b.length > 0) b[at] = m.value;
    else if (m.kind === 'truncate') b = b.subarray(0, at);
    else if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from([m.value, m.value ^ 0xff]), b.subarray(at)]);
  }
  return b;
}

/** `work`, or a "HANG" error when it has not settled after `ms`. */
export async function withinTime<T>(work: Promise<T>, what: string, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`HANG: ${what} did not finish in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, hang]);
  } finally {
    clearTimeout(timer);
  }
}
