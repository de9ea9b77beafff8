// Keyboard-shortcut help, opened with `?` (or the header's keyboard button): a modal dialog that
// Escape, the close button or a click outside closes; focus returns where it was.
import { useEffect, useRef } from 'react';
import { useStores, useView } from '../store/context.js';
import { CloseIcon } from './icons.js';
import '../styles/shortcut-help.css';

export const SHORTCUTS: ReadonlyArray<{ keys: string[]; action: string }> = [
  { keys: ['/'], action: 'Search' },
  { keys: ['F5', 'Ctrl R'], action: 'Refresh the library' },
  { keys: ['↑', '↓', '←', '→'], action: 'Move between comics' },
  { keys: ['Page Up', 'Page Down'], action: 'Move a screen at a time' },
  { keys: ['Home', 'End'], action: 'First or last comic' },
  { keys: ['Enter'], action: 'Show details' },
  { keys: ['Esc'], action: 'Close details, clear the selection or the search' },
  { keys: ['Ctrl click', 'Shift click'], action: 'Select several comics, or a range' },
  { keys: ['Shift ↑', 'Shift ↓'], action: 'Extend the selection' },
  { keys: ['Ctrl A'], action: 'Select every comic in the view' },
  { keys: ['Shift F10', 'Menu'], action: 'Actions for the comic or the selection (as right-click)' },
  { keys: ['?'], action: 'This help' },
];

export function ShortcutHelp() {
  const { view } = useStores();
  const isOpen = useView((s) => s.isShortcutHelpOpen);
  if (!isOpen) return null;
  return <HelpDialog onClose={() => view.getState().setShortcutHelpOpen(false)} />;
}

function HelpDialog({ onClose }: { onClose(): void }) {
  const closeRef = useRef<HTMLButtonElement | null>(null);
  useEffect(() => {
    const previous = document.activeElement;
    closeRef.current?.focus();
    return () => {
      if (previous instanceof HTMLElement) previous.focus({ preventScroll: true });
    };
  }, []);
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="dialog shortcut-help"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcut-help-title"
        onKeyDown={(e) => {
          if (e.key === 'Escape' || e.key === '?') {
            e.preventDefault();
            e.stopPropagation();
            onClose();
          }
          // One focusable control: Tab stays on it.
          if (e.key === 'Tab') e.preventDefault();
        }}
      >
        <div className="dialog-head">
          <h2 id="shortcut-help-title">Keyboard shortcuts</h2>
          <button ref={closeRef} type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            <CloseIcon />
          </button>
        </div>
        <dl className="shortcut-list">
          {SHORTCUTS.map(({ keys, action }) => (
            <div key={action} className="shortcut-row">
              <dt>
                {keys.map((key, i) => (
                  <span key={key}>
                    {i > 0 && <span className="shortcut-or"> or </span>}
                    <kbd>{key}</kbd>
                  </span>
                ))}
              </dt>
              <dd>{action}</dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}
