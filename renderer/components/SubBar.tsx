// Second toolbar row: Library / Problems tabs, filter chips, result count, how many are selected.
import type { ComicFormat } from '../../shared/types.js';
import { FORMAT_LABELS, formatCount, plural } from '../lib/format.js';
import { useQuery, useResults, useSelection, useStatus, useStores } from '../store/context.js';
import { selectedCount } from '../browse/multi-select.js';
import '../styles/selection.css';
import { isNarrowed, type FilterFlag } from '../store/query.js';

const FLAG_CHIPS: Array<{ flag: FilterFlag; label: string }> = [
  { flag: 'unread', label: 'Unread' },
  { flag: 'duplicates', label: 'Duplicates' },
  { flag: 'hasError', label: 'Has errors' },
];
const FORMAT_CHIPS: ComicFormat[] = ['zip', 'rar', '7z', 'tar', 'pdf', 'epub'];

export function SubBar() {
  const { query } = useStores();
  const view = useQuery((s) => s.view);
  const filter = useQuery((s) => s.filter);
  const errorCount = useStatus((s) => s.status?.error_count ?? 0);
  const hasFilters = Object.keys(filter).length > 0;
  return (
    <div className="subbar">
      <div className="tabs" role="tablist" aria-label="Views">
        <button type="button" role="tab" aria-selected={view === 'library'} className="tab" onClick={() => query.getState().setView('library')}>
          Library
        </button>
        <button type="button" role="tab" aria-selected={view === 'problems'} className="tab" onClick={() => query.getState().setView('problems')}>
          Problems
          {errorCount > 0 && <span className="tab-count" aria-label={`${errorCount} files with errors`}>{formatCount(errorCount)}</span>}
        </button>
      </div>
      <div className="chips" role="group" aria-label="Filters">
        {FLAG_CHIPS.filter((c) => !(view === 'problems' && c.flag === 'hasError')).map(({ flag, label }) => (
          <button key={flag} type="button" className="chip" aria-pressed={Boolean(filter[flag])} onClick={() => query.getState().toggleFlag(flag)}>
            {label}
          </button>
        ))}
        <span className="chip-divider" aria-hidden="true" />
        {FORMAT_CHIPS.map((format) => (
          <button
            key={format}
            type="button"
            className="chip"
            aria-label={`Format ${FORMAT_LABELS[format]}`}
            aria-pressed={filter.formats?.includes(format) ?? false}
            onClick={() => query.getState().toggleFormat(format)}
          >
            {FORMAT_LABELS[format]}
          </button>
        ))}
        {hasFilters && (
          <button type="button" className="chip chip-clear" onClick={() => query.getState().clearFilters()}>
            Clear
          </button>
        )}
      </div>
      <ResultCount />
      <SelectionCount />
    </div>
  );
}

export function ResultCount() {
  const total = useResults((s) => s.total);
  const narrowed = useResults((s) => isNarrowed(s.query));
  const fileCount = useStatus((s) => s.status?.file_count ?? null);
  let text: string;
  if (total === null) text = fileCount === null ? '' : plural(fileCount, 'comic', 'comics');
  else if (narrowed && fileCount !== null) text = `${formatCount(total)} of ${formatCount(fileCount)}`;
  else text = plural(total, 'comic', 'comics');
  return (
    <div className="result-count" data-testid="result-count">
      {text}
    </div>
  );
}

/** "12 selected · Clear" while several comics are selected (a live region: it is said when it changes). */
export function SelectionCount() {
  const { selection } = useStores();
  const total = useResults((s) => s.total ?? 0);
  const count = useSelection((s) => selectedCount(s.multi, total));
  return (
    <span role="status" className="selection-status">
      {count > 1 && (
        <span className="selection-bar" data-testid="selection-count">
          {formatCount(count)} selected
          <button type="button" className="link-button" onClick={() => selection.getState().clearAll()}>
            Clear
          </button>
        </span>
      )}
    </span>
  );
}
