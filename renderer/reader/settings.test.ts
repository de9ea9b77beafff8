import { describe, expect, it } from 'vitest';
import { clampZoom, defaultSettings, localSettingsSource, parseSettings } from './settings.js';

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

  it('are kept per series key; garbage in storage reads as none', async () => {
    const map = new Map<string, string>();
    const source = localSettingsSource({ getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) });
    expect(await source.get('saga')).toBeNull();
    await source.set('saga', { mode: 'webtoon', direction: 'ltr', fit: 'width', zoom: 1.5 });
    expect(await source.get('saga')).toEqual({ mode: 'webtoon', direction: 'ltr', fit: 'width', zoom: 1.5 });
    expect(await source.get('monstress')).toBeNull();
    map.set('longbox.reader.series.bad', '{not json');
    expect(await source.get('bad')).toBeNull();
    const throwing = localSettingsSource({
      getItem: () => null,
      setItem: () => {
        throw new Error('quota');
      },
    });
    await expect(throwing.set('x', defaultSettings('ltr'))).resolves.toBeUndefined();
  });
});
