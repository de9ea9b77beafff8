import { describe, expect, it } from 'vitest';
import type { ComicMetadata } from '../../../shared/types.js';
import { parseFileName } from './filename.js';

type Expected = Partial<ComicMetadata>;

// Real-world style names as found in scene releases, DC/Marvel digital packs, manga volumes and home scans.
const cases: Array<[string, Expected]> = [
  ['Saga 054 (2018) (Digital).cbz', { series: 'Saga', number: '54', year: 2018 }],
  ['Batman v2 #12.cbr', { series: 'Batman', volume: 2, number: '12' }],
  ['Batman v2 012 (2012).cbz', { series: 'Batman', volume: 2, number: '12', year: 2012 }],
  ['The Walking Dead 100 (2012) (digital) (Minutemen-Faessla).cbz', { series: 'The Walking Dead', number: '100', year: 2012 }],
  ['X-Men - Age of Apocalypse 001.cbz', { series: 'X-Men - Age of Apocalypse', number: '1' }],
  ['Spider-Man 2099 #01.cbz', { series: 'Spider-Man 2099', number: '1' }],
  ['Spider-Man 2099 01 (1992).cbz', { series: 'Spider-Man 2099', number: '1', year: 1992 }],
  ['Hellboy - Seed of Destruction 01 (of 04) (1994).cbz', { series: 'Hellboy - Seed of Destruction', number: '1', year: 1994 }],
  ['One Piece v01 (2003).cbz', { series: 'One Piece', volume: 1, year: 2003 }],
  ['Sandman_Vol_1_-_Preludes.cbz', { series: 'Sandman', volume: 1, title: 'Preludes' }],
  ['Invincible.001.(2003).cbz', { series: 'Invincible', number: '1', year: 2003 }],
  ['Batman.v2.012.2012.cbz', { series: 'Batman', volume: 2, number: '12', year: 2012 }],
  ['Y_The_Last_Man_001_(2002).cbr', { series: 'Y The Last Man', number: '1', year: 2002 }],
  ['Batman Annual 02 (2013) (Digital) (Zone-Empire).cbr', { series: 'Batman Annual', number: '2', year: 2013 }],
  ['Wolverine #1/2.cbz', { series: 'Wolverine', number: '1/2' }],
  ['Nightwing #½.cbz', { series: 'Nightwing', number: '½' }],
  ['Saga 054.5 (2018).cbr', { series: 'Saga', number: '54.5', year: 2018 }],
  ['Avengers .5.cbz', { series: 'Avengers', number: '0.5' }],
  ['Batman 000 (2011).cbz', { series: 'Batman', number: '0', year: 2011 }],
  ['Batman #0.cbz', { series: 'Batman', number: '0' }],
  ['Batman #-1.cbz', { series: 'Batman', number: '-1' }],
  ['100 Bullets 001 (1999).cbz', { series: '100 Bullets', number: '1', year: 1999 }],
  ['2000 AD 1234.cbz', { series: '2000 AD', number: '1234' }],
  ['[Group] Naruto v05.cbz', { series: 'Naruto', volume: 5 }],
  ['Batman (2016) 012.cbz', { series: 'Batman', number: '12', year: 2016 }],
  ['Mr. Miracle 001 (May 2018).cbz', { series: 'Mr. Miracle', number: '1', year: 2018, month: 5 }],
  ['Batman 012 - The Court of Owls (2012).cbz', { series: 'Batman', number: '12', title: 'The Court of Owls', year: 2012 }],
  ['Hawkeye 01 of 04.cbz', { series: 'Hawkeye', number: '1' }],
  ['Akira Volume 3 (1988).cbz', { series: 'Akira', volume: 3, year: 1988 }],
  ['Watchmen Vol. 2 #5 (1987).cbz', { series: 'Watchmen', volume: 2, number: '5', year: 1987 }],
  ['Daredevil 181 [1982] [c2c] [Scanner].cbr', { series: 'Daredevil', number: '181', year: 1982 }],
  ['Amazing Spider-Man 300 (1988-05).cbz', { series: 'Amazing Spider-Man', number: '300', year: 1988, month: 5 }],
  ['Fables 075 (2008) (Digital-Empire).cbz', { series: 'Fables', number: '75', year: 2008 }],
  ['Ms. Marvel 012a (2015).cbz', { series: 'Ms. Marvel', number: '12a', year: 2015 }],
  ['Berserk v40 (2018) (Digital) (danke-Empire).epub', { series: 'Berserk', volume: 40, year: 2018 }],
  ['Scott Pilgrim.pdf', { series: 'Scott Pilgrim' }],
  ['001.cbz', { number: '1' }],
  ['Saga 054 (2018.cbz', { series: 'Saga', number: '54', year: 2018 }],
  ['Usagi Yojimbo 10 (2020) {Scanner}.cb7', { series: 'Usagi Yojimbo', number: '10', year: 2020 }],
  ['Paper Girls #1 (Oct 2015).cbt', { series: 'Paper Girls', number: '1', year: 2015, month: 10 }],
];

describe('parseFileName', () => {
  it.each(cases)('%s', (name, expected) => {
    expect(parseFileName(name)).toEqual(expected);
  });

  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it('ignores years outside 1800..2200 and scanner tags that look numeric', () => {
    expect(parseFileName('Saga 054 (9999) (2 covers).cbz')).toEqual({ series: 'Saga', number: '54' });
  });

  it('returns an empty object for names with nothing to read', () => {
    expect(parseFileName('')).toEqual({});
    expect(parseFileName('(Digital).cbz')).toEqual({});
    expect(parseFileName('   ')).toEqual({});
  });
});
