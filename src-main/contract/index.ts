import { appMethods } from './app';
import { tokenEvents, tokenMethods } from './token';
import { registerMethods } from './register';
import { fileMethods } from './files';
import { verifyMethods } from './verify';
import { signEvents, signMethods } from './sign';
import { scanEvents, scanMethods } from './scan';
import { settingsMethods } from './settings';
import { exchangeEvents, exchangeMethods } from './exchange';
import { trustMethods } from './trust';

/** Every method of the API, by name. Domains add their maps here. */
export const api = {
  ...appMethods,
  ...tokenMethods,
  ...registerMethods,
  ...fileMethods,
  ...verifyMethods,
  ...signMethods,
  ...scanMethods,
  ...settingsMethods,
  ...exchangeMethods,
  ...trustMethods,
};

export const events = {
  ...tokenEvents,
  ...signEvents,
  ...scanEvents,
  ...exchangeEvents,
};

export type Api = typeof api;
export type Events = typeof events;
export type MethodName = keyof Api;
export type EventName = keyof Events;
