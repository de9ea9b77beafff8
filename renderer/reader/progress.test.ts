import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UserState } from '../../shared/types.js';
import { ProgressSaver } from './progress.js';

describe('progress saving', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function saver() {
    const calls: Array<{ id: number; patch: Partial<UserState> }> = [];
    const saved: number[] = [];
    const save = async (id: number, patch: Partial<UserState>): Promise<UserState> => {
      calls.push({ id, patch });
      return { read: patch.read ?? false, lastPage: patch.lastPage ?? null, favourite: false, lastReadAt: null };
    };
    return { calls, saved, progress: new ProgressSaver(save, { debounceMs: 500, onSaved: (id) => saved.push(id) }) };
  }

  it('a flip through many pages is one save of the last one, after a pause', async () => {
    const { calls, progress } = saver();
    for (let page = 0; page < 10; page++) {
      progress.pageShown(1, page, 24, false);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toEqual([{ id: 1, patch: { lastPage: 9 } }]);
  });

  it('the last page marks the comic read', async () => {
    const { calls, progress } = saver();
    progress.pageShown(1, 23, 24, false);
    await vi.advanceTimersByTimeAsync(600);
    expect(calls).toEqual([{ id: 1, patch: { lastPage: 23, read: true } }]);
    // already read: only the page
    progress.pageShown(2, 23, 24, true);
    await progress.flush();
    expect(calls[1]).toEqual({ id: 2, patch: { lastPage: 23 } });
  });

  it('flush saves at once; the same page is not written twice; a failed save is reported, not thrown', async () => {
    const { calls, saved, progress } = saver();
    progress.pageShown(1, 4, 24, false);
    await progress.flush();
    expect(calls).toHaveLength(1);
    expect(saved).toEqual([1]);
    progress.pageShown(1, 4, 24, false);
    await progress.flush();
    expect(calls).toHaveLength(1);

    const errors: unknown[] = [];
    const failing = new ProgressSaver(() => Promise.reject(new Error('offline')), { onError: (err) => errors.push(err) });
    failing.pageShown(1, 2, 24, false);
    await expect(failing.flush()).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
  });

  it('a page shown while a save is in flight is saved after it, newest only', async () => {
    const calls: number[] = [];
    let release: () => void = () => undefined;
    const progress = new ProgressSaver(
      (_id, patch) =>
        new Promise<UserState>((resolve) => {
          calls.push(patch.lastPage ?? -1);
          release = () => resolve({ read: false, lastPage: patch.lastPage ?? null, favourite: false, lastReadAt: null });
        }),
      { debounceMs: 10 },
    );
    progress.pageShown(1, 1, 24, false);
    await vi.advanceTimersByTimeAsync(20);
    progress.pageShown(1, 2, 24, false);
    progress.pageShown(1, 3, 24, false);
    await vi.advanceTimersByTimeAsync(20);
    expect(calls).toEqual([1]);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([1, 3]);
    release();
    await vi.advanceTimersByTimeAsync(0);
  });
});
