// What the library screen shows for the current browse view: Home and the series shelf are their
// own views; a series page, a folder, All comics and Problems are the comic results (grid or list)
// narrowed by the query, with a header where it helps.
import { ResultsPane } from '../components/ResultsPane.js';
import { FolderHeader, SeriesHeader } from './BrowseHeader.js';
import { useBrowse } from './BrowseProvider.js';
import { HomeView } from './HomeView.js';
import { SeriesShelf } from './SeriesShelf.js';

export function BrowseContent() {
  const route = useBrowse((s) => s.route);
  if (route.view === 'home') return <HomeView />;
  if (route.view === 'series') return <SeriesShelf />;
  return (
    <>
      {route.view === 'series-page' && <SeriesHeader seriesKey={route.key} />}
      {route.view === 'folders' && <FolderHeader path={route.path} />}
      <ResultsPane />
    </>
  );
}
