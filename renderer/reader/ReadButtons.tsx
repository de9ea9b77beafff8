// The details panel's way into the reader: "Read", or "Continue from page N" and "Start over".
import type { ComicDetail } from '../../shared/types.js';
import { useReaderOpener } from './reader-context.js';
import { startPageOf } from './reader-store.js';

export function ReadButtons({ comic }: { comic: ComicDetail }) {
  const reader = useReaderOpener();
  if (!reader) return null;
  const known = { ...comic, read: comic.userState.read, lastPage: comic.userState.lastPage };
  const start = startPageOf(known) ?? 0;
  return (
    <div className="details-read">
      {start > 0 ? (
        <>
          <button type="button" className="button button-primary" onClick={() => reader.open(known)}>
            Continue from page {start + 1}
          </button>
          <button type="button" className="button" onClick={() => reader.open(known, 0)}>
            Start over
          </button>
        </>
      ) : (
        <button type="button" className="button button-primary" onClick={() => reader.open(known, 0)}>
          Read
        </button>
      )}
    </div>
  );
}
