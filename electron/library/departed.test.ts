import { describe, expect, it } from 'vitest';
import { goneFolders } from './departed.js';

describe('goneFolders', () => {
  it('names the shallowest folder that is gone as a whole, with how many comics it held', () => {
    const removed = ['Marvel/X-Men/1.cbz', 'Marvel/X-Men/2.cbz', 'Marvel/Hulk/1.cbz', 'DC/Batman/3.cbz', 'DC/Robin/1.cbz', 'loose.cbz'];
    const walked = ['DC/Batman/1.cbz', 'DC/Batman/2.cbz', 'Image/Saga/1.cbz'];
    expect(goneFolders(removed, walked)).toEqual([
      { folder: 'Marvel', count: 3 },
      { folder: 'DC/Robin', count: 1 },
    ]);
  });

  it('is empty when only single files left folders that still have comics', () => {
    expect(goneFolders(['A/1.cbz', 'A/B/2.cbz'], ['A/3.cbz', 'A/B/4.cbz'])).toEqual([]);
  });
});
