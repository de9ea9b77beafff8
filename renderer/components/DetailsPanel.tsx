// Details of the selected comic: cover, metadata with where each field came from, file facts,
// duplicates, read toggle, favourite star, open/reveal where the host can.
import { useEffect, useRef, type ReactNode } from 'react';
import type { ComicDetail } from '../../shared/types.js';
import { DETAIL_FACTS, SOURCE_LABELS } from '../../shared/comic-fields.js';
import { FORMAT_LABELS, displaySubtitle, displayTitle, formatBytes, formatCount, formatDate } from '../lib/format.js';
import { problemLabel, problemSentence } from '../lib/problem-text.js';
import { useDetail, useSelection, useStores } from '../store/context.js';
import { useComicActions, type ComicActionId } from './comic-actions.js';
import { Cover } from './Cover.js';
import { CloseIcon, CopyIcon, ExternalIcon, FolderIcon, RefreshIcon, StarIcon, WarningIcon } from './icons.js';
import '../styles/details-extra.css';
import '../styles/favourite.css';

/** The details panel's buttons: every comic action except those it shows otherwise (Read switch, Duplicates). */
const BUTTON_ICONS: Partial<Record<ComicActionId, ReactNode>> = {
  open: <ExternalIcon />,
  reveal: <FolderIcon />,
  'copy-path': <CopyIcon />,
  retry: <RefreshIcon />,
};
import { ReadButtons } from '../reader/ReadButtons.js';

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
  const { detail: detailStore, results, selection, status } = useStores();
  const actionsFor = useComicActions();
  const focusTarget = useSelection((s) => s.focusTarget);
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const duplicatesRef = useRef<HTMLHeadingElement | null>(null);
  useEffect(() => {
    scrollRef.current?.scrollTo?.({ top: 0 });
  }, [detail.id]);
  // "Show the other copies": bring the Duplicates section into view and put the focus on it.
  useEffect(() => {
    if (focusTarget !== 'duplicates' || !duplicatesRef.current) return;
    duplicatesRef.current.scrollIntoView?.({ block: 'start' });
    duplicatesRef.current.focus({ preventScroll: true });
    selection.getState().requestFocus(null);
  }, [focusTarget, detail.id, selection]);
  const buttons = actionsFor(detail).filter((action) => BUTTON_ICONS[action.id] !== undefined);

  const toggleRead = async () => {
    try {
      // Marking unread forgets the page too: the comic is "not started" again.
      const state = await detailStore.getState().setUserState(detail.userState.read ? { read: false, lastPage: null } : { read: true });
      if (state) results.getState().patchItem(detail.id, { read: state.read, lastPage: state.lastPage });
    } catch (err) {
      status.getState().reportActionError(err);
    }
  };
  const toggleFavourite = async () => {
    try {
      const state = await detailStore.getState().setUserState({ favourite: !detail.userState.favourite });
      if (!state) return;
      results.getState().patchFavourite(detail.id, state.favourite);
    } catch (err) {
      status.getState().reportActionError(err);
    }
  };
  const fields = DETAIL_FACTS.filter(([field]) => detail.metadata[field] !== null && detail.metadata[field] !== '');
  const subtitle = displaySubtitle(detail);

  return (
    <div className="details-body" ref={scrollRef}>
      <div className="details-cover">
        <Cover comic={detail} />
      </div>
      <h2 className="details-title">{displayTitle(detail)}</h2>
      {subtitle && <p className="details-subtitle">{subtitle}</p>}
      {!detail.errorKind && <ReadButtons comic={detail} />}

      {detail.errorKind && (
        <div className="details-problem" role="note">
          <WarningIcon />
          <div>
            <strong>{problemLabel(detail.errorKind)}</strong>
            <p>{problemSentence(detail.errorKind)}</p>
            {detail.errorMessage && (
              <details className="technical-detail">
                <summary>Technical detail</summary>
                <code>{detail.errorMessage}</code>
              </details>
            )}
          </div>
        </div>
      )}

      <div className="details-actions">
        {/* A file that cannot be read has no reading state to switch. */}
        {!detail.errorKind && (
          <label className="switch">
            <input type="checkbox" role="switch" checked={detail.userState.read} onChange={() => void toggleRead()} aria-label="Read" />
            <span className="switch-track" aria-hidden="true" />
            <span aria-hidden="true">Read</span>
          </label>
        )}
        <button
          type="button"
          className="button favourite-toggle"
          aria-pressed={detail.userState.favourite}
          title={detail.userState.favourite ? 'A favourite: press to remove it from the favourites' : 'Add to favourites'}
          onClick={() => void toggleFavourite()}
          data-testid="favourite-toggle"
        >
          <StarIcon filled={detail.userState.favourite} /> Favourite
        </button>
        <div className="details-buttons">
          {buttons.map((action) => (
            <button key={action.id} type="button" className="button" onClick={() => void action.run()}>
              {BUTTON_ICONS[action.id]} {action.label}
            </button>
          ))}
        </div>
      </div>

      {detail.metadata.summary && <p className="details-summary">{detail.metadata.summary}</p>}

      {fields.length > 0 && (
        <section className="details-section">
          <h3>Metadata</h3>
          <dl className="facts">
            {fields.map(([field, label]) => (
              <Fact
                key={field}
                label={label}
                source={detail.sources[field] ? <span className="source-tag" title={`from ${SOURCE_LABELS[detail.sources[field]]}`}>{SOURCE_LABELS[detail.sources[field]]}</span> : null}
              >
                {String(detail.metadata[field])}
              </Fact>
            ))}
          </dl>
        </section>
      )}

      <section className="details-section">
        <h3>File</h3>
        <dl className="facts">
          <Fact label="Pages">
            {formatCount(detail.pageCount)}
            {detail.metadata.declaredPageCount !== null && detail.metadata.declaredPageCount !== detail.pageCount && (
              <span className="source-tag">ComicInfo says {detail.metadata.declaredPageCount}</span>
            )}
          </Fact>
          <Fact label="Format">
            {FORMAT_LABELS[detail.format]}
            <span className="list-subtle">.{detail.ext.replace(/^\./, '')}</span>
            {detail.kind === 'text-book' && <span className="source-tag">text book: open it in your e-book reader</span>}
          </Fact>
          <Fact label="Size">{formatBytes(detail.size)}</Fact>
          <Fact label="Path" valueClass="path" title={detail.path}>
            {detail.path}
          </Fact>
          <Fact label="Added">{formatDate(detail.addedAt)}</Fact>
          <Fact label="Changed">{formatDate(detail.lastChangedAt)}</Fact>
        </dl>
      </section>

      {detail.duplicates.length > 0 && (
        <section className="details-section">
          <h3 ref={duplicatesRef} tabIndex={-1} id="details-duplicates">
            Other copies ({detail.duplicates.length})
          </h3>
          <p className="details-note">The same file (identical content) is also at:</p>
          <ul className="duplicates">
            {detail.duplicates.map((d) => {
              const slash = d.path.lastIndexOf('/');
              return (
                <li key={d.id}>
                  <button type="button" className="link-button duplicate-link" onClick={() => selection.getState().select(d.id)} title={d.path}>
                    <span className="duplicate-folder">{slash < 0 ? 'Library folder' : d.path.slice(0, slash)}</span>
                    <span className="duplicate-file">{d.path.slice(slash + 1)}</span>
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </div>
  );
}

/** One row of a facts list: the label, the value and (metadata fields) the tag of where it came from. */
function Fact({ label, children, valueClass, title, source }: { label: string; children: ReactNode; valueClass?: string; title?: string; source?: ReactNode }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd className={valueClass} title={title}>
        {children}
      </dd>
      {source !== undefined && <dd className="fact-source">{source}</dd>}
    </div>
  );
}
