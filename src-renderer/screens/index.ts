import type { ComponentType } from 'react';
import type { Client } from '../api/client';
import type { MessageKey } from '../i18n';
import { TodayScreen } from './TodayScreen';
import { TokenScreen } from './TokenScreen';
import { IncomingScreen, OutgoingScreen } from './RegisterScreen';
import { VerifyScreen } from './VerifyScreen';
import { SignScreen } from './SignScreen';
import { ScanScreen } from './scan/ScanScreen';
import { SettingsScreen } from './SettingsScreen';
import { DocumentScreen } from './DocumentScreen';
import { ExchangeScreen } from './exchange/ExchangeScreen';

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
