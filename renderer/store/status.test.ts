import { describe, expect, it } from 'vitest';
import type { LibraryApi } from '../../shared/api.js';
import type { CacheStatus } from '../../shared/types.js';
import { createStatusStore, describeChange, isColdStart } from './status.js';

function status(patch: Partial<CacheStatus>): CacheStatus {
  return {
    file_count: 0, age_seconds: null, is_populated: false, rebuild_in_progress: true, generation: 0, phase: 'scanning',
    progress: null, last_error: null, last_duration_ms: null, library_root: '/comics', error_count: 0, rebuild_owner: 'self',
    user_data_notice: null,
    ...patch,
  };
}

describe('status store', () => {
  it('a status fetched before an event arrived never replaces that newer event', async () => {
    let answer!: (s: CacheStatus) => void;
    // Only getStatus is used by this store's loadStatus: a deliberately partial api double.
    const api = { capabilities: { chooseFolder: false, openFile: false, revealFile: false }, getStatus: () => new Promise<CacheStatus>((r) => (answer = r)) } as unknown as LibraryApi;
    const store = createStatusStore(api);
    const loading = store.getState().loadStatus(); // request leaves during the cold start
    const done = status({ is_populated: true, rebuild_in_progress: false, generation: 1, phase: 'idle', file_count: 40 });
    store.getState().applyStatus(done); // the first generation lands (event)
    answer(status({})); // the old request answers afterwards with the cold-start status
    await loading;
    expect(store.getState().status).toEqual(done);
    expect(isColdStart(store.getState())).toBe(false);
  });

  it('a fetched status is applied when no event came in between', async () => {
    const cold = status({});
    const api = { capabilities: { chooseFolder: false, openFile: false, revealFile: false }, getStatus: async () => cold } as unknown as LibraryApi;
    const store = createStatusStore(api);
    await store.getState().loadStatus();
    expect(store.getState().status).toEqual(cold);
    expect(isColdStart(store.getState())).toBe(true);
  });
});

describe('refresh', () => {
  const capabilities = { chooseFolder: false, openFile: false, revealFile: false };
  const idle = status({ is_populated: true, rebuild_in_progress: false, generation: 4, phase: 'idle', age_seconds: 300 });

  it('takes the status refresh() was accepted with: no second status request', async () => {
    let statusRequests = 0;
    const running = status({ is_populated: true, generation: 4, phase: 'scanning' });
    const api = { capabilities, getStatus: async () => (statusRequests++, idle), refresh: async () => running } as unknown as LibraryApi;
    const store = createStatusStore(api);
    await store.getState().loadStatus();
    await store.getState().refresh();
    expect(statusRequests).toBe(1);
    expect(store.getState().status).toBe(running);
    // The rebuild ends with no change: the one idle status after it says so.
    store.getState().applyStatus({ ...idle, age_seconds: 0 });
    expect(store.getState().notice?.text).toBe('Checked just now · no changes');
  });

  it('a rebuild over before refresh() answered: its events win over the accepted status', async () => {
    let answer!: (s: CacheStatus) => void;
    const api = { capabilities, getStatus: async () => idle, refresh: () => new Promise<CacheStatus>((r) => (answer = r)) } as unknown as LibraryApi;
    const store = createStatusStore(api);
    await store.getState().loadStatus();
    const refreshing = store.getState().refresh();
    store.getState().applyStatus(status({ is_populated: true, generation: 4, phase: 'scanning' }));
    const done = { ...idle, age_seconds: 0 };
    store.getState().applyStatus(done);
    answer(status({ is_populated: true, generation: 4, phase: 'scanning' })); // accepted while it ran
    await refreshing;
    expect(store.getState().status).toBe(done);
    expect(store.getState().notice?.text).toBe('Checked just now · no changes');
  });
});

describe('library changes', () => {
  it('says how many comics a gone folder held and that they are kept; comics that came back too', () => {
    expect(describeChange({ at: 1, goneFolders: [{ folder: 'Marvel', count: 395 }], returned: 0 })).toBe(
      'The folder “Marvel” is no longer in the library: its 395 comics left the list. Their reading state and date added are kept, and they come back as they were if the files return.',
    );
    expect(describeChange({ at: 1, goneFolders: [], returned: 395 })).toBe('395 comics are back, with their reading state and date added.');
    expect(describeChange({ at: 1, goneFolders: [], returned: 0 })).toBeNull();
  });

  it('shows a new change once, as a notice that stays until dismissed', () => {
    const api = { capabilities: { chooseFolder: false, openFile: false, revealFile: false } } as unknown as LibraryApi;
    const store = createStatusStore(api);
    const change = { at: 50, goneFolders: [{ folder: 'DC', count: 2 }], returned: 0 };
    store.getState().applyStatus(status({ is_populated: true, rebuild_in_progress: false, last_change: change }));
    expect(store.getState().notice?.text).toContain('“DC”');
    store.getState().dismissNotice();
    store.getState().applyStatus(status({ is_populated: true, rebuild_in_progress: false, last_change: change }));
    expect(store.getState().notice).toBeNull();
  });
});
