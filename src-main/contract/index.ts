import { appMethods } from './app';
import { tokenEvents, tokenMethods } from './token';
import { registerMethods } from './register';

/** Every method of the API, by name. Domains add their maps here. */
export const api = {
  ...appMethods,
  ...tokenMethods,
  ...registerMethods,
};

export const events = {
  ...tokenEvents,
};

export type Api = typeof api;
export type Events = typeof events;
export type MethodName = keyof Api;
export type EventName = keyof Events;
