import { useEffect, useState } from 'react';

/** True while the media query matches (false where matchMedia does not exist, e.g. jsdom). */
export function useMediaQuery(query: string): boolean {
  const get = () => (typeof window !== 'undefined' && typeof window.matchMedia === 'function' ? window.matchMedia(query).matches : false);
  const [matches, setMatches] = useState(get);
  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return;
    const list = window.matchMedia(query);
    const onChange = () => setMatches(list.matches);
    onChange();
    list.addEventListener('change', onChange);
    return () => list.removeEventListener('change', onChange);
  }, [query]);
  return matches;
}

/** Below this window width the header moves its secondary controls into the More menu. */
export const COMPACT_HEADER_QUERY = '(max-width: 1099px)';
