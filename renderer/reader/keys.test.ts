import { describe, expect, it } from 'vitest';
import { readerActionFor } from './keys.js';

describe('reader keys', () => {
  it('arrows follow the reading direction', () => {
    expect(readerActionFor({ key: 'ArrowRight' }, 'ltr')).toBe('next');
    expect(readerActionFor({ key: 'ArrowLeft' }, 'ltr')).toBe('prev');
    expect(readerActionFor({ key: 'ArrowRight' }, 'rtl')).toBe('prev');
    expect(readerActionFor({ key: 'ArrowLeft' }, 'rtl')).toBe('next');
  });

  it('space, page keys, home and end do not depend on the direction', () => {
    for (const direction of ['ltr', 'rtl'] as const) {
      expect(readerActionFor({ key: ' ' }, direction)).toBe('next');
      expect(readerActionFor({ key: ' ', shiftKey: true }, direction)).toBe('prev');
      expect(readerActionFor({ key: 'PageDown' }, direction)).toBe('next');
      expect(readerActionFor({ key: 'PageUp' }, direction)).toBe('prev');
      expect(readerActionFor({ key: 'Home' }, direction)).toBe('first');
      expect(readerActionFor({ key: 'End' }, direction)).toBe('last');
    }
  });

  it('letters, either case', () => {
    expect(readerActionFor({ key: 'f' }, 'ltr')).toBe('fullscreen');
    expect(readerActionFor({ key: 'D', shiftKey: true }, 'ltr')).toBe('toggle-double');
    expect(readerActionFor({ key: 'w' }, 'ltr')).toBe('toggle-webtoon');
    expect(readerActionFor({ key: 's' }, 'ltr')).toBe('shift');
    expect(readerActionFor({ key: 'n' }, 'ltr')).toBe('next-issue');
    expect(readerActionFor({ key: 'Escape' }, 'ltr')).toBe('exit');
    expect(readerActionFor({ key: '+' }, 'ltr')).toBe('zoom-in');
    expect(readerActionFor({ key: '-' }, 'ltr')).toBe('zoom-out');
  });

  it('leaves modified keys and unknown keys alone', () => {
    expect(readerActionFor({ key: 'f', ctrlKey: true }, 'ltr')).toBeNull();
    expect(readerActionFor({ key: 'w', metaKey: true }, 'ltr')).toBeNull();
    expect(readerActionFor({ key: 'ArrowLeft', altKey: true }, 'ltr')).toBeNull();
    expect(readerActionFor({ key: 'q' }, 'ltr')).toBeNull();
    expect(readerActionFor({ key: 'ArrowDown' }, 'ltr')).toBeNull();
  });
});
