import { describe, expect, it } from 'vitest';
import { createFakeLibraryApi } from '../testing/fake-api.js';
import { apiSettingsSource, clampZoom, defaultSettings, parseSettings, type ReaderSettings } from './settings.js';

describe('reader settings', () => {
  it('defaults follow the book direction', () => {
    expect(defaultSettings('rtl')).toEqual({ mode: 'single', direction: 'rtl', fit: 'screen', zoom: 1 });
  });

  it('accepts only well-formed settings', () => {
    expect(parseSettings({ mode: 'double', direction: 'ltr', fit: 'width', zoom: 9 })).toEqual({ mode: 'double', direction: 'ltr', fit: 'width', zoom: 4 });
    expect(parseSettings({ mode: 'book', direction: 'ltr', fit: 'width' })).toBeNull();
    expect(parseSettings('x')).toBeNull();
    expect(parseSettings(null)).toBeNull();
    expect(clampZoom(Number.NaN)).toBe(1);
    expect(clampZoom(0.01)).toBe(0.25);
  });

  it('are kept per series key through the api; garbage reads as none', async () => {
    const api = createFakeLibraryApi();
    const source = apiSettingsSource(api);
    expect(await source.get('saga')).toBeNull();
    await source.set('saga', { mode: 'webtoon', direction: 'ltr', fit: 'width', zoom: 1.5 });
    expect(await source.get('saga')).toEqual({ mode: 'webtoon', direction: 'ltr', fit: 'width', zoom: 1.5 });
    expect(api.readerSettingsCalls).toEqual([{ seriesKey: 'saga', settings: { mode: 'webtoon', direction: 'ltr', fit: 'width', zoom: 1.5 } }]);
    expect(await source.get('monstress')).toBeNull();
    api.readerSettings.set('bad', { mode: 'book' } as unknown as ReaderSettings);
    expect(await source.get('bad')).toBeNull();
  });
});
