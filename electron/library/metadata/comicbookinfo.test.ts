import { describe, expect, it } from 'vitest';
import { parseComicBookInfo } from './comicbookinfo.js';

describe('parseComicBookInfo', () => {
  it('maps a ComicTagger comment', () => {
    const comment = JSON.stringify({
      appID: 'ComicTagger/1.0',
      lastModified: '2020-01-01 00:00:00',
      'ComicBookInfo/1.0': {
        series: ' Batman ',
        issue: 12,
        volume: 2011,
        title: 'Night of the Owls',
        publicationYear: 2012,
        publicationMonth: 10,
        publisher: 'DC Comics',
        genre: 'Superhero',
        comments: 'A summary.',
        language: 'English',
        credits: [
          { person: 'Scott Snyder', role: 'Writer', primary: true },
          { person: 'James Tynion IV', role: 'Writer' },
          { person: 'Greg Capullo', role: 'Penciller' },
          { person: 'Jonathan Glapion', role: 'Inker' },
        ],
      },
    });
    expect(parseComicBookInfo(comment)).toEqual({
      series: 'Batman',
      number: '12',
      volume: 2011,
      title: 'Night of the Owls',
      year: 2012,
      month: 10,
      publisher: 'DC Comics',
      genre: 'Superhero',
      summary: 'A summary.',
      languageIso: 'en',
      writer: 'Scott Snyder, James Tynion IV',
      penciller: 'Greg Capullo',
    });
  });

  it('accepts string issues and numbers, Artist as penciller, two-letter languages', () => {
    const comment = JSON.stringify({
      'ComicBookInfo/1.0': { issue: '1.5', publicationYear: '1999', language: 'FR', credits: [{ person: 'Moebius', role: 'artist' }] },
    });
    expect(parseComicBookInfo(comment)).toEqual({ number: '1.5', year: 1999, languageIso: 'fr', penciller: 'Moebius' });
  });

  it('drops invalid values', () => {
    const comment = JSON.stringify({
      'ComicBookInfo/1.0': { series: '', issue: null, publicationYear: 12, publicationMonth: 0, volume: -3, language: 'Klingon', credits: 'nope' },
    });
    expect(parseComicBookInfo(comment)).toEqual({});
  });

  it('returns null for no comment, bad JSON, or JSON without the ComicBookInfo key', () => {
    expect(parseComicBookInfo(null)).toBeNull();
    expect(parseComicBookInfo('')).toBeNull();
    expect(parseComicBookInfo('{"ComicBookInfo/1.0": {')).toBeNull();
    expect(parseComicBookInfo('{"other": 1} ComicBookInfo/1.0')).toBeNull();
    expect(parseComicBookInfo(JSON.stringify({ 'ComicBookInfo/1.0': [1, 2] }))).toBeNull();
    expect(parseComicBookInfo(JSON.stringify({ 'ComicBookInfo/1.0': { language: 'constructor' } }))).toEqual({});
  });
});
