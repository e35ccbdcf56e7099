import type { ComponentType } from 'react';
import type { Client } from '../api/client';
import type { MessageKey } from '../i18n';
import { TokenScreen } from './TokenScreen';

/** The navigation: one line per screen. */
export interface ScreenDef {
  id: string;
  title: MessageKey;
  component: ComponentType<{ client: Client }>;
}

export const screens: ScreenDef[] = [
  { id: 'token', title: 'nav.token', component: TokenScreen },
];
