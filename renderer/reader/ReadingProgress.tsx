// The progress bar on a started (not finished) comic's cover: pages read of the page count.
import type { ComicSummary } from '../../shared/types.js';

export function readingProgress(comic: Pick<ComicSummary, 'read' | 'lastPage' | 'pageCount'>): number | null {
  if (comic.read || comic.lastPage === null || comic.pageCount <= 0) return null;
  return Math.min(1, (comic.lastPage + 1) / comic.pageCount);
}

export function ReadingProgress({ comic }: { comic: Pick<ComicSummary, 'read' | 'lastPage' | 'pageCount'> }) {
  const share = readingProgress(comic);
  if (share === null) return null;
  return (
    <span
      className="cover-progress"
      role="progressbar"
      aria-label="Reading progress"
      aria-valuemin={1}
      aria-valuemax={comic.pageCount}
      aria-valuenow={(comic.lastPage ?? 0) + 1}
      title={`Page ${(comic.lastPage ?? 0) + 1} of ${comic.pageCount}`}
    >
      <span style={{ width: `${Math.round(share * 1000) / 10}%` }} />
    </span>
  );
}
