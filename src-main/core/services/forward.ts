import type { MethodMap } from '../../contract/api';
import type { Handlers } from '../../contract/dispatch';
import type { RegisterWorker } from '../register';

/**
 * Contract handlers served by the register's worker thread: each of `methods` goes to the thread under
 * its own name. The register (register/api.ts) and the exchange (services/exchange-worker.ts) both run
 * there, on the register's connection: SQLite is synchronous and must never run on a host's event loop.
 */
export function forwardTo<M extends MethodMap>(worker: RegisterWorker, methods: M): Handlers<M> {
  const call = worker as unknown as Record<string, (input: unknown) => Promise<unknown>>;
  return Object.fromEntries(Object.keys(methods).map((m) => [m, (input: unknown) => call[m]!(input)])) as unknown as Handlers<M>;
}
