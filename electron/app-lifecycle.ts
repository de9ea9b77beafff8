// The Electron shell's lifecycle decisions, without an electron import (main.ts passes the Electron
// objects in as small slices; app-lifecycle.test.ts drives them with fakes in Node):
// - where userData lives (development and installed apps apart: separate data and single-instance lock);
// - what a launch asks for: a library folder, or a comic file opened from the file manager;
// - startup ordering: no window before the longbox:// protocol, the IPC router and the library
//   controller exist; second-instance / open-file / activate that arrive earlier are queued;
// - showing the window only when its first paint is ready, maximised if it was;
// - quitting: a clean library shutdown on a normal quit, never blocking a logout or system shutdown.
import path from 'node:path';
import { isComicFileName } from './library/scan/library-files.js';
import { silentLogger, toLogFormat, type Logger } from './library/logger.js';

// ---- userData ----------------------------------------------------------------------------------

/**
 * The installed app keeps its data in <appData>/Longbox; `npm start` (not packaged) in
 * <appData>/Longbox Dev. Electron's single-instance lock lives in userData, so the two never share a
 * lock: `npm start` is not silently handed over to an installed Longbox that happens to run.
 */
export function userDataPath(options: { appData: string; isPackaged: boolean; override?: string | undefined }): string {
  if (options.override) return path.resolve(options.override);
  return path.join(options.appData, options.isPackaged ? 'Longbox' : 'Longbox Dev');
}

// ---- launch requests -------------------------------------------------------------------------------

/** What a launch (or a second launch, or macOS open-file) asks for. */
export type LaunchRequest = { kind: 'folder'; path: string } | { kind: 'comic'; path: string };

export function isComicFile(file: string): boolean {
  return isComicFileName(path.basename(file));
}

export function launchRequestForPath(file: string, cwd: string): LaunchRequest {
  const resolved = path.resolve(cwd, file);
  return isComicFile(resolved) ? { kind: 'comic', path: resolved } : { kind: 'folder', path: resolved };
}

/**
 * The request in a command line: the first positional argument, resolved against `cwd` (a second
 * instance's working directory, which is not ours). Switches (`--inspect=0`, Chromium's own, macOS's
 * `-psn_…`) are skipped; in development the first positional is the app folder itself.
 */
export function launchRequestFromArgv(argv: readonly string[], options: { isPackaged: boolean; cwd: string }): LaunchRequest | null {
  const positionals = argv.slice(1).filter((arg) => arg.length > 0 && !arg.startsWith('-'));
  const arg = (options.isPackaged ? positionals : positionals.slice(1))[0];
  return arg === undefined ? null : launchRequestForPath(arg, options.cwd);
}

/**
 * The library to open for a request. A comic file opened from the file manager opens in the library
 * that holds it when that is the open (or last) library — the library is not replaced by one of its
 * sub-folders; any other file opens its own folder as the library.
 */
export function libraryRootFor(request: LaunchRequest, currentRoot: string | null): string {
  if (request.kind === 'folder') return request.path;
  if (currentRoot && isInside(request.path, currentRoot)) return path.resolve(currentRoot);
  return path.dirname(request.path);
}

function isInside(file: string, root: string): boolean {
  const relative = path.relative(path.resolve(root), file);
  return relative.length > 0 && !relative.startsWith('..') && !path.isAbsolute(relative);
}

// ---- the window ----------------------------------------------------------------------------------

export interface ShowableWindow {
  once(event: 'ready-to-show', listener: () => void): unknown;
  maximize(): void;
  show(): void;
}

/**
 * Shows the window at its first paint (no white flash), maximised if it was. maximize() on a hidden
 * window shows it at once on Windows and Linux, so it waits for ready-to-show too.
 */
export function showWhenReady(win: ShowableWindow, maximized: boolean): void {
  win.once('ready-to-show', () => {
    if (maximized) win.maximize();
    win.show();
  });
}

// ---- startup ordering, second instances, quitting ------------------------------------------------

export interface FocusableWindow {
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
}

export interface LifecycleDeps {
  /** The one window, if it exists and is not destroyed. */
  currentWindow(): FocusableWindow | null;
  /** Creates the window; only ever called after ready(). */
  createWindow(): FocusableWindow;
  /** Opens what a later launch asked for (after startup). */
  open(request: LaunchRequest): Promise<unknown>;
  /** The clean shutdown: close the library (stops a rebuild, releases the lock), flush settings. */
  shutdown(): Promise<void>;
  /** What can be done synchronously while the OS ends the session (save the window state). */
  shutdownNow(): void;
  /** app.quit(). */
  quit(): void;
  logger?: Logger;
}

export interface PreventableEvent {
  preventDefault(): void;
}

type QuitState = 'running' | 'closing' | 'done';

export class ShellLifecycle {
  #ready = false;
  #pending: LaunchRequest | null = null;
  #quit: QuitState = 'running';
  #sessionEnding = false;
  #secondInstances = 0;
  readonly #deps: LifecycleDeps;
  readonly #log: Logger;

  constructor(deps: LifecycleDeps) {
    this.#deps = deps;
    this.#log = deps.logger ?? silentLogger;
  }

  get isReady(): boolean {
    return this.#ready;
  }

  get secondInstanceCount(): number {
    return this.#secondInstances;
  }

  /**
   * The protocol, the IPC router and the controller exist: creates the window and returns what to open
   * first — a file or folder that arrived before (macOS open-file at launch, an early second instance)
   * wins over the command line.
   */
  ready(fromArgv: LaunchRequest | null): LaunchRequest | null {
    if (this.#ready) throw new Error('ShellLifecycle.ready() called twice');
    this.#ready = true;
    this.#deps.createWindow();
    const first = this.#pending ?? fromArgv;
    this.#pending = null;
    return first;
  }

  /** app 'second-instance': the other launch's command line and working directory. */
  onSecondInstance(argv: readonly string[], workingDirectory: string, isPackaged: boolean): void {
    this.#secondInstances += 1;
    this.#request(launchRequestFromArgv(argv, { isPackaged, cwd: workingDirectory }));
  }

  /** app 'open-file' (macOS: a file dropped on the dock icon or opened from Finder, also at launch). */
  onOpenFile(event: PreventableEvent, file: string): void {
    event.preventDefault(); // "we handle it"
    this.#request(launchRequestForPath(file, '/'));
  }

  /** app 'activate' (macOS dock click): a window if there is none — only once startup is done. */
  onActivate(): void {
    if (this.#ready && this.#quit === 'running' && !this.#deps.currentWindow()) this.#deps.createWindow();
  }

  #request(request: LaunchRequest | null): void {
    if (this.#quit !== 'running') return;
    if (!this.#ready) {
      if (request) this.#pending = request;
      return;
    }
    const win = this.#deps.currentWindow() ?? this.#deps.createWindow();
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    if (request) {
      this.#deps.open(request).catch((error: unknown) => this.#log.warn(`opening ${request.path} failed: ${toLogFormat(error)}`));
    }
  }

  /**
   * The OS is ending the session (logout, restart, shutdown: powerMonitor 'shutdown' on Linux and
   * macOS, the window's 'query-session-end' / 'session-end' on Windows). The next quit must not wait.
   */
  onSessionEnding(): void {
    this.#sessionEnding = true;
  }

  /**
   * app 'before-quit'. A normal quit waits (preventDefault) for the clean shutdown, then quits again.
   * During a logout or system shutdown preventDefault would cancel the logout (macOS shows "Longbox
   * interrupted log out"): then only the synchronous part runs and the quit goes on. The library's
   * data is safe either way (WAL; a dead owner's rebuild.lock is taken over at the next start).
   */
  onBeforeQuit(event: PreventableEvent): void {
    if (this.#quit === 'done') return;
    if (this.#sessionEnding) {
      this.#quit = 'done';
      try {
        this.#deps.shutdownNow();
      } catch (error) {
        this.#log.warn(`quick shutdown failed: ${toLogFormat(error)}`);
      }
      return;
    }
    event.preventDefault();
    if (this.#quit === 'closing') return;
    this.#quit = 'closing';
    void this.#deps
      .shutdown()
      .catch((error: unknown) => this.#log.error(`shutdown failed: ${toLogFormat(error)}`))
      .finally(() => {
        this.#quit = 'done';
        this.#deps.quit();
      });
  }
}
