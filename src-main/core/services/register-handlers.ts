import type { Handlers } from '../../contract/dispatch';
import { registerMethods } from '../../contract/register';
import type { RegisterWorker } from '../register';

/**
 * Contract handlers for the register: each method goes to the register's worker thread, which serves
 * the same methods (register/api.ts). SQLite is synchronous and must never run on a host's event loop.
 */
export function registerHandlers(reg: RegisterWorker): Handlers<typeof registerMethods> {
  const forward = (method: keyof typeof registerMethods) => (input: unknown) => (reg[method] as (i: unknown) => Promise<unknown>)(input);
  return Object.fromEntries(Object.keys(registerMethods).map((m) => [m, forward(m as keyof typeof registerMethods)])) as unknown as Handlers<typeof registerMethods>;
}
