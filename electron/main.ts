// Electron main process: app lifecycle, the one window, security hooks, menu, IPC and the longbox://
// protocol around one LibraryService at a time (library-controller.ts).
//
// The renderer is served from longbox://app/ rather than file://: it gets a real origin for the IPC
// origin check and the CSP, relative asset URLs work the same, the file:// extra privileges can be
// switched off with a fuse in packaged builds (electron-builder.yml), and no page of ours ever runs
// with file:// reach. Files reach the page only through longbox://cover/<id> (ids, never paths).
import { BrowserWindow, Menu, app, dialog, ipcMain, nativeTheme, powerMonitor, screen, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LongboxError, messageOf } from '../shared/errors.js';
import { libraryDataDir } from './library/data-dir.js';
import { openLibraryService } from './library/library-service.js';
import { toLogFormat } from './library/logger.js';
import { allowOrigins, createIpcRouter, originOf, type IpcRouter } from './ipc.js';
import { ShellLifecycle, launchRequestFromArgv, libraryRootFor, showWhenReady, userDataPath, type LaunchRequest } from './app-lifecycle.js';
import { LibraryController } from './library-controller.js';
import { configureLogging, createLogger, logsFolder } from './log.js';
import { exportStateToFile, importStateFromFile } from './library/user/state-files.js';
import { describeImport } from './library/user/state-transfer.js';
import { MENU_IDS, buildMenuTemplate } from './menu.js';
import { handleLongboxProtocol, registerLongboxScheme } from './protocol.js';
import { APP_INDEX_URL, APP_ORIGIN } from './protocol-url.js';
import { nativeBindingFor } from './native-binding.js';
import { SettingsStore, restoreBounds } from './settings.js';
import { launcherForThisRuntime } from './worker-host.js';
import { WINDOW_BACKGROUND } from '../shared/theme.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PRELOAD = path.join(HERE, 'preload.cjs');
const RENDERER_DIR = path.join(HERE, '..', 'renderer');
const WORKER_ENTRY = path.join(HERE, 'library', 'worker-entry.js');
const SHUTDOWN_TIMEOUT_MS = 8_000;

const isDev = !app.isPackaged;
const isE2E = process.env.LONGBOX_E2E === '1';

// userData must be fixed before the single-instance lock (the lock lives there) and before 'ready'.
// Development (`npm start`) and the installed app have separate folders, so separate locks.
app.setName('Longbox');
app.setPath('userData', userDataPath({ appData: app.getPath('appData'), isPackaged: app.isPackaged, override: process.env.LONGBOX_USER_DATA }));
app.setAppLogsPath(path.join(app.getPath('userData'), 'logs'));
configureLogging(isDev);
const log = createLogger('main');

process.on('uncaughtException', (error) => log.error(`uncaught exception: ${toLogFormat(error)}`));
process.on('unhandledRejection', (reason) => log.error(`unhandled rejection: ${toLogFormat(reason)}`));

// The scheme must be privileged before 'ready', also in an instance that is about to quit.
registerLongboxScheme();

if (!app.requestSingleInstanceLock()) {
  // Another Longbox owns this userData: it gets our 'second-instance' event and focuses its window.
  app.quit();
} else {
  main();
}

function main(): void {
  let mainWindow: BrowserWindow | null = null;
  let settings: SettingsStore | null = null;
  let controller: LibraryController | null = null;
  let router: IpcRouter | null = null;

  // Development only: a Vite dev server for the renderer (LONGBOX_RENDERER_URL=http://localhost:5173).
  const devRendererUrl = isDev ? (process.env.LONGBOX_RENDERER_URL ?? null) : null;
  const allowedOrigins = [APP_ORIGIN, ...(devRendererUrl ? [originOf(devRendererUrl) ?? APP_ORIGIN] : [])];
  const isAllowedUrl = allowOrigins(allowedOrigins);
  // node_modules holds better-sqlite3 built for Node (the tests need it): the app always loads an
  // Electron build, from resources/native when packaged, from npm start's cache in development.
  const nativeBinding = nativeBindingFor({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, env: process.env });

  // Everything that can arrive before the window may exist (second-instance, open-file, activate) goes
  // through the lifecycle, which creates no window until ready() — after the protocol and the router.
  const lifecycle = new ShellLifecycle({
    currentWindow: () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : null),
    createWindow: () => createWindow(),
    open: (request) => openRequest(request),
    shutdown,
    shutdownNow: () => {
      if (mainWindow && !mainWindow.isDestroyed()) saveWindowState(mainWindow);
    },
    quit: () => app.quit(),
    logger: createLogger('lifecycle'),
  });

  app.on('second-instance', (_event, argv, workingDirectory) => {
    lifecycle.onSecondInstance(argv, workingDirectory, app.isPackaged);
    if (isE2E) (globalThis as { __longboxSecondInstances?: number }).__longboxSecondInstances = lifecycle.secondInstanceCount;
  });
  // macOS: files opened from Finder or dropped on the dock icon, also the one that launched the app.
  app.on('open-file', (event, file) => lifecycle.onOpenFile(event, file));

  // Every webContents (ours and any a bug might create): no navigation away, no new windows, no webviews.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => {
      event.preventDefault();
      log.warn(`blocked navigation to ${event.url}`);
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      log.warn(`blocked window.open(${url})`);
      return { action: 'deny' };
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => lifecycle.onActivate());
  app.on('before-quit', (event) => lifecycle.onBeforeQuit(event));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  /** A later launch's folder or comic file: its library (a comic's own library if that is open). */
  async function openRequest(request: LaunchRequest): Promise<void> {
    const current = (await controller?.getLibrary())?.root ?? null;
    await controller?.openRoot(libraryRootFor(request, current));
  }

  async function shutdown(): Promise<void> {
    if (mainWindow && !mainWindow.isDestroyed()) saveWindowState(mainWindow);
    const closing = controller?.close() ?? Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), SHUTDOWN_TIMEOUT_MS);
    });
    try {
      const outcome = await Promise.race([closing.then(() => 'closed' as const), timeout]);
      if (outcome === 'timeout') log.warn(`library did not close within ${SHUTDOWN_TIMEOUT_MS} ms; quitting anyway`);
    } catch (error) {
      log.error(`closing the library failed: ${toLogFormat(error)}`);
    } finally {
      clearTimeout(timer);
    }
    router?.dispose();
    await settings?.flush();
  }

  function saveWindowState(win: BrowserWindow): void {
    if (!settings) return;
    const bounds = win.getNormalBounds();
    void settings.update({
      window: { x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height, maximized: win.isMaximized() },
    });
  }

  function setMenu(): void {
    const template = buildMenuTemplate({
      platform: process.platform,
      isDev,
      appName: app.name,
      hasSelection: router?.selectedComicId != null,
      actions: {
        chooseLibrary: () => void controller?.chooseLibrary().catch(reportError('Choose Library')),
        openSampleLibrary: () => void controller?.openSample().catch(reportError('Open Sample Library')),
        refresh: () => router?.refresh(),
        revealSelected: () => {
          const id = router?.selectedComicId;
          if (id != null) void router?.revealComic(id).catch(reportError('Show in Folder'));
        },
        openSelected: () => {
          const id = router?.selectedComicId;
          if (id != null) void router?.openComic(id).catch(reportError('Open with Default App'));
        },
        openLogsFolder: () => void shell.openPath(logsFolder()),
        exportState: () => void exportReadingState().catch(reportError('Export Reading State')),
        importState: () => void importReadingState().catch(reportError('Import Reading State')),
      },
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  }

  function updateSelectionMenu(hasSelection: boolean): void {
    const menu = Menu.getApplicationMenu();
    for (const id of [MENU_IDS.reveal, MENU_IDS.open]) {
      const item = menu?.getMenuItemById(id);
      if (item) item.enabled = hasSelection;
    }
  }

  async function exportReadingState(): Promise<void> {
    const service = controller?.service;
    if (!service) throw new Error('Open a library first.');
    const options = { title: 'Export reading state', defaultPath: `longbox-state-${new Date().toISOString().slice(0, 10)}.json`, filters: [{ name: 'JSON', extensions: ['json'] }] };
    const result = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
    if (result.canceled || !result.filePath) return;
    const doc = await exportStateToFile(service, result.filePath);
    log.info(`exported the state of ${doc.comics.length} comic(s) to ${result.filePath}`);
  }

  async function importReadingState(): Promise<void> {
    const service = controller?.service;
    if (!service) throw new Error('Open a library first.');
    const options = { title: 'Import reading state', properties: ['openFile' as const], filters: [{ name: 'JSON', extensions: ['json'] }] };
    const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
    const file = result.canceled ? undefined : result.filePaths[0];
    if (!file) return;
    const detail = describeImport(await importStateFromFile(service, file));
    log.info(`imported ${file}: ${detail}`);
    if (mainWindow && !mainWindow.isDestroyed()) void dialog.showMessageBox(mainWindow, { type: 'info', message: 'Reading state imported', detail });
  }

  function reportError(action: string): (error: unknown) => void {
    return (error) => {
      log.warn(`${action} failed: ${toLogFormat(error)}`);
      const message = messageOf(error);
      if (mainWindow && !mainWindow.isDestroyed()) void dialog.showMessageBox(mainWindow, { type: 'error', message: `${action} failed`, detail: message });
    };
  }

  function createWindow(): BrowserWindow {
    const bounds = restoreBounds(settings?.get().window ?? null, screen.getAllDisplays().map((display) => display.workArea));
    const win = new BrowserWindow({
      ...bounds,
      minWidth: 640,
      minHeight: 420,
      title: 'Longbox',
      show: false,
      backgroundColor: nativeTheme.shouldUseDarkColors ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light,
      webPreferences: {
        preload: PRELOAD,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
      },
    });
    showWhenReady(win, settings?.get().window?.maximized === true);
    // Windows: the session is ending (logout, restart); the quit that follows must not wait.
    win.on('query-session-end', () => lifecycle.onSessionEnding());
    win.on('session-end', () => lifecycle.onSessionEnding());

    const contents = win.webContents;
    const id = contents.id;
    router?.attachWindow(contents);
    contents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) router?.markNotReady(id);
    });
    contents.on('render-process-gone', (_event, details) => {
      log.error(`renderer gone: ${details.reason} (exit code ${details.exitCode})`);
      router?.markNotReady(id);
    });
    contents.on('preload-error', (_event, preloadPath, error) => log.error(`preload ${preloadPath} failed: ${toLogFormat(error)}`));
    win.on('close', () => saveWindowState(win));
    win.on('closed', () => {
      router?.detachWindow(id);
      if (mainWindow === win) mainWindow = null;
    });

    if (devRendererUrl) void win.loadURL(devRendererUrl);
    else void win.loadURL(APP_INDEX_URL);
    mainWindow = win;
    return win;
  }

  void app.whenReady().then(async () => {
    const userData = app.getPath('userData');
    log.info(`Longbox ${app.getVersion()} (Electron ${process.versions.electron}, ${isDev ? 'development' : 'packaged'}); userData ${userData}`);
    if (nativeBinding && !existsSync(nativeBinding)) log.warn(`LONGBOX_SQLITE_BINDING points at a missing file: ${nativeBinding}`);

    // No permission (camera, notifications, geolocation…) is ever needed; clipboard writes are fine.
    session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'clipboard-sanitized-write'));

    settings = await SettingsStore.load(path.join(userData, 'settings.json'), createLogger('settings'));
    const engineLog = createLogger('engine');
    controller = new LibraryController({
      userData,
      openService: openLibraryService,
      dataDirFor: (root) => libraryDataDir(userData, root),
      chooseFolder: async () => {
        const options = { title: 'Choose your comic library folder', properties: ['openDirectory' as const] };
        const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      settings,
      // userDataDir: one user.db for every library (keyed by fingerprint), so a moved library keeps its state.
      serviceOptions: { launcher: launcherForThisRuntime(WORKER_ENTRY, engineLog), logger: engineLog, nativeBinding, userDataDir: userData },
      onChange: (service, info) => {
        router?.setService(service);
        if (mainWindow && !mainWindow.isDestroyed()) mainWindow.setTitle(info ? `Longbox — ${path.basename(info.root)}` : 'Longbox');
      },
      logger: createLogger('library'),
    });
    const libraries = controller;

    handleLongboxProtocol({
      rendererDir: RENDERER_DIR,
      getService: () => libraries.service,
      onError: (message) => log.warn(message),
    });

    router = createIpcRouter(
      {
        getLibrary: () => libraries.getLibrary(),
        chooseLibrary: () => libraries.chooseLibrary(),
        openSampleLibrary: () => libraries.openSample(),
        openPath: async (file) => {
          const failure = await shell.openPath(file);
          if (failure) throw new LongboxError('UNSUPPORTED', failure);
        },
        revealPath: (file) => shell.showItemInFolder(file),
      },
      { ipcMain, isAllowedUrl, logger: createLogger('ipc'), onSelectionChange: (id) => updateSelectionMenu(id !== null) },
    );

    // Linux and macOS: logout / restart / shutdown; the quit that follows must not wait.
    powerMonitor.on('shutdown', () => {
      lifecycle.onSessionEnding();
      app.quit();
    });

    setMenu();
    // Protocol, router and controller exist: now the window (and any queued second-instance/open-file).
    const first = lifecycle.ready(launchRequestFromArgv(process.argv, { isPackaged: app.isPackaged, cwd: process.cwd() }));
    // Opening the library (a read-only SQLite open) runs while the window loads; IPC calls that need
    // it wait for it (LibraryController serialises them).
    await controller.restore(first ? libraryRootFor(first, settings.get().lastLibraryRoot) : null);
  });
}
