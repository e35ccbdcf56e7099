import { parentPort, workerData } from 'node:worker_threads';
import { AppError, isAppError } from '../../contract/errors';
import { registerMethods } from '../../contract/register';
import { registerIssuingMethods } from '../../contract/issuing';
import { registerApi, type RegisterApi } from './api';
import { issuingApi, type IssuingApi } from './issuing-api';
import { openRegister, type Register } from './open';
import type { WorkerExtension, WorkerOptions, WorkerRequest, WorkerResponse } from './worker';

const port = parentPort!;
const { dbPath, opts } = workerData as { dbPath: string; opts: WorkerOptions };

function toError(id: number, e: unknown): WorkerResponse & { ok: false } {
  const err = isAppError(e) ? e : new AppError('INTERNAL', 'Đã xảy ra lỗi nội bộ. Vui lòng thử lại hoặc liên hệ bộ phận kỹ thuật.', e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  return { id, ok: false, error: { code: err.code, vi: err.vi, detail: err.message, ...(err.data ? { data: err.data } : {}) } };
}

let service: Register;
let api: RegisterApi;
let issuing: IssuingApi;
try {
  const { fixedNow, extension: _extension, ...rest } = opts;
  service = openRegister(dbPath, { ...rest, ...(fixedNow ? { clock: () => new Date(fixedNow) } : {}) });
  api = registerApi(service);
  issuing = issuingApi(service);
  port.postMessage({ ready: true });
  // The day's checkpoint while the workstation runs: now, then checked every hour.
  const daily = () => void service.anchors.daily().catch((e: unknown) => console.error(`register daily checkpoint failed: ${(e as Error).message}`));
  daily();
  setInterval(daily, 3600_000).unref();
} catch (e) {
  port.postMessage({ fatal: toError(0, e) });
  throw e;
}

// PDF text queued by bulk reception reaches the search index here, a few files at a time between
// calls; a queue left by a restart is picked up at start.
let indexing = false;
let disposed = false;
function indexQueued(): void {
  if (disposed || indexing || service.attachments.pendingText() === 0) return;
  indexing = true;
  void (async () => {
    try {
      while (!disposed && (await service.attachments.indexPending(5)) > 0) await new Promise((r) => setImmediate(r));
    } catch (e) {
      // Closed under it at shutdown: the row stays queued for the next start.
      if (!disposed) console.error(`register text indexing failed: ${(e as Error).message}`);
    } finally {
      indexing = false;
    }
  })();
}
indexQueued();

// The extension (the exchange) is loaded on its first call and runs beside the register's calls, not
// after them: a sync waiting on the network must not hold the clerk's register calls. Its database
// work is synchronous, so it never interleaves inside a transaction.
let extension: Promise<WorkerExtension> | null = null;
function serveExtension(req: WorkerRequest): void {
  const spec = opts.extension!;
  extension ??= loadModule(spec.module).then((m: Record<string, unknown>) => {
    const create = (m.createWorkerExtension ?? (m.default as Record<string, unknown> | undefined)?.createWorkerExtension) as (reg: Register, emit: (event: string, payload: unknown) => void, options: unknown) => Promise<WorkerExtension>;
    return create(service, (event, payload) => port.postMessage({ event, payload }), spec.options);
  });
  void (async () => {
    try {
      const methods = (await extension!).methods;
      if (!Object.hasOwn(methods, req.method)) throw new AppError('UNKNOWN_METHOD', 'Chức năng không tồn tại.', `register worker: no method ${req.method}`);
      port.postMessage({ id: req.id, ok: true, value: await methods[req.method]!(req.args[0]) } satisfies WorkerResponse);
    } catch (e) {
      port.postMessage(toError(req.id, e));
    }
    indexQueued();
  })();
}

/**
 * A build that does not ship the extension beside this worker (the built CLI) names its TypeScript
 * source: loaded through tsx, which a checkout's worker entry has registered already. The specifier is
 * a variable so bundlers leave tsx out.
 */
async function loadModule(url: string): Promise<Record<string, unknown>> {
  const g = globalThis as { __vanthuTsx?: boolean };
  if (url.endsWith('.ts') && !g.__vanthuTsx) {
    const tsx = 'tsx/esm/api';
    ((await import(tsx)) as { register: () => void }).register();
    g.__vanthuTsx = true;
  }
  return (await import(url)) as Record<string, unknown>;
}

// Calls are served one at a time, in order: the register has one writer per process.
let chain = Promise.resolve();
port.on('message', (req: WorkerRequest) => {
  if (opts.extension && req.method.startsWith(opts.extension.prefix)) return serveExtension(req);
  chain = chain.then(async () => {
    try {
      if (req.method === '__dispose') {
        // A sync under way finishes before the register closes under it.
        if (extension) await (await extension).close();
        disposed = true;
        service.dispose();
        port.postMessage({ id: req.id, ok: true, value: null } satisfies WorkerResponse);
        return;
      }
      // The signing service's cấp số calls (contract/issuing.ts) check their own input.
      const internal = Object.hasOwn(registerIssuingMethods, req.method);
      if (!internal && !Object.hasOwn(registerMethods, req.method)) {
        throw new AppError('UNKNOWN_METHOD', 'Chức năng không tồn tại.', `register worker: no method ${req.method}`);
      }
      // The host's dispatch validated the input against the contract before it crossed the thread.
      const handler = (internal ? issuing[req.method as keyof IssuingApi] : api[req.method as keyof RegisterApi]) as (input: unknown, ctx: { transport: 'ipc' }) => unknown;
      const value = await handler(req.args[0], { transport: 'ipc' });
      port.postMessage({ id: req.id, ok: true, value } satisfies WorkerResponse);
    } catch (e) {
      port.postMessage(toError(req.id, e));
    }
    if (req.method !== '__dispose') indexQueued();
  });
});
