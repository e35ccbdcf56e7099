import type { MethodMap } from '../../contract/api';
import type { Handlers } from '../../contract/dispatch';
import type { RegisterWorker } from '../register';

/**
 * Contract handlers served by the register's worker thread: each method goes to the thread under its
 * own name. The register (register/api.ts) and the exchange (services/exchange-worker.ts) both run
 * there, on the register's connection: SQLite is synchronous and must never run on a host's event loop.
 * No list of names: the dispatcher asks only for methods its contract has (services/lazy.ts says why).
 */
export function forwardTo<M extends MethodMap>(worker: RegisterWorker): Handlers<M> {
  const call = worker as unknown as Record<string, (input: unknown) => Promise<unknown>>;
  // Not a thenable: an await of the table must not take it for a promise.
  return new Proxy({}, { get: (_, m) => (typeof m === 'string' && m !== 'then' ? (input: unknown) => call[m]!(input) : undefined) }) as Handlers<M>;
}
