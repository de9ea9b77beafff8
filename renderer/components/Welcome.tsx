// No library yet: choose a folder (where the host can) or open the sample library.
import { useStatus, useStores } from '../store/context.js';
import { BookIcon, FolderIcon } from './icons.js';

export function Welcome() {
  const stores = useStores();
  const canChoose = useStatus((s) => s.capabilities.chooseFolder);
  const error = useStatus((s) => s.actionError);
  return (
    <div className="centered">
      <div className="card welcome" data-testid="welcome">
        <div className="app-mark card-icon"><BookIcon size={22} /></div>
        <h1>Welcome to Longbox</h1>
        <p className="muted">Point Longbox at the folder that holds your comics (.cbz, .cbr, .cb7, .pdf). It indexes them once and opens instantly afterwards.</p>
        <div className="welcome-actions">
          {canChoose && (
            <button type="button" className="button button-primary" onClick={() => void stores.chooseLibrary()}>
              <FolderIcon /> Choose folder…
            </button>
          )}
          <button type="button" className="button" onClick={() => void stores.openSampleLibrary()}>
            Open sample library
          </button>
        </div>
        {error && <p className="coldstart-error" role="alert">{error}</p>}
      </div>
    </div>
  );
}
