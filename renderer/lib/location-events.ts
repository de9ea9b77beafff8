// The one way the renderer follows the URL: the library's routes and the reader's both live in the
// hash, and both must hear Back/Forward (popstate) as well as a typed or linked hash (hashchange).

/** Calls `listener` whenever the location may have changed; returns the function that stops it. */
export function onLocationChange(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener('hashchange', listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener('hashchange', listener);
  };
}
