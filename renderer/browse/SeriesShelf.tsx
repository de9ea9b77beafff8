// The series shelf: a cover per series with its name, issue count and an unread badge (or a check
// when all are read) over a progress bar. Grows by pages as it scrolls; keeps its cards during a rebuild.
import { useEffect, useRef, useState } from 'react';
import type { SeriesSortKey, SeriesSummary } from '../../shared/types.js';
import { hueOf } from '../components/Cover.js';
import { formatCount, plural } from '../lib/format.js';
import { useStores } from '../store/context.js';
import { navigate, useBrowse, useBrowseStore } from './BrowseProvider.js';
import { SERIES_PAGE } from './browse-store.js';

const SORTS: ReadonlyArray<[SeriesSortKey, string]> = [
  ['name', 'Name'],
  ['year', 'Year'],
  ['added', 'Recently added'],
  ['issues', 'Issues'],
];

export function seriesTitle(s: Pick<SeriesSummary, 'name' | 'volume'>): string {
  return s.volume !== null ? `${s.name} (vol. ${s.volume})` : s.name;
}

function SeriesCover({ series }: { series: SeriesSummary }) {
  const { api } = useStores();
  const [failed, setFailed] = useState(false);
  return (
    <div className="cover" data-state={failed ? 'failed' : 'loaded'} style={{ ['--hue' as string]: hueOf(series.name) }}>
      <div className="cover-fallback" aria-hidden={!failed}>
        <span>{series.name}</span>
      </div>
      {!failed && <img src={api.coverUrl(series.cover_id, series.cover_fingerprint)} alt="" loading="lazy" decoding="async" draggable={false} onError={() => setFailed(true)} />}
    </div>
  );
}

function SeriesCard({ series }: { series: SeriesSummary }) {
  const store = useBrowseStore();
  const read = series.issue_count - series.unread_count;
  const done = series.unread_count === 0;
  return (
    <li className="series-card" data-testid="series-card" data-series-key={series.key}>
      {/* Named by its content (badge, title, counts), so the visible words are the name (WCAG 2.5.3). */}
      <button type="button" onClick={() => navigate(store, { view: 'series-page', key: series.key })}>
        <span className="shelf-cover">
          <SeriesCover series={series} />
          <span className={`series-badge${done ? ' is-done' : ''}`} data-testid="unread-badge">
            {done ? '✓' : formatCount(series.unread_count)}
          </span>
          <span className="visually-hidden">{done ? ', all read, ' : ' unread, '}</span>
          {read > 0 && !done && (
            <span className="shelf-progress" aria-hidden="true">
              <span style={{ width: `${(read / series.issue_count) * 100}%` }} />
            </span>
          )}
        </span>
        <span className="shelf-title">{seriesTitle(series)}</span>
        <span className="series-meta muted">
          {plural(series.issue_count, 'issue', 'issues')}
          {series.year !== null ? ` · ${series.year}` : ''}
        </span>
      </button>
    </li>
  );
}

export function SeriesShelf() {
  const store = useBrowseStore();
  const pages = useBrowse((s) => s.series);
  const total = useBrowse((s) => s.seriesTotal);
  const shown = useBrowse((s) => s.seriesShown);
  const sort = useBrowse((s) => s.seriesSort);
  const order = useBrowse((s) => s.seriesOrder);
  const error = useBrowse((s) => s.error);
  const [text, setText] = useState(useBrowse((s) => s.seriesQ));
  const sentinel = useRef<HTMLDivElement | null>(null);

  useEffect(() => {
    const timer = setTimeout(() => store.getState().setSeriesQ(text.trim()), 200);
    return () => clearTimeout(timer);
  }, [text, store]);

  useEffect(() => {
    const el = sentinel.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) store.getState().showMoreSeries();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [store, total]);

  const items: SeriesSummary[] = [];
  for (let offset = 0; offset < shown; offset += SERIES_PAGE) items.push(...(pages[offset] ?? []));

  return (
    <div className="browse-view" data-testid="series-shelf">
      <div className="browse-toolbar">
        <h1>Series</h1>
        {total !== null && <span className="muted">{plural(total, 'series', 'series')}</span>}
        <input
          type="search"
          className="control browse-search"
          placeholder="Find a series"
          aria-label="Find a series"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <div className="browse-sorts" role="group" aria-label="Sort series by">
          {SORTS.map(([key, label]) => (
            <button key={key} type="button" className="chip" aria-pressed={sort === key} onClick={() => store.getState().setSeriesSort(key)}>
              {label}
              {sort === key ? (order === 'asc' ? ' ↑' : ' ↓') : ''}
            </button>
          ))}
        </div>
      </div>
      {error && <p role="alert">{error}</p>}
      {total === 0 && <p className="muted">No series match.</p>}
      <ul className="series-grid" aria-label="Series">
        {items.map((s) => (
          <SeriesCard key={s.key} series={s} />
        ))}
      </ul>
      <div ref={sentinel} className="series-sentinel" aria-hidden="true" />
      {total !== null && items.length < total && (
        <button type="button" className="button" onClick={() => store.getState().showMoreSeries()}>
          Show more
        </button>
      )}
    </div>
  );
}
