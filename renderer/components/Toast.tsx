// A short confirmation at the bottom of the window ("Checked just now · no changes", "Path copied").
// Always in the DOM as a polite live region, so screen readers announce each notice.
import { useStatus, useStores } from '../store/context.js';
import { CloseIcon } from './icons.js';
import '../styles/toast.css';

export function Toast() {
  const { status } = useStores();
  const notice = useStatus((s) => s.notice);
  return (
    <div className="toast-region" role="status" aria-live="polite" data-testid="toast">
      {notice && (
        <div className="toast" key={notice.id}>
          <span>{notice.text}</span>
          <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => status.getState().dismissNotice()}>
            <CloseIcon />
          </button>
        </div>
      )}
    </div>
  );
}
