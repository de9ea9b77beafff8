// The results area: grid, list or Problems, or an empty state.
import type { ReactNode } from 'react';
import { useQuery, useResults, useStatus, useStores, useView } from '../store/context.js';
import { isNarrowed } from '../store/query.js';
import { ComicList } from './ComicList.js';
import { CoverGrid } from './CoverGrid.js';
import { CheckIcon, SearchIcon, StarIcon } from './icons.js';

export function ResultsPane() {
  const { query } = useStores();
  const layout = useView((s) => s.layout);
  const view = useQuery((s) => s.view);
  const total = useResults((s) => s.total);
  const narrowed = useResults((s) => isNarrowed(s.query));
  const isRebuilding = useStatus((s) => s.status?.rebuild_in_progress ?? false);
  const isFavourites = useQuery((s) => s.scope.favourite === true);
  const isFolder = useQuery((s) => s.scope.folder !== undefined);
  const hasOwnNarrowing = useQuery((s) => s.q !== '' || Object.keys(s.filter).length > 0);

  if (total === 0) {
    if (isFavourites && !hasOwnNarrowing) {
      return <Empty icon={<StarIcon size={28} />} title="No favourites yet" text="Press the star in a comic’s details, or choose Add to favourites in its menu (right-click)." />;
    }
    // A folder whose comics are all in its sub-folders (the library root, a publisher's folder).
    if (isFolder && !hasOwnNarrowing) {
      return <Empty title="No comics directly in this folder" text="Its comics are in the folders above: open one to see them." />;
    }
    if (view === 'problems' && !narrowed) {
      return <Empty icon={<CheckIcon />} title="No problems" text="Every file in the library could be read." />;
    }
    if (narrowed || view === 'problems') {
      return (
        <Empty icon={<SearchIcon />} title="No comics match" text="Try other words or fewer filters.">
          <button type="button" className="button" onClick={() => query.getState().clearFilters()}>
            Clear search and filters
          </button>
        </Empty>
      );
    }
    return (
      <Empty
        title="This library is empty"
        text={isRebuilding ? 'Looking for comics…' : 'Add .cbz, .cbr, .cb7, .pdf or .epub files to the folder; they show up here by themselves.'}
      />
    );
  }
  if (view === 'problems') return <ComicList label="Files with problems" isProblems />;
  if (layout === 'list') return <ComicList label="Comics" />;
  return <CoverGrid label="Comics" />;
}

function Empty({ icon, title, text, children }: { icon?: ReactNode; title: string; text: string; children?: ReactNode }) {
  return (
    <div className="empty" data-testid="results-empty">
      {icon && <div className="empty-icon">{icon}</div>}
      <h2>{title}</h2>
      <p>{text}</p>
      {children}
    </div>
  );
}
