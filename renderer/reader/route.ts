// The open comic and page in the URL hash, `#/read/<id>/<page>` (page 1-based as shown), so a reload
// resumes where the reader was. Only this form is the reader's; every other hash belongs to the library.

export interface ReaderRoute {
  id: number;
  /** 0-based page index; null when the hash names no page (open at the saved page). */
  page: number | null;
}

const ROUTE = /^#\/read\/(\d{1,12})(?:\/(\d{1,6}))?\/?$/;

export function parseReaderHash(hash: string): ReaderRoute | null {
  const match = ROUTE.exec(hash);
  if (!match) return null;
  const id = Number(match[1]);
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const shown = match[2] === undefined ? null : Number(match[2]);
  return { id, page: shown === null || shown < 1 ? null : shown - 1 };
}

export function readerHash(route: ReaderRoute): string {
  return route.page === null ? `#/read/${route.id}` : `#/read/${route.id}/${route.page + 1}`;
}

export function isReaderHash(hash: string): boolean {
  return parseReaderHash(hash) !== null;
}
