// The shell's lifecycle with fake Electron slices: userData per mode, launch requests (folders, comic
// files, second-instance argv, macOS open-file), startup ordering, window showing, quitting.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ShellLifecycle,
  launchRequestFromArgv,
  launchRequestForPath,
  libraryRootFor,
  showWhenReady,
  userDataPath,
  type LaunchRequest,
  type LifecycleDeps,
} from './app-lifecycle.js';

const root = path.resolve('/comics');

describe('userDataPath', () => {
  it('keeps development and the installed app apart (separate data, separate single-instance lock)', () => {
    const appData = path.resolve('/home/u/.config');
    expect(userDataPath({ appData, isPackaged: true })).toBe(path.join(appData, 'Longbox'));
    expect(userDataPath({ appData, isPackaged: false })).toBe(path.join(appData, 'Longbox Dev'));
    expect(userDataPath({ appData, isPackaged: true, override: 'rel/data' })).toBe(path.resolve('rel/data'));
    expect(userDataPath({ appData, isPackaged: false, override: '' })).toBe(path.join(appData, 'Longbox Dev'));
  });
});

describe('launch requests', () => {
  const cwd = path.resolve('/home/u');

  it('reads a folder or a comic file from a packaged and a development command line', () => {
    expect(launchRequestFromArgv(['/opt/Longbox/longbox'], { isPackaged: true, cwd })).toBeNull();
    expect(launchRequestFromArgv(['/opt/Longbox/longbox', '--no-zygote', 'Comics'], { isPackaged: true, cwd })).toEqual({ kind: 'folder', path: path.join(cwd, 'Comics') });
    expect(launchRequestFromArgv(['longbox.exe', 'C.cbz'], { isPackaged: true, cwd })).toEqual({ kind: 'comic', path: path.join(cwd, 'C.cbz') });
    // Development: electron <app folder> [args]; the app folder is not a library.
    expect(launchRequestFromArgv(['electron', '/src/longbox'], { isPackaged: false, cwd })).toBeNull();
    expect(launchRequestFromArgv(['electron', '--inspect=0', '/src/longbox', '/x/Saga 001.CBR'], { isPackaged: false, cwd })).toEqual({ kind: 'comic', path: path.resolve('/x/Saga 001.CBR') });
    // Playwright's _electron.launch puts its switches before the app path.
    expect(launchRequestFromArgv(['electron', '--inspect=0', '--remote-debugging-port=0', '/repo/out/electron/main.js', '/media/comics'], { isPackaged: false, cwd })).toEqual({
      kind: 'folder',
      path: path.resolve('/media/comics'),
    });
    expect(launchRequestFromArgv(['electron', '--inspect=0', '/repo/out/electron/main.js'], { isPackaged: false, cwd })).toBeNull();
    expect(launchRequestFromArgv(['electron', '.'], { isPackaged: false, cwd })).toBeNull();
    // macOS Finder launches add -psn_…
    expect(launchRequestFromArgv(['/Applications/Longbox.app/Contents/MacOS/Longbox', '-psn_0_12345'], { isPackaged: true, cwd })).toBeNull();
  });

  it('resolves a second instance relative to ITS working directory', () => {
    const other = path.resolve('/mnt/library');
    expect(launchRequestFromArgv(['longbox', 'Batman'], { isPackaged: true, cwd: other })).toEqual({ kind: 'folder', path: path.join(other, 'Batman') });
  });

  it('opens a comic in the open library that holds it, otherwise its own folder', () => {
    const inside = launchRequestForPath(path.join(root, 'DC', 'Batman', 'Batman 001.cbz'), '/');
    expect(libraryRootFor(inside, root)).toBe(root);
    expect(libraryRootFor(inside, null)).toBe(path.join(root, 'DC', 'Batman'));
    const elsewhere = launchRequestForPath(path.resolve('/downloads/Saga 001.cbr'), '/');
    expect(libraryRootFor(elsewhere, root)).toBe(path.resolve('/downloads'));
    expect(libraryRootFor(launchRequestForPath(path.resolve('/comics-old/x.cbz'), '/'), root)).toBe(path.resolve('/comics-old'));
    expect(libraryRootFor({ kind: 'folder', path: path.resolve('/new') }, root)).toBe(path.resolve('/new'));
    // A folder whose name looks like a comic is still a folder only if it has no comic extension.
    expect(launchRequestForPath('/a/b.cbz', '/').kind).toBe('comic');
    expect(launchRequestForPath('/a/b.txt', '/').kind).toBe('folder');
  });
});

describe('showWhenReady', () => {
  function fakeWindow() {
    const calls: string[] = [];
    let ready: (() => void) | null = null;
    return {
      calls,
      fireReady: () => ready?.(),
      win: {
        once: (_event: 'ready-to-show', listener: () => void) => {
          calls.push('once:ready-to-show');
          ready = listener;
        },
        maximize: () => calls.push('maximize'),
        show: () => calls.push('show'),
      },
    };
  }

  it('neither maximises nor shows before the first paint; then maximises (if it was) and shows', () => {
    const maximised = fakeWindow();
    showWhenReady(maximised.win, true);
    expect(maximised.calls).toEqual(['once:ready-to-show']);
    maximised.fireReady();
    expect(maximised.calls).toEqual(['once:ready-to-show', 'maximize', 'show']);
    const normal = fakeWindow();
    showWhenReady(normal.win, false);
    normal.fireReady();
    expect(normal.calls).toEqual(['once:ready-to-show', 'show']);
  });
});

function harness() {
  const log: string[] = [];
  let window: { minimized: boolean } | null = null;
  let finishShutdown: () => void = () => {};
  const opened: LaunchRequest[] = [];
  const fakeWindow = () => ({
    isMinimized: () => window?.minimized ?? false,
    restore: () => log.push('restore'),
    show: () => log.push('show'),
    focus: () => log.push('focus'),
  });
  const deps: LifecycleDeps = {
    currentWindow: () => (window ? fakeWindow() : null),
    createWindow: () => {
      log.push('createWindow');
      window = { minimized: false };
      return fakeWindow();
    },
    open: async (request) => {
      opened.push(request);
    },
    shutdown: () =>
      new Promise<void>((resolve) => {
        log.push('shutdown');
        finishShutdown = resolve;
      }),
    shutdownNow: () => log.push('shutdownNow'),
    quit: () => log.push('quit'),
  };
  return {
    lifecycle: new ShellLifecycle(deps),
    log,
    opened,
    setWindow: (w: { minimized: boolean } | null) => (window = w),
    finishShutdown: () => finishShutdown(),
  };
}

function preventable() {
  const event = { prevented: 0, preventDefault: () => (event.prevented += 1) };
  return event;
}

describe('ShellLifecycle: startup ordering', () => {
  it('creates no window before ready(): early activate, second-instance and open-file wait', () => {
    const h = harness();
    h.lifecycle.onActivate();
    h.lifecycle.onSecondInstance(['longbox', '/x/A'], '/', true);
    const openFile = preventable();
    h.lifecycle.onOpenFile(openFile, path.resolve('/x/B.cbz'));
    expect(openFile.prevented).toBe(1);
    expect(h.log).toEqual([]);
    expect(h.opened).toEqual([]);
    // ready(): one window, and the latest early request wins over the command line.
    expect(h.lifecycle.ready({ kind: 'folder', path: '/argv' })).toEqual({ kind: 'comic', path: path.resolve('/x/B.cbz') });
    expect(h.log).toEqual(['createWindow']);
    expect(h.lifecycle.secondInstanceCount).toBe(1);
  });

  it('without early requests ready() returns the command line; ready twice is a bug', () => {
    const h = harness();
    expect(h.lifecycle.ready(null)).toBeNull();
    expect(() => h.lifecycle.ready(null)).toThrow(/twice/);
  });

  it('after ready: a second instance focuses (restoring a minimised window) and opens its folder', async () => {
    const h = harness();
    h.lifecycle.ready(null);
    h.log.length = 0;
    h.setWindow({ minimized: true });
    h.lifecycle.onSecondInstance(['electron', '/src/app', 'Comics'], path.resolve('/home/u'), false);
    expect(h.log).toEqual(['restore', 'show', 'focus']);
    await Promise.resolve();
    expect(h.opened).toEqual([{ kind: 'folder', path: path.resolve('/home/u/Comics') }]);
    // No arguments: focus only.
    h.lifecycle.onSecondInstance(['electron', '/src/app'], '/', false);
    expect(h.opened).toHaveLength(1);
  });

  it('after ready: activate makes a window only when there is none; a second instance recreates a closed one', () => {
    const h = harness();
    h.lifecycle.ready(null);
    h.lifecycle.onActivate();
    expect(h.log).toEqual(['createWindow']);
    h.setWindow(null);
    h.lifecycle.onActivate();
    expect(h.log).toEqual(['createWindow', 'createWindow']);
    h.setWindow(null);
    h.lifecycle.onSecondInstance(['longbox'], '/', true);
    expect(h.log).toEqual(['createWindow', 'createWindow', 'createWindow', 'show', 'focus']);
  });
});

describe('ShellLifecycle: quitting', () => {
  it('a normal quit waits for the clean shutdown once, then quits for real', async () => {
    const h = harness();
    h.lifecycle.ready(null);
    const first = preventable();
    h.lifecycle.onBeforeQuit(first);
    expect(first.prevented).toBe(1);
    const again = preventable();
    h.lifecycle.onBeforeQuit(again); // Cmd+Q pressed twice while closing
    expect(again.prevented).toBe(1);
    expect(h.log.filter((e) => e === 'shutdown')).toHaveLength(1);
    h.finishShutdown();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(h.log.at(-1)).toBe('quit');
    const final = preventable();
    h.lifecycle.onBeforeQuit(final); // the quit() we called
    expect(final.prevented).toBe(0);
  });

  it('never blocks a logout or system shutdown: no preventDefault, only the synchronous part', () => {
    const h = harness();
    h.lifecycle.ready(null);
    h.lifecycle.onSessionEnding();
    const event = preventable();
    h.lifecycle.onBeforeQuit(event);
    expect(event.prevented).toBe(0);
    expect(h.log).toContain('shutdownNow');
    expect(h.log).not.toContain('shutdown');
  });

  it('a session ending while a clean shutdown runs lets the OS quit go through', () => {
    const h = harness();
    h.lifecycle.ready(null);
    h.lifecycle.onBeforeQuit(preventable());
    h.lifecycle.onSessionEnding();
    const event = preventable();
    h.lifecycle.onBeforeQuit(event);
    expect(event.prevented).toBe(0);
  });

  it('ignores launches that arrive while quitting', () => {
    const h = harness();
    h.lifecycle.ready(null);
    h.lifecycle.onBeforeQuit(preventable());
    h.log.length = 0;
    h.lifecycle.onSecondInstance(['longbox', '/x'], '/', true);
    h.lifecycle.onActivate();
    expect(h.log).toEqual([]);
    expect(h.opened).toEqual([]);
  });
});
