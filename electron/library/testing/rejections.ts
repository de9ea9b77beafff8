// The error a promise rejects with, for tests that then assert on its kind, code or message.
import { expect } from 'vitest';

/** Awaits `promise`, expects it to reject with an instance of `type` (fulfilling fails the test), returns the error. */
export async function rejectionOf<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}
