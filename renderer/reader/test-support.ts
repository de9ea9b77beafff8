// Test helpers for the reader: a page contract on top of the fake LibraryApi (pages with sizes,
// spreads and a direction per comic), and image loads the tests can see.
import type { FakeLibraryApi } from '../test/fake-api.js';
import type { ReaderApi, ReaderPage, ReaderPageList } from './reader-api.js';

export interface FakePages {
  /** Per comic id; comics without an entry get `pageCount` portrait pages, left to right. */
  lists: Map<number, ReaderPageList>;
  listCalls: number[];
  /** Ids whose page list fails (the file went offline). */
  failing: Set<number>;
}

export function portraitPages(count: number, spreads: number[] = []): ReaderPage[] {
  return Array.from({ length: count }, (_, index) => ({
    index,
    name: `p${String(index).padStart(3, '0')}.jpg`,
    size: 1000,
    width: spreads.includes(index) ? 2000 : 1000,
    height: 1500,
    spread: spreads.includes(index),
  }));
}

export function withPages(fake: FakeLibraryApi): FakeLibraryApi & ReaderApi & { pagesFake: FakePages } {
  const pagesFake: FakePages = { lists: new Map(), listCalls: [], failing: new Set() };
  return Object.assign(fake, {
    pagesFake,
    async listPages(id: number): Promise<ReaderPageList> {
      pagesFake.listCalls.push(id);
      if (pagesFake.failing.has(id)) throw new Error('The comic file is not there (the library folder is offline).');
      const known = pagesFake.lists.get(id);
      if (known) return known;
      const comic = fake.comics.find((c) => c.id === id);
      if (!comic) throw new Error(`no comic ${id}`);
      return { pages: portraitPages(comic.pageCount), direction: 'ltr' };
    },
    pageUrl(id: number, index: number, fingerprint: string): string {
      return `data:image/gif;base64,R0lGODlhAQABAAAAACw=#page-${id}-${index}-${fingerprint}`;
    },
  });
}
