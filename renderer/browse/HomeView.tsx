// Home: Continue reading, On deck, Recently added. Shows the last answer while a new one comes in.
import type { ComicSummary } from '../../shared/types.js';
import { navigate, useBrowse, useBrowseStore } from './BrowseProvider.js';
import { ComicCard } from './ComicCard.js';

function Shelf({ id, title, empty, comics }: { id: string; title: string; empty: string; comics: ComicSummary[] }) {
  return (
    <section className="shelf" aria-labelledby={`shelf-${id}`} data-testid={`shelf-${id}`}>
      <h2 id={`shelf-${id}`}>{title}</h2>
      {comics.length === 0 ? (
        <p className="muted shelf-empty">{empty}</p>
      ) : (
        <div className="shelf-row">
          {comics.map((comic) => (
            <ComicCard key={comic.id} comic={comic} />
          ))}
        </div>
      )}
    </section>
  );
}

export function HomeView() {
  const store = useBrowseStore();
  const home = useBrowse((s) => s.home);
  const error = useBrowse((s) => s.error);
  if (!home) {
    return (
      <div className="browse-view" data-testid="home">
        {error ? <p role="alert">{error}</p> : <div className="loading" role="status" aria-label="Loading"><span className="spinner" aria-hidden="true" /></div>}
      </div>
    );
  }
  return (
    <div className="browse-view" data-testid="home">
      <Shelf id="continue" title="Continue reading" empty="Comics you have started show up here." comics={home.continue} />
      <Shelf id="on-deck" title="On deck" empty="The next issue of each series you are reading shows up here." comics={home.on_deck} />
      <Shelf id="recent" title="Recently added" empty="Nothing yet." comics={home.recent} />
      <p className="muted">
        <button type="button" className="link-button" onClick={() => navigate(store, { view: 'series' })}>
          Browse all series
        </button>
      </p>
    </div>
  );
}
