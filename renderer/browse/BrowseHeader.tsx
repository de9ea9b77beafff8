// Above the comic results on a series page (name, count, mark all read/unread) and in the folder
// browser (breadcrumbs, sub-folders, mark the folder read/unread).
import { useResults } from '../store/context.js';
import { formatCount, plural } from '../lib/format.js';
import { itemAt } from '../store/results.js';
import { navigate, useBrowse, useBrowseStore } from './BrowseProvider.js';

function MarkButtons({ onMark, what }: { onMark: (read: boolean) => void; what: string }) {
  return (
    <div className="browse-actions">
      <button type="button" className="button" onClick={() => onMark(true)}>
        Mark {what} read
      </button>
      <button type="button" className="button" onClick={() => onMark(false)}>
        Mark {what} unread
      </button>
    </div>
  );
}

export function SeriesHeader({ seriesKey }: { seriesKey: string }) {
  const store = useBrowseStore();
  const first = useResults((s) => itemAt(s, 0));
  const total = useResults((s) => s.total);
  const name = first?.seriesKey === seriesKey ? (first.series ?? first.fileName) : '';
  return (
    <div className="browse-header" data-testid="series-header">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <button type="button" className="link-button" onClick={() => navigate(store, { view: 'series' })}>
          Series
        </button>
        <span aria-hidden="true">›</span>
        <span aria-current="page">{name}</span>
      </nav>
      <h1>{name}</h1>
      {total !== null && <span className="muted">{plural(total, 'issue', 'issues')}</span>}
      <MarkButtons what="series" onMark={(read) => void store.getState().markRead({ series: seriesKey }, read)} />
    </div>
  );
}

export function FolderHeader({ path }: { path: string }) {
  const store = useBrowseStore();
  const folder = useBrowse((s) => s.folder);
  const error = useBrowse((s) => s.error);
  const parts = path === '' ? [] : path.split('/');
  const listing = folder?.path === path ? folder : null;
  return (
    <div className="browse-header" data-testid="folder-header">
      <nav className="breadcrumbs" aria-label="Breadcrumbs" data-testid="breadcrumbs">
        <button type="button" className="link-button" onClick={() => navigate(store, { view: 'folders', path: '' })} aria-current={parts.length === 0 ? 'page' : undefined}>
          Library
        </button>
        {parts.map((name, i) => {
          const to = parts.slice(0, i + 1).join('/');
          const isLast = i === parts.length - 1;
          return (
            <span key={to} className="crumb">
              <span aria-hidden="true">›</span>
              {isLast ? (
                <span aria-current="page">{name}</span>
              ) : (
                <button type="button" className="link-button" onClick={() => navigate(store, { view: 'folders', path: to })}>
                  {name}
                </button>
              )}
            </span>
          );
        })}
      </nav>
      {error && !listing && <p role="alert">{error}</p>}
      {listing && (
        <>
          <span className="muted">
            {plural(listing.comic_count, 'comic', 'comics')} in and below this folder
          </span>
          {listing.comic_count > 0 && <MarkButtons what="folder" onMark={(read) => void store.getState().markRead({ folder: path }, read)} />}
          {listing.folders.length > 0 && (
            <ul className="folder-list" aria-label="Folders">
              {listing.folders.map((f) => (
                <li key={f.path}>
                  <button type="button" className="folder-chip" data-testid="folder" onClick={() => navigate(store, { view: 'folders', path: f.path })}>
                    <span className="folder-name">{f.name}</span>
                    <span className="muted">{formatCount(f.comic_count)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
