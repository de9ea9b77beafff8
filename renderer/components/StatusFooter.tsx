// The status bar: library folder, file and error counts, "updated N s ago" ticking locally.
import { useEffect, useState } from 'react';
import { formatAge, formatCount, formatDuration, plural } from '../lib/format.js';
import { useStatus, useStores } from '../store/context.js';

export function StatusFooter() {
  const { query } = useStores();
  const status = useStatus((s) => s.status);
  const receivedAt = useStatus((s) => s.receivedAt);
  const library = useStatus((s) => s.library);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (!status) return <footer className="statusbar" />;
  const age = status.age_seconds === null ? null : status.age_seconds + Math.max(0, (now - receivedAt) / 1000);
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span className="statusbar-root" title={status.library_root ?? library?.root ?? ''}>
        {library?.isSample ? 'Sample library' : (status.library_root ?? library?.root ?? '')}
      </span>
      <span className="statusbar-sep" aria-hidden="true" />
      <span>{plural(status.file_count, 'file', 'files')}</span>
      {status.error_count > 0 && (
        <>
          <span className="statusbar-sep" aria-hidden="true" />
          <button type="button" className="link-button statusbar-errors" onClick={() => query.getState().setView('problems')}>
            {plural(status.error_count, 'error', 'errors')}
          </button>
        </>
      )}
      <span className="toolbar-spacer" />
      {status.last_duration_ms !== null && (
        <span className="statusbar-muted">last scan {status.last_duration_ms < 1000 ? `${formatCount(status.last_duration_ms)} ms` : formatDuration(status.last_duration_ms / 1000)}</span>
      )}
      {age !== null && (
        <>
          <span className="statusbar-sep" aria-hidden="true" />
          <span data-testid="age">{formatAge(age)}</span>
        </>
      )}
    </footer>
  );
}
