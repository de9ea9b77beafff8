// The application menu as data: buildMenuTemplate is pure (only electron *types*) and unit-tested;
// main.ts turns it into a Menu. Refresh (CmdOrCtrl+R and F5) rebuilds the library: those keys never
// reload the page. In production there is no reload role at all; in development "Reload Window" sits
// on Shift+CmdOrCtrl+R, next to the devtools toggle.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  chooseLibrary(): void;
  openSampleLibrary(): void;
  refresh(): void;
  revealSelected(): void;
  openSelected(): void;
  openLogsFolder(): void;
  /** Save the library's read state as a JSON file (a save dialog). */
  exportState(): void;
  /** Merge a JSON file written by Export (an open dialog). */
  importState(): void;
}

export interface MenuDeps {
  platform: NodeJS.Platform;
  isDev: boolean;
  appName: string;
  /** A comic is selected (Reveal / Open are enabled). */
  hasSelection: boolean;
  actions: MenuActions;
}

export const MENU_IDS = {
  refresh: 'refresh',
  refreshF5: 'refresh-f5',
  reveal: 'reveal-comic',
  open: 'open-comic',
  exportState: 'export-state',
  importState: 'import-state',
} as const;

export const REFRESH_ACCELERATORS = ['CmdOrCtrl+R', 'F5'] as const;

export function buildMenuTemplate(deps: MenuDeps): MenuItemConstructorOptions[] {
  const { actions, isDev } = deps;
  const isMac = deps.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];

  if (isMac) {
    template.push({
      label: deps.appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }

  template.push({
    label: 'File',
    submenu: [
      { label: 'Choose Library…', accelerator: 'CmdOrCtrl+O', click: () => actions.chooseLibrary() },
      { label: 'Open Sample Library', click: () => actions.openSampleLibrary() },
      { type: 'separator' },
      { id: MENU_IDS.refresh, label: 'Refresh', accelerator: REFRESH_ACCELERATORS[0], click: () => actions.refresh() },
      // A menu item has one accelerator; F5 gets a hidden twin (hidden items' accelerators still fire,
      // on macOS too: acceleratorWorksWhenHidden defaults to true).
      {
        id: MENU_IDS.refreshF5,
        label: 'Refresh',
        accelerator: REFRESH_ACCELERATORS[1],
        visible: false,
        acceleratorWorksWhenHidden: true,
        click: () => actions.refresh(),
      },
      { type: 'separator' },
      {
        id: MENU_IDS.reveal,
        label: isMac ? 'Reveal in Finder' : 'Show in Folder',
        enabled: deps.hasSelection,
        click: () => actions.revealSelected(),
      },
      { id: MENU_IDS.open, label: 'Open with Default App', enabled: deps.hasSelection, click: () => actions.openSelected() },
      { type: 'separator' },
      { id: MENU_IDS.exportState, label: 'Export Reading State…', click: () => actions.exportState() },
      { id: MENU_IDS.importState, label: 'Import Reading State…', click: () => actions.importState() },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  });

  template.push({
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  });

  const view: MenuItemConstructorOptions[] = [];
  if (isDev) {
    view.push(
      { label: 'Reload Window', role: 'forceReload', accelerator: 'Shift+CmdOrCtrl+R' },
      { role: 'toggleDevTools' },
      { type: 'separator' },
    );
  }
  view.push({ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' });
  template.push({ label: 'View', submenu: view });

  template.push({
    label: 'Window',
    submenu: isMac
      ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  });

  template.push({
    role: 'help',
    label: 'Help',
    submenu: [{ label: 'Open Logs Folder', click: () => actions.openLogsFolder() }],
  });

  return template;
}

/** Every item of a template, depth first (tests, enablement updates). */
export function flattenMenu(items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  const all: MenuItemConstructorOptions[] = [];
  for (const item of items) {
    all.push(item);
    if (Array.isArray(item.submenu)) all.push(...flattenMenu(item.submenu));
  }
  return all;
}
