import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { MENU_IDS, buildMenuTemplate, flattenMenu, type MenuDeps } from './menu.js';

function deps(overrides: Partial<MenuDeps> = {}): MenuDeps {
  return {
    platform: 'linux',
    isDev: false,
    appName: 'Longbox',
    hasSelection: false,
    actions: {
      chooseLibrary: vi.fn(),
      openSampleLibrary: vi.fn(),
      refresh: vi.fn(),
      revealSelected: vi.fn(),
      openSelected: vi.fn(),
      openLogsFolder: vi.fn(),
      exportState: vi.fn(),
      importState: vi.fn(),
    },
    ...overrides,
  };
}

const RELOAD_ROLES = new Set(['reload', 'forcereload']);
const normalise = (accelerator: unknown) => String(accelerator).replace(/\s+/g, '').toLowerCase();
const click = (item: MenuItemConstructorOptions | undefined) =>
  (item?.click as unknown as (() => void) | undefined)?.();

describe('buildMenuTemplate', () => {
  const platforms: NodeJS.Platform[] = ['linux', 'win32', 'darwin'];
  const modes = [false, true];

  for (const platform of platforms) {
    for (const isDev of modes) {
      it(`${platform}${isDev ? ' (development)' : ''}: Refresh is CmdOrCtrl+R and F5 and calls refresh, never a reload`, () => {
        const d = deps({ platform, isDev });
        const items = flattenMenu(buildMenuTemplate(d));
        const refresh = items.filter((item) => item.id === MENU_IDS.refresh || item.id === MENU_IDS.refreshF5);
        expect(refresh.map((item) => normalise(item.accelerator)).sort()).toEqual(['cmdorctrl+r', 'f5']);
        for (const item of refresh) {
          expect(item.role).toBeUndefined();
          click(item);
        }
        expect(d.actions.refresh).toHaveBeenCalledTimes(2);

        // No item other than Refresh owns those keys, and no reload role does at all.
        const owners = items.filter((item) => ['cmdorctrl+r', 'f5', 'ctrl+r', 'cmd+r', 'command+r'].includes(normalise(item.accelerator)));
        expect(owners.every((item) => item.id === MENU_IDS.refresh || item.id === MENU_IDS.refreshF5)).toBe(true);
        const reloads = items.filter((item) => item.role !== undefined && RELOAD_ROLES.has(item.role.toLowerCase()));
        if (!isDev) expect(reloads).toEqual([]);
        for (const item of reloads) {
          // A reload role without an explicit accelerator would take CmdOrCtrl+R: never allowed.
          expect(item.accelerator).toBeDefined();
          expect(['cmdorctrl+r', 'f5']).not.toContain(normalise(item.accelerator));
        }
      });
    }
  }

  it('File menu: Choose Library on CmdOrCtrl+O, sample library, reveal/open follow the selection', () => {
    const d = deps({ hasSelection: false });
    const items = flattenMenu(buildMenuTemplate(d));
    const choose = items.find((item) => item.label === 'Choose Library…');
    expect(normalise(choose?.accelerator)).toBe('cmdorctrl+o');
    click(choose);
    expect(d.actions.chooseLibrary).toHaveBeenCalled();
    click(items.find((item) => item.label === 'Open Sample Library'));
    expect(d.actions.openSampleLibrary).toHaveBeenCalled();
    expect(items.find((item) => item.id === MENU_IDS.reveal)?.enabled).toBe(false);
    expect(items.find((item) => item.id === MENU_IDS.open)?.enabled).toBe(false);
    const selected = flattenMenu(buildMenuTemplate(deps({ hasSelection: true })));
    expect(selected.find((item) => item.id === MENU_IDS.reveal)?.enabled).toBe(true);
    click(items.find((item) => item.id === MENU_IDS.reveal));
    click(items.find((item) => item.id === MENU_IDS.open));
    expect(d.actions.revealSelected).toHaveBeenCalled();
    expect(d.actions.openSelected).toHaveBeenCalled();
  });

  it('devtools only in development; zoom always; Help opens the logs folder', () => {
    const prod = flattenMenu(buildMenuTemplate(deps()));
    const dev = flattenMenu(buildMenuTemplate(deps({ isDev: true })));
    expect(prod.some((item) => item.role === 'toggleDevTools')).toBe(false);
    expect(dev.some((item) => item.role === 'toggleDevTools')).toBe(true);
    for (const role of ['zoomIn', 'zoomOut', 'resetZoom']) expect(prod.some((item) => item.role === role)).toBe(true);
    const d = deps();
    click(flattenMenu(buildMenuTemplate(d)).find((item) => item.label === 'Open Logs Folder'));
    expect(d.actions.openLogsFolder).toHaveBeenCalled();
  });

  it('File has Export and Import Reading State, which call their actions', () => {
    const d = deps();
    const items = flattenMenu(buildMenuTemplate(d));
    click(items.find((item) => item.id === MENU_IDS.exportState));
    click(items.find((item) => item.id === MENU_IDS.importState));
    expect(d.actions.exportState).toHaveBeenCalledTimes(1);
    expect(d.actions.importState).toHaveBeenCalledTimes(1);
    expect(items.find((item) => item.id === MENU_IDS.exportState)?.label).toBe('Export Reading State…');
  });

  it('macOS gets the app menu first; other platforms start with File and quit from it', () => {
    const mac = buildMenuTemplate(deps({ platform: 'darwin' }));
    expect(mac[0].label).toBe('Longbox');
    expect(flattenMenu(mac[0].submenu as MenuItemConstructorOptions[]).some((item) => item.role === 'quit')).toBe(true);
    const linux = buildMenuTemplate(deps({ platform: 'linux' }));
    expect(linux[0].label).toBe('File');
    expect(flattenMenu(linux[0].submenu as MenuItemConstructorOptions[]).some((item) => item.role === 'quit')).toBe(true);
    expect(linux.map((item) => item.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
  });
});
