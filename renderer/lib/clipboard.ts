// Copies text: the async Clipboard API where the page may use it, else a hidden textarea and
// execCommand (older Electron file pages, browsers that refuse clipboard access).

export async function copyText(text: string): Promise<void> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return;
    }
  } catch {
    // Refused (no permission, not focused): try the fallback.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand?.('copy') ?? false;
  area.remove();
  if (!ok) throw new Error('The path could not be copied to the clipboard.');
}

/** The absolute path of a library file when the root is known ("/comics" + "a/b.cbz"). */
export function absolutePath(root: string | null | undefined, relative: string): string {
  if (!root) return relative;
  const sep = root.includes('\\') && !root.includes('/') ? '\\' : '/';
  const rel = sep === '\\' ? relative.replace(/\//g, '\\') : relative;
  return root.endsWith(sep) ? root + rel : `${root}${sep}${rel}`;
}
