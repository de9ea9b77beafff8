// The last error (from the cache status or a failed action), dismissible until the next one.
import { useStatus, useStores, useResults } from '../store/context.js';
import { visibleError } from '../store/status.js';
import { CloseIcon, WarningIcon } from './icons.js';

export function ErrorBanner() {
  const { status } = useStores();
  const message = useStatus(visibleError);
  const isPopulated = useStatus((s) => s.status?.is_populated ?? false);
  const isActionError = useStatus((s) => s.actionError !== null);
  const loadError = useResults((s) => s.error);
  const text = message ?? (loadError ? `Could not load comics: ${loadError}` : null);
  if (!text) return null;
  // The host may already say so itself.
  const fromCache = message !== null && !isActionError && isPopulated && !/last known library/i.test(message);
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      <WarningIcon />
      <p>
        <span className="error-banner-message">{text}</span>
        {fromCache && <span className="error-banner-note"> Showing the last known library.</span>}
      </p>
      {message !== null && (
        <button type="button" className="icon-button" aria-label="Dismiss error" onClick={() => status.getState().dismissError()}>
          <CloseIcon />
        </button>
      )}
    </div>
  );
}
