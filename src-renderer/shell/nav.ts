import { createContext, useContext } from 'react';

/** Where the clerk is: a screen, and on the document screen the document's register id. */
export interface NavState {
  screen: string;
  docId?: number;
}

export interface Nav {
  state: NavState;
  go(screen: string): void;
  openDocument(id: number): void;
  /** Alerts and counts changed (a registration, a transition): the shell reloads its counts. */
  changed(): void;
}

export const NavContext = createContext<Nav>({ state: { screen: 'today' }, go: () => {}, openDocument: () => {}, changed: () => {} });

export function useNav(): Nav {
  return useContext(NavContext);
}

/**
 * How many times the enclosing screen has been shown. Screens stay mounted across tab switches (the
 * open document survives); data they load is fetched again each time they come back into view.
 */
export const ScreenShown = createContext(0);
