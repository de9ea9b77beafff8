// Details of the selected comic: cover, metadata with where each field came from, file facts,
// duplicates, read toggle, open/reveal where the host can.
import { useEffect, useRef } from 'react';
import type { ComicDetail, FieldSource, MetadataField } from '../../shared/types.js';
import { FORMAT_LABELS, displaySubtitle, displayTitle, formatBytes, formatCount, formatDate } from '../lib/format.js';
import { useDetail, useStatus, useStores } from '../store/context.js';
import { Cover } from './Cover.js';
import { CloseIcon, ExternalIcon, FolderIcon, WarningIcon } from './icons.js';

const FIELD_LABELS: Array<[MetadataField, string]> = [
  ['series', 'Series'],
  ['number', 'Number'],
  ['volume', 'Volume'],
  ['title', 'Title'],
  ['year', 'Year'],
  ['month', 'Month'],
  ['writer', 'Writer'],
  ['penciller', 'Penciller'],
  ['publisher', 'Publisher'],
  ['genre', 'Genre'],
  ['languageIso', 'Language'],
  ['manga', 'Manga'],
];

const SOURCE_LABELS: Record<FieldSource, string> = {
  comicinfo: 'ComicInfo',
  comicbookinfo: 'ComicBookInfo',
  filename: 'file name',
};

export function DetailsPanel() {
  const { selection } = useStores();
  const detail = useDetail((s) => s.detail);
  const isLoading = useDetail((s) => s.isLoading);
  const error = useDetail((s) => s.error);
  const ref = useRef<HTMLElement | null>(null);

  return (
    <aside className="details" aria-label="Comic details" ref={ref} data-testid="details">
      <div className="details-head">
        <span className="details-kicker">Details</span>
        <button type="button" className="icon-button" aria-label="Close details" onClick={() => selection.getState().closeDetails()}>
          <CloseIcon />
        </button>
      </div>
      {detail ? (
        <DetailBody detail={detail} />
      ) : error ? (
        <p className="details-empty">{error}</p>
      ) : (
        <p className="details-empty">{isLoading ? 'Loading…' : 'Select a comic to see its details.'}</p>
      )}
    </aside>
  );
}

function DetailBody({ detail }: { detail: ComicDetail }) {
  const { detail: detailStore, results, selection, status, api } = useStores();
  const capabilities = useStatus((s) => s.capabilities);
  const scrollRef = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    scrollRef.current?.scrollTo?.({ top: 0 });
  }, [detail.id]);

  const toggleRead = async () => {
    try {
      const state = await detailStore.getState().setUserState({ read: !detail.userState.read });
      if (state) results.getState().patchItem(detail.id, { read: state.read });
    } catch (err) {
      status.getState().reportActionError(err);
    }
  };
  const run = (action: () => Promise<void>) => () => {
    action().catch((err: unknown) => status.getState().reportActionError(err));
  };
  const fields = FIELD_LABELS.filter(([field]) => detail.metadata[field] !== null && detail.metadata[field] !== '');
  const subtitle = displaySubtitle(detail);

  return (
    <div className="details-body" ref={scrollRef}>
      <div className="details-cover">
        <Cover comic={detail} />
      </div>
      <h2 className="details-title">{displayTitle(detail)}</h2>
      {subtitle && <p className="details-subtitle">{subtitle}</p>}

      <div className="details-actions">
        <label className="switch">
          <input type="checkbox" role="switch" checked={detail.userState.read} onChange={() => void toggleRead()} aria-label="Read" />
          <span className="switch-track" aria-hidden="true" />
          <span aria-hidden="true">Read</span>
        </label>
        <div className="details-buttons">
          {capabilities.openFile && !detail.errorKind && (
            <button type="button" className="button" onClick={run(() => api.openComic(detail.id))}>
              <ExternalIcon /> Open
            </button>
          )}
          {capabilities.revealFile && (
            <button type="button" className="button" onClick={run(() => api.revealComic(detail.id))}>
              <FolderIcon /> Reveal
            </button>
          )}
        </div>
      </div>

      {detail.errorKind && (
        <div className="details-problem" role="note">
          <WarningIcon />
          <div>
            <strong>{detail.errorKind}</strong>
            <p>{detail.errorMessage}</p>
          </div>
        </div>
      )}

      {detail.metadata.summary && <p className="details-summary">{detail.metadata.summary}</p>}

      {fields.length > 0 && (
        <section className="details-section">
          <h3>Metadata</h3>
          <dl className="facts">
            {fields.map(([field, label]) => (
              <div key={field} className="fact">
                <dt>{label}</dt>
                <dd>{String(detail.metadata[field])}</dd>
                <dd className="fact-source">
                  {detail.sources[field] && <span className="source-tag" title={`from ${SOURCE_LABELS[detail.sources[field]]}`}>{SOURCE_LABELS[detail.sources[field]]}</span>}
                </dd>
              </div>
            ))}
          </dl>
        </section>
      )}

      <section className="details-section">
        <h3>File</h3>
        <dl className="facts">
          <div className="fact">
            <dt>Pages</dt>
            <dd>
              {formatCount(detail.pageCount)}
              {detail.metadata.declaredPageCount !== null && detail.metadata.declaredPageCount !== detail.pageCount && (
                <span className="source-tag">ComicInfo says {detail.metadata.declaredPageCount}</span>
              )}
            </dd>
          </div>
          <div className="fact">
            <dt>Format</dt>
            <dd>
              {FORMAT_LABELS[detail.format]}
              <span className="list-subtle">.{detail.ext.replace(/^\./, '')}</span>
            </dd>
          </div>
          <div className="fact">
            <dt>Size</dt>
            <dd>{formatBytes(detail.size)}</dd>
          </div>
          <div className="fact">
            <dt>Path</dt>
            <dd className="path" title={detail.path}>
              {detail.path}
            </dd>
          </div>
          <div className="fact">
            <dt>Added</dt>
            <dd>{formatDate(detail.addedAt)}</dd>
          </div>
          <div className="fact">
            <dt>Changed</dt>
            <dd>{formatDate(detail.lastChangedAt)}</dd>
          </div>
        </dl>
      </section>

      {detail.duplicates.length > 0 && (
        <section className="details-section">
          <h3>Duplicates ({detail.duplicates.length})</h3>
          <ul className="duplicates">
            {detail.duplicates.map((d) => (
              <li key={d.id}>
                <button type="button" className="link-button" onClick={() => selection.getState().select(d.id)} title={d.path}>
                  {d.path}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
