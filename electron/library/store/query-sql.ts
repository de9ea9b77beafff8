// SQL pieces shared by the comic list (library-reader.ts) and the browse reads (browse-reader.ts):
// the FTS5 match of a search text and the WHERE terms that narrow comics to a series or a folder.

/** FTS5 query for free text: each word a prefix term, all required. Returns null when nothing to search. */
export function toFtsMatch(text: string): string | null {
  const words = text.normalize('NFKC').match(/[\p{L}\p{N}]+/gu);
  if (!words || words.length === 0) return null;
  return words.slice(0, 12).map((w) => `"${w}"*`).join(' AND ');
}

/** SQL and parameters that narrow a comics query to a series or a folder (see LibraryReader.list). */
export interface BrowseFilter {
  where: string[];
  params: Record<string, string>;
}

/** `folder/…` is the range [folder + '/', folder + '0'): '0' is the character after '/'. */
export function browseFilterOf(query: { series?: string; folder?: string; recursive?: boolean }): BrowseFilter {
  const where: string[] = [];
  const params: Record<string, string> = {};
  if (query.series !== undefined) {
    where.push('c.series_key = @series');
    params.series = query.series;
  }
  if (query.folder !== undefined) {
    if (!query.recursive) {
      where.push('c.folder = @folder');
      params.folder = query.folder;
    } else if (query.folder !== '') {
      where.push('(c.folder = @folder OR (c.folder >= @folderFrom AND c.folder < @folderTo))');
      params.folder = query.folder;
      params.folderFrom = `${query.folder}/`;
      params.folderTo = `${query.folder}0`;
    }
  }
  return { where, params };
}
