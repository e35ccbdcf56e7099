import * as z from 'zod';
import { defineMethod, lazyMethods } from './api';

export const appInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** How the renderer is hosted; for the About box only: the UI never branches on it. */
  host: z.enum(['electron', 'browser', 'cli']),
  agency: z.object({ name: z.string(), code: z.string() }),
  demo: z.boolean(),
});
export type AppInfo = z.infer<typeof appInfo>;

export const appMethods = lazyMethods({
  'app.info': () => defineMethod(z.strictObject({}), appInfo),
});
