import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../config';
import type { Logger } from '../log';
import type { WorkerExtensionSpec } from '../register/worker';
import type { ExchangeWorkerOptions } from './exchange-worker';

/** The worker's log lines cross to the host as this event; the backend writes them to its own log. */
export const WORKER_LOG_EVENT = '__log';

/**
 * The backend's side of the exchange in the register worker: where the worker finds the module (the
 * checkout's source, or the file the Electron bundle ships beside the register worker) and the worker's
 * events and log lines brought back (the contract's exchange methods go to the thread by forwardTo).
 */
export function exchangeExtension(options: ExchangeWorkerOptions): WorkerExtensionSpec {
  const bundled = process.env.VANTHU_REGISTER_WORKER;
  const beside = bundled ? ['exchange-worker.cjs', 'exchange-worker.mjs'].map((f) => join(dirname(bundled), f)).find((f) => existsSync(f)) : undefined;
  // A build that does not ship it (the built CLI) and a checkout load the source (through tsx).
  const file = beside ?? join(repoRoot, 'src-main', 'core', 'services', 'exchange-worker.ts');
  return { module: pathToFileURL(file).href, prefix: 'exchange.', options };
}

export function workerEvents(log: Logger, publish: (event: string, payload: unknown) => void): (event: string, payload: unknown) => void {
  return (event, payload) => {
    if (event !== WORKER_LOG_EVENT) return publish(event, payload);
    const { level, msg, t: _t, ...fields } = JSON.parse(String(payload)) as { level: keyof Logger; msg: string; t: string };
    log[level](msg, fields);
  };
}
