import { lazy, type ComponentType } from 'react';
import type { Client } from '../api/client';
import type { MessageKey } from '../i18n';
import { TodayScreen } from './TodayScreen';

type Screen = ComponentType<{ client: Client }>;

/**
 * A screen other than the first is loaded when it is first shown: the first screen then waits only for
 * its own code, not for every screen's (pdf.js, the signing and scanning screens), which halved the
 * script the browser compiles before "Hôm nay" is usable.
 */
function later<K extends string>(load: () => Promise<Record<K, Screen>>, name: K): Screen {
  return lazy<Screen>(() => load().then((m) => ({ default: m[name] })));
}

const TokenScreen = later(() => import('./TokenScreen'), 'TokenScreen');
const IncomingScreen = later(() => import('./RegisterScreen'), 'IncomingScreen');
const OutgoingScreen = later(() => import('./RegisterScreen'), 'OutgoingScreen');
const VerifyScreen = later(() => import('./VerifyScreen'), 'VerifyScreen');
const SignScreen = later(() => import('./SignScreen'), 'SignScreen');
const ScanScreen = later(() => import('./scan/ScanScreen'), 'ScanScreen');
const SettingsScreen = later(() => import('./SettingsScreen'), 'SettingsScreen');
const DocumentScreen = later(() => import('./DocumentScreen'), 'DocumentScreen');
const ExchangeScreen = later(() => import('./exchange/ExchangeScreen'), 'ExchangeScreen');

/** Which alerts a screen counts on the navigation. */
export type CountOf = 'all' | 'den' | 'di';

/** The navigation: one line per screen; the first is the clerk's home. */
export interface ScreenDef {
  id: string;
  title: MessageKey;
  component: ComponentType<{ client: Client }>;
  /** Alt+key opens it (the shortcut list names the same letter). */
  key: string;
  count?: CountOf;
  /** Reached from a document link, not from the menu. */
  hidden?: boolean;
}

export const screens: ScreenDef[] = [
  { id: 'today', title: 'nav.today', component: TodayScreen, key: 'h', count: 'all' },
  { id: 'incoming', title: 'nav.incoming', component: IncomingScreen, key: 'd', count: 'den' },
  { id: 'outgoing', title: 'nav.outgoing', component: OutgoingScreen, key: 'i', count: 'di' },
  { id: 'verify', title: 'nav.verify', component: VerifyScreen, key: 'k' },
  { id: 'sign', title: 'nav.sign', component: SignScreen, key: 's' },
  { id: 'scan', title: 'nav.scan', component: ScanScreen, key: 'q' },
  { id: 'exchange', title: 'nav.exchange', component: ExchangeScreen, key: 'l' },
  { id: 'token', title: 'nav.token', component: TokenScreen, key: 't' },
  { id: 'settings', title: 'nav.settings', component: SettingsScreen, key: 'c' },
  { id: 'document', title: 'nav.document', component: DocumentScreen, key: 'v', hidden: true },
];
