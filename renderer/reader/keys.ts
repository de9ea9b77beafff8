// The reader's key map: a key press (and the reading direction) → one reader action, or null.
import { sideToStep, type Direction } from './layout.js';

export type ReaderAction =
  | 'next'
  | 'prev'
  | 'first'
  | 'last'
  | 'exit'
  | 'fullscreen'
  | 'toggle-double'
  | 'toggle-webtoon'
  | 'shift'
  | 'toggle-direction'
  | 'cycle-fit'
  | 'zoom-in'
  | 'zoom-out'
  | 'zoom-reset'
  | 'next-issue';

export interface KeyInput {
  key: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

/** The keys, for the help line and the docs (one place, so they cannot drift apart). */
export const KEY_HELP: ReadonlyArray<[string, string]> = [
  ['← →', 'previous / next (mirrored right to left)'],
  ['Space, Shift+Space', 'next / previous'],
  ['PageDown, PageUp', 'next / previous'],
  ['Home, End', 'first / last page'],
  ['D', 'double page'],
  ['W', 'webtoon (continuous vertical)'],
  ['S', 'shift pairs by one page'],
  ['R', 'right to left / left to right'],
  ['Z', 'fit: width, height, screen, original'],
  ['+ − 0', 'zoom in, out, reset'],
  ['F', 'full screen'],
  ['N', 'next issue (at the last page)'],
  ['Esc', 'back to the library'],
];

export function readerActionFor(input: KeyInput, direction: Direction): ReaderAction | null {
  // Browser and OS shortcuts (Ctrl+F, Cmd+W, Alt+←) are not ours.
  if (input.ctrlKey || input.metaKey || input.altKey) return null;
  const step = (side: 'left' | 'right'): ReaderAction => (sideToStep(side, direction) === 1 ? 'next' : 'prev');
  switch (input.key) {
    case 'ArrowRight':
      return step('right');
    case 'ArrowLeft':
      return step('left');
    case ' ':
    case 'Spacebar':
      return input.shiftKey ? 'prev' : 'next';
    case 'PageDown':
      return 'next';
    case 'PageUp':
      return 'prev';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    case 'Escape':
      return 'exit';
    case '+':
    case '=':
      return 'zoom-in';
    case '-':
    case '_':
      return 'zoom-out';
    case '0':
      return 'zoom-reset';
  }
  switch (input.key.toLowerCase()) {
    case 'f':
      return 'fullscreen';
    case 'd':
      return 'toggle-double';
    case 'w':
      return 'toggle-webtoon';
    case 's':
      return 'shift';
    case 'r':
      return 'toggle-direction';
    case 'z':
      return 'cycle-fit';
    case 'n':
      return 'next-issue';
  }
  return null;
}
