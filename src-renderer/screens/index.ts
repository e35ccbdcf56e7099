import type { ComponentType } from 'react';
import type { Client } from '../api/client';
import type { MessageKey } from '../i18n';
import { TokenScreen } from './TokenScreen';
import { IncomingScreen, OutgoingScreen } from './RegisterScreen';
import { VerifyScreen } from './VerifyScreen';
import { SignScreen } from './SignScreen';
import { ScanScreen } from './scan/ScanScreen';

/** The navigation: one line per screen. */
export interface ScreenDef {
  id: string;
  title: MessageKey;
  component: ComponentType<{ client: Client }>;
}

export const screens: ScreenDef[] = [
  { id: 'token', title: 'nav.token', component: TokenScreen },
  { id: 'incoming', title: 'nav.incoming', component: IncomingScreen },
  { id: 'outgoing', title: 'nav.outgoing', component: OutgoingScreen },
  { id: 'verify', title: 'nav.verify', component: VerifyScreen },
  { id: 'sign', title: 'nav.sign', component: SignScreen },
  { id: 'scan', title: 'nav.scan', component: ScanScreen },
];
