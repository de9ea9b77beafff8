// First scan of a library: real progress instead of an empty grid.
import { PHASE_LABELS, formatCount, formatDuration } from '../lib/format.js';
import { useStatus, useStores } from '../store/context.js';
import { BookIcon, WarningIcon } from './icons.js';

export function ColdStart() {
  const { status: statusStore } = useStores();
  const status = useStatus((s) => s.status);
  if (!status) return null;
  const progress = status.progress;
  const total = progress?.total ?? 0;
  const done = progress?.done ?? 0;
  const fraction = total > 0 ? Math.min(1, done / total) : null;
  const isRunning = status.rebuild_in_progress;
  return (
    <div className="centered">
      <div className="card coldstart" data-testid="cold-start">
        <div className="app-mark card-icon"><BookIcon size={22} /></div>
        <h1>{isRunning ? 'Building your library' : 'The first scan stopped'}</h1>
        <p className="muted path">{status.library_root}</p>
        {isRunning ? (
          <>
            <div
              className="progress"
              role="progressbar"
              aria-label="Files indexed"
              aria-valuemin={0}
              aria-valuemax={total || undefined}
              aria-valuenow={total > 0 ? done : undefined}
              aria-valuetext={total > 0 ? `${formatCount(done)} of ${formatCount(total)} files` : 'Counting files'}
            >
              <div className={`progress-fill${fraction === null ? ' is-indeterminate' : ''}`} style={fraction === null ? undefined : { width: `${(fraction * 100).toFixed(1)}%` }} />
            </div>
            <dl className="coldstart-stats">
              <div>
                <dt>Files</dt>
                <dd data-testid="cold-start-files">{total > 0 ? `${formatCount(done)} / ${formatCount(total)}` : formatCount(done)}</dd>
              </div>
              <div>
                <dt>Speed</dt>
                <dd>{progress ? `${formatCount(progress.files_per_second)} files/s` : '—'}</dd>
              </div>
              <div>
                <dt>Time left</dt>
                <dd>{progress?.eta_seconds != null ? formatDuration(progress.eta_seconds) : '—'}</dd>
              </div>
            </dl>
            <p className="muted" aria-live="polite">{PHASE_LABELS[status.phase]}… Comics appear as soon as the first pass is complete.</p>
          </>
        ) : (
          <>
            {status.last_error && (
              <p className="coldstart-error"><WarningIcon /> {status.last_error.message}</p>
            )}
            <button type="button" className="button button-primary" onClick={() => void statusStore.getState().refresh()}>
              Try again
            </button>
          </>
        )}
      </div>
    </div>
  );
}
