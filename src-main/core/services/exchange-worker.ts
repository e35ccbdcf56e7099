import type { AgencyInfo, Register } from '../register/index';
import type { WorkerExtension } from '../register/worker';
import { createLogger } from '../log';
import { exchangeService } from './exchange-handlers';
import { WORKER_LOG_EVENT } from './exchange-remote';

/** What the backend hands the register worker for the exchange (plain data: it crosses the thread). */
export interface ExchangeWorkerOptions {
  dbPath: string;
  agency: AgencyInfo;
  trustDir: string;
  configFile?: string;
}


/**
 * The exchange inside the register worker (docs/exchange.md §6): its engine writes through the
 * register's own connection — an inbox row and the tiếp nhận it creates commit together, and no second
 * connection writes the file. Loaded by path by register/worker-host.ts on the first `exchange.*` call.
 */
export async function createWorkerExtension(reg: Register, emit: (event: string, payload: unknown) => void, options: unknown): Promise<WorkerExtension> {
  const o = options as ExchangeWorkerOptions;
  const log = createLogger((line) => emit(WORKER_LOG_EVENT, line));
  const service = exchangeService({ ...o, reg, log, publish: emit });
  return { methods: service.handlers as unknown as WorkerExtension['methods'], close: () => service.close() };
}
