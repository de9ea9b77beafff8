import { describe, expect, it } from 'vitest';
import { displayTitle, gridCaption, issueLabel, seriesAndNumber } from './format.js';

const comic = { series: 'Berserk', number: null, volume: null, title: null, fileName: 'Berserk v03.cbz', year: 1990, writer: null };

describe('how a comic is named', () => {
  it('a book known only by its volume says "Vol. n" where an issue says "#n"', () => {
    const volume = { ...comic, volume: 3 };
    expect(issueLabel(volume)).toBe('Vol. 3');
    expect(displayTitle(volume)).toBe('Berserk Vol. 3');
    expect(seriesAndNumber(volume)).toBe('Berserk Vol. 3');
    expect(gridCaption(volume)).toEqual({ title: 'Berserk', subtitle: 'Vol. 3 · 1990' });
  });

  it('with an issue number the volume is the series\' own and the number leads', () => {
    const issue = { ...comic, series: 'Batman', number: '12', volume: 3, fileName: 'Batman v3 012.cbz' };
    expect(issueLabel(issue)).toBe('#12');
    expect(displayTitle(issue)).toBe('Batman #12');
    expect(gridCaption(issue)).toEqual({ title: 'Batman', subtitle: '#12 · 1990' });
  });

  it('neither: the series alone, or the title, or the file name', () => {
    expect(issueLabel(comic)).toBeNull();
    expect(displayTitle(comic)).toBe('Berserk');
    expect(displayTitle({ ...comic, series: null, title: 'One Shot' })).toBe('One Shot');
    expect(displayTitle({ ...comic, series: null })).toBe('Berserk v03.cbz');
    expect(seriesAndNumber({ ...comic, series: null })).toBeNull();
  });
});
