// A context menu at a point: a list of commands (role="menu"), opened by right-click, Shift+F10 or the
// Menu key. Arrow keys move, Enter/Space run, Escape or a click elsewhere closes, focus comes back to
// where it was. Generic: the comic menu (one comic) and selection menus use it alike.
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import '../styles/context-menu.css';

export interface MenuItem {
  id: string;
  label: string;
  shortcut?: string;
  disabled?: boolean;
  /** Draws a separator above this item. */
  separated?: boolean;
  run(): void;
}

export interface ContextMenuProps {
  x: number;
  y: number;
  label: string;
  items: readonly MenuItem[];
  onClose(): void;
}

export function ContextMenu({ x, y, label, items, onClose }: ContextMenuProps) {
  const ref = useRef<HTMLDivElement | null>(null);
  const [position, setPosition] = useState({ left: x, top: y });
  const [active, setActive] = useState(() => items.findIndex((item) => !item.disabled));
  const returnFocus = useRef<Element | null>(typeof document === 'undefined' ? null : document.activeElement);

  // Keep the whole menu inside the window (a click near the right or bottom edge opens it leftwards/up).
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const { width, height } = el.getBoundingClientRect();
    const left = Math.max(4, Math.min(x, window.innerWidth - width - 4));
    const top = Math.max(4, Math.min(y, window.innerHeight - height - 4));
    setPosition({ left, top });
  }, [x, y]);

  useEffect(() => {
    ref.current?.focus();
    const previous = returnFocus.current;
    const onPointer = (e: MouseEvent) => {
      if (ref.current && e.target instanceof Node && ref.current.contains(e.target)) return;
      onClose();
    };
    const onBlur = () => onClose();
    window.addEventListener('mousedown', onPointer, true);
    window.addEventListener('blur', onBlur);
    window.addEventListener('resize', onBlur);
    return () => {
      window.removeEventListener('mousedown', onPointer, true);
      window.removeEventListener('blur', onBlur);
      window.removeEventListener('resize', onBlur);
      if (previous instanceof HTMLElement) previous.focus({ preventScroll: true });
    };
  }, [onClose]);

  const move = (step: number) => {
    if (items.length === 0) return;
    let next = active;
    for (let i = 0; i < items.length; i++) {
      next = (next + step + items.length) % items.length;
      if (!items[next]?.disabled) break;
    }
    setActive(next);
  };
  const runAt = (index: number) => {
    const item = items[index];
    if (!item || item.disabled) return;
    onClose();
    item.run();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    e.stopPropagation();
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        move(1);
        return;
      case 'ArrowUp':
        e.preventDefault();
        move(-1);
        return;
      case 'Home':
        e.preventDefault();
        setActive(items.findIndex((item) => !item.disabled));
        return;
      case 'End':
        e.preventDefault();
        setActive(items.length - 1 - [...items].reverse().findIndex((item) => !item.disabled));
        return;
      case 'Enter':
      case ' ':
        e.preventDefault();
        runAt(active);
        return;
      case 'Escape':
      case 'Tab':
        e.preventDefault();
        onClose();
        return;
    }
  };

  return (
    <div
      ref={ref}
      className="context-menu"
      role="menu"
      aria-label={label}
      tabIndex={-1}
      style={{ left: position.left, top: position.top }}
      aria-activedescendant={active >= 0 ? `menu-item-${items[active]?.id}` : undefined}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
      data-testid="context-menu"
    >
      {items.map((item, index) => (
        <div
          key={item.id}
          id={`menu-item-${item.id}`}
          role="menuitem"
          aria-disabled={item.disabled || undefined}
          className={`context-menu-item${index === active ? ' is-active' : ''}${item.separated ? ' is-separated' : ''}`}
          onMouseEnter={() => !item.disabled && setActive(index)}
          onClick={() => runAt(index)}
        >
          <span>{item.label}</span>
          {item.shortcut && <kbd className="context-menu-shortcut">{item.shortcut}</kbd>}
        </div>
      ))}
    </div>
  );
}
