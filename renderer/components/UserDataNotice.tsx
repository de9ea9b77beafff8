// What happened to the user's own data (CacheStatus.user_data_notice): user.db was damaged and
// restored from a backup, or could not be recovered. Shown until dismissed; a newer notice shows again.
import { useState } from 'react';
import { useStatus } from '../store/context.js';
import { CloseIcon, WarningIcon } from './icons.js';

export function UserDataNotice() {
  const notice = useStatus((s) => s.status?.user_data_notice ?? null);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  if (!notice || notice.at === dismissedAt) return null;
  return (
    <div className="error-banner" role="alert" data-testid="user-data-notice">
      <WarningIcon />
      <p>
        <span className="error-banner-message">{notice.message}</span>
      </p>
      <button type="button" className="icon-button" aria-label="Dismiss notice" onClick={() => setDismissedAt(notice.at)}>
        <CloseIcon />
      </button>
    </div>
  );
}
