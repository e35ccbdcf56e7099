import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../contract/errors';
import type { RegisterApi, RegisterMethod } from './api';
import type { RegisterOptions } from './open';

/** The contract's register methods, each taking its input and answering asynchronously from the thread. */
export type RegisterWorker = {
  [K in RegisterMethod]: (input: Parameters<RegisterApi[K]>[0]) => Promise<Awaited<ReturnType<RegisterApi[K]>>>;
} & {
  /** Closes the database and ends the thread. */
  terminate(): Promise<void>;
};

/**
 * More methods served on the register's own connection, from a module the worker loads by path on the
 * first call whose name starts with `prefix` (the exchange: core/services/exchange-worker.ts). A path,
 * not an import: the register stays below the units that extend it.
 */
export interface WorkerExtensionSpec {
  module: string;
  prefix: string;
  options: unknown;
}

/** What such a module's `createWorkerExtension(register, emit, options)` returns. */
export interface WorkerExtension {
  methods: Record<string, (input: unknown) => unknown>;
  close(): Promise<void>;
}

/** What crosses into the worker: options without functions; the clock can be pinned for tests. */
export type WorkerOptions = Omit<RegisterOptions, 'clock'> & { fixedNow?: string; extension?: WorkerExtensionSpec };

export interface WorkerRequest { id: number; method: string; args: unknown[] }
export type WorkerResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { code: ErrorCode; vi: string; detail: string; data?: Record<string, string | number | boolean | null> } };

/**
 * Runs the register on a worker thread, so the Electron main process and the bridge never execute
 * SQLite (synchronous) on their event loop. It serves exactly the contract's register methods; AppErrors
 * keep their code and Vietnamese text across the thread boundary.
 */
export async function openRegisterWorker(dbPath: string, opts: WorkerOptions, host: { onEvent?: (event: string, payload: unknown) => void } = {}): Promise<RegisterWorker> {
  // The bundled Electron app ships the worker as its own file and names it; a checkout runs the TS entry.
  const script = process.env.VANTHU_REGISTER_WORKER ?? new URL('./worker-entry.mjs', import.meta.url);
  const worker = new Worker(script, { workerData: { dbPath, opts } });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  let nextId = 1;
  let dead: Error | null = null;
  const failAll = (e: Error) => {
    dead = e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  worker.on('message', (m: WorkerResponse | { ready: true } | { fatal: WorkerResponse & { ok: false } } | { event: string; payload: unknown }) => {
    if ('event' in m) return void host.onEvent?.(m.event, m.payload);
    if ('ready' in m || 'fatal' in m) return;
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(new AppError(m.error.code, m.error.vi, m.error.detail, m.error.data));
  });
  worker.on('error', (e) => failAll(e));
  worker.on('exit', (code) => failAll(new AppError('INTERNAL', 'Tiến trình sổ văn bản đã dừng.', `register worker exited with ${code}`)));

  // Opening (migrations included) happens in the worker; wait for it so open errors surface here.
  await new Promise<void>((resolve, reject) => {
    const onMsg = (m: { ready?: true; fatal?: WorkerResponse & { ok: false } }) => {
      if (m.ready) { worker.off('message', onMsg); resolve(); }
      if (m.fatal) { worker.off('message', onMsg); void worker.terminate(); reject(new AppError(m.fatal.error.code, m.fatal.error.vi, m.fatal.error.detail, m.fatal.error.data)); }
    };
    worker.on('message', onMsg);
    worker.once('error', reject);
  });

  const call = (method: string, args: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      if (dead) return reject(dead);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, method, args } satisfies WorkerRequest);
    });

  return new Proxy({} as RegisterWorker, {
    get(_t, prop) {
      if (prop === 'then') return undefined;
      if (prop === 'terminate') {
        return async () => {
          if (!dead) await call('__dispose', []);
          await worker.terminate();
        };
      }
      return (input: unknown) => call(String(prop), [input]);
    },
  });
}
