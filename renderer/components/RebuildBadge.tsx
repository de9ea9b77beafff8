// "Rebuilding…" with phase and progress. Always in the layout (its space is reserved) so nothing
// shifts when it appears; the live region announces it politely.
import { useStatus } from '../store/context.js';
import { isRebuilding } from '../store/status.js';
import { PHASE_LABELS, formatCount, formatDuration } from '../lib/format.js';

export function RebuildBadge() {
  const status = useStatus((s) => s.status);
  const isVisible = useStatus(isRebuilding);
  const progress = status?.rebuild_in_progress ? status.progress : null;
  const isPending = useStatus((s) => s.isRefreshPending);
  // Held on screen after a fast rebuild is already over (MIN_BADGE_MS): it is finishing, not starting.
  const phase = status?.rebuild_in_progress ? PHASE_LABELS[status.phase] : isPending ? 'Starting' : 'Finishing';
  const owner = status?.rebuild_owner === 'other' ? ' (another window)' : '';
  const counts = progress && progress.total > 0 ? `${formatCount(progress.done)} / ${formatCount(progress.total)}` : null;
  const eta = progress?.eta_seconds != null && progress.eta_seconds > 0 ? `${formatDuration(progress.eta_seconds)} left` : null;
  const fraction = progress && progress.total > 0 ? Math.min(1, progress.done / progress.total) : null;
  return (
    <div className="badge-slot">
      <div
        className={`rebuild-badge${isVisible ? ' is-visible' : ''}`}
        role="status"
        aria-live="polite"
        data-testid="rebuild-badge"
        data-visible={isVisible}
      >
        {isVisible && (
          <>
            <span className="spinner" aria-hidden="true" />
            <span className="rebuild-badge-text">
              <span className="rebuild-badge-title">Rebuilding…</span>
              <span className="rebuild-badge-detail">
                {phase}
                {owner}
                {counts && <span aria-hidden="true"> · {counts}</span>}
                {eta && <span aria-hidden="true"> · {eta}</span>}
              </span>
            </span>
            <span className="rebuild-badge-bar" aria-hidden="true">
              <span className={fraction === null ? 'is-indeterminate' : ''} style={fraction === null ? undefined : { width: `${(fraction * 100).toFixed(1)}%` }} />
            </span>
          </>
        )}
      </div>
    </div>
  );
}
