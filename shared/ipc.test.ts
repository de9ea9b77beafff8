// The IPC channel map is derived from LibraryApi (IPC_OPERATIONS): these pin what the derivation
// yields for a few channels (checked by the type checker) and that every operation has a schema.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { LibraryApi } from './api.js';
import { INVOKE_CHANNELS, IPC_OPERATIONS, invokeSchemas, type InvokeArg, type InvokeResult } from './ipc.js';
import type { CacheStatus, ComicDetail, UserState } from './types.js';

describe('the IPC map derived from LibraryApi', () => {
  it('gives each channel the LibraryApi method’s packed argument and resolved value', () => {
    expectTypeOf<InvokeArg<'library:get-comic'>>().toEqualTypeOf<{ id: number }>();
    expectTypeOf<InvokeResult<'library:get-comic'>>().toEqualTypeOf<ComicDetail>();
    expectTypeOf<InvokeArg<'library:set-user-state'>>().toEqualTypeOf<{ id: number; patch: Partial<UserState> }>();
    expectTypeOf<InvokeResult<'library:set-user-state'>>().toEqualTypeOf<UserState>();
    expectTypeOf<InvokeArg<'library:get-status'>>().toEqualTypeOf<Record<string, never>>();
    expectTypeOf<InvokeResult<'library:get-status'>>().toEqualTypeOf<CacheStatus>();
    expectTypeOf<InvokeResult<'library:refresh'>>().toEqualTypeOf<Awaited<ReturnType<LibraryApi['refresh']>>>();
  });

  it('has one schema per operation and one operation per channel', () => {
    const channels = Object.values(IPC_OPERATIONS).map((op) => op.channel);
    expect(new Set(channels).size).toBe(channels.length);
    expect([...channels].sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(Object.keys(invokeSchemas).sort()).toEqual([...channels].sort());
  });

  it('packs positional arguments into the one object the schema checks', () => {
    expect(invokeSchemas['library:set-user-state'].parse(IPC_OPERATIONS.setUserState.arg(3, { read: true }))).toEqual({ id: 3, patch: { read: true } });
    expect(invokeSchemas['library:get-status'].parse(IPC_OPERATIONS.getStatus.arg())).toEqual({});
  });
});
