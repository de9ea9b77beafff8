// A comic on a Home shelf: cover, title, and how far the reader got.
import type { ComicSummary } from '../../shared/types.js';
import { Cover } from '../components/Cover.js';
import { displayTitle } from '../lib/format.js';
import { useReaderOpener } from '../reader/reader-context.js';
import { isReadable } from '../reader/ReaderHost.js';
import { useStores } from '../store/context.js';

export function ComicCard({ comic }: { comic: ComicSummary }) {
  const { selection } = useStores();
  const reader = useReaderOpener();
  const progress = comic.lastPage !== null && comic.pageCount > 0 ? Math.min(1, (comic.lastPage + 1) / comic.pageCount) : null;
  const open = () => {
    if (reader && isReadable(comic)) reader.open(comic);
    else {
      selection.getState().select(comic.id);
      selection.getState().openDetails();
    }
  };
  return (
    <button type="button" className="shelf-card" onClick={open} title={displayTitle(comic)} data-testid="shelf-card">
      <span className="shelf-cover">
        <Cover comic={comic} />
        {progress !== null && !comic.read && (
          <span className="shelf-progress" role="progressbar" aria-label="Read so far" aria-valuenow={Math.round(progress * 100)} aria-valuemin={0} aria-valuemax={100}>
            <span style={{ width: `${progress * 100}%` }} />
          </span>
        )}
      </span>
      <span className="shelf-title">{displayTitle(comic)}</span>
    </button>
  );
}
