// The app shell: picks the screen (loading, welcome, cold start, library) and owns global shortcuts.
import { useEffect } from 'react';
import { ColdStart } from './components/ColdStart.js';
import { ComicMenu } from './components/ComicMenu.js';
import { DetailsPanel } from './components/DetailsPanel.js';
import { ErrorBanner } from './components/ErrorBanner.js';
import { UserDataNotice } from './components/UserDataNotice.js';
import { Header, SEARCH_INPUT_ID } from './components/Header.js';
import { StatusFooter } from './components/StatusFooter.js';
import { ShortcutHelp } from './components/ShortcutHelp.js';
import { SubBar } from './components/SubBar.js';
import { Toast } from './components/Toast.js';
import { Welcome } from './components/Welcome.js';
import { ReaderHost } from './reader/ReaderHost.js';
import { BrowseContent } from './browse/BrowseContent.js';
import { BrowseProvider } from './browse/BrowseProvider.js';
import { Sidebar } from './browse/Sidebar.js';
import './browse/browse.css';
import { isRefreshShortcut, isTypingTarget } from './lib/keyboard.js';
import { StoresProvider, useSelection, useStatus, useStores, useView } from './store/context.js';
import { isColdStart } from './store/status.js';
import type { Stores } from './store/stores.js';

export function App({ stores }: { stores: Stores }) {
  useEffect(() => stores.start(), [stores]);
  return (
    <StoresProvider stores={stores}>
      <Shell />
    </StoresProvider>
  );
}

function Shell() {
  const stores = useStores();
  const library = useStatus((s) => s.library);
  const bootError = useStatus((s) => s.bootError);
  const hasStatus = useStatus((s) => s.status !== null);
  const isCold = useStatus(isColdStart);
  const theme = useView((s) => s.theme);

  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (isRefreshShortcut(e) && !stores.api.capabilities.appMenu) {
        // In a browser F5 / Ctrl+R would reload the page; here it rebuilds the library instead.
        // (In the desktop app the menu's accelerator does it: acting here too would refresh twice.)
        e.preventDefault();
        void stores.status.getState().refresh();
        return;
      }
      if (e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTypingTarget(e.target)) {
        e.preventDefault();
        stores.view.getState().setShortcutHelpOpen(!stores.view.getState().isShortcutHelpOpen);
        return;
      }
      if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTypingTarget(e.target)) {
        const input = document.getElementById(SEARCH_INPUT_ID);
        if (input) {
          e.preventDefault();
          input.focus();
        }
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [stores]);

  if (library === undefined || !hasStatus) {
    return (
      <div className="app">
        <div className="centered">
          {bootError ? (
            <div className="card" role="alert">
              <h1>Cannot reach the library</h1>
              <p className="muted">{bootError}</p>
              <button type="button" className="button button-primary" onClick={() => void stores.reloadLibrary()}>
                Try again
              </button>
            </div>
          ) : (
            <div className="loading" aria-label="Loading" role="status">
              <span className="spinner" aria-hidden="true" />
            </div>
          )}
        </div>
      </div>
    );
  }
  if (library === null) {
    return (
      <div className="app">
        <Welcome />
      </div>
    );
  }
  if (isCold) {
    return (
      <div className="app">
        <ColdStart />
      </div>
    );
  }
  return (
    <ReaderHost>
      <LibraryScreen />
    </ReaderHost>
  );
}

function LibraryScreen() {
  const isDetailsOpen = useSelection((s) => s.isDetailsOpen && s.selectedId !== null);
  return (
    <BrowseProvider>
      <div className="app">
        <Header />
        <SubBar />
        <ErrorBanner />
        <UserDataNotice />
        <main className={`content with-sidebar${isDetailsOpen ? ' has-details' : ''}`}>
          <Sidebar />
          <section className="results" aria-label="Results">
            <BrowseContent />
          </section>
          {isDetailsOpen && <DetailsPanel />}
        </main>
        <StatusFooter />
        <ComicMenu />
        <ShortcutHelp />
        <Toast />
      </div>
    </BrowseProvider>
  );
}
