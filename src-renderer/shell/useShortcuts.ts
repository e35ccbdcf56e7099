import { useEffect } from 'react';
import { screens } from '../screens';
import type { Nav } from './nav';

/**
 * The daily actions from the keyboard. Alt+letter opens a screen; the others act on the visible
 * screen through a `data-shortcut` mark on its control, so each screen decides what "open", "submit",
 * "search" and "print" mean and the shell never reaches into a screen's state.
 */
export const ACTION_KEYS: Record<string, 'open' | 'submit' | 'search' | 'print'> = { o: 'open', enter: 'submit', f: 'search', p: 'print' };

function visibleControl(action: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-screen-panel]:not([hidden]) [data-shortcut="${action}"]`);
}

export function useShortcuts(nav: Nav): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const key = e.key.toLowerCase();
      if (e.altKey && !e.ctrlKey && !e.metaKey) {
        const screen = screens.find((s) => !s.hidden && s.key === key);
        if (screen) {
          e.preventDefault();
          nav.go(screen.id);
          document.getElementById('main')?.focus();
        }
        return;
      }
      if ((e.ctrlKey || e.metaKey) && !e.altKey) {
        const action = ACTION_KEYS[key];
        const el = action ? visibleControl(action) : null;
        if (!el) return;
        e.preventDefault();
        if (action === 'search') el.focus();
        else el.click();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [nav]);
}
