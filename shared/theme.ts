// Theme values the main process needs before the page has painted: the window's background is the
// page's --bg (renderer/styles/theme.css), so a new window never flashes another colour.
// electron/window-theme.test.ts reads theme.css and fails when these drift from its --bg.
export const WINDOW_BACKGROUND = { light: '#f5f5f3', dark: '#141416' } as const;
