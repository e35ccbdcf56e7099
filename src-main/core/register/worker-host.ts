import { parentPort, workerData } from 'node:worker_threads';
import { AppError, isAppError } from '../../contract/errors';
import { openRegister, type RegisterService } from './service';
import { WORKER_METHODS, type WorkerOptions, type WorkerRequest, type WorkerResponse } from './worker';

const port = parentPort!;
const { dbPath, opts } = workerData as { dbPath: string; opts: WorkerOptions };

function toError(id: number, e: unknown): WorkerResponse & { ok: false } {
  const err = isAppError(e) ? e : new AppError('INTERNAL', 'Đã xảy ra lỗi nội bộ. Vui lòng thử lại hoặc liên hệ bộ phận kỹ thuật.', e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  return { id, ok: false, error: { code: err.code, vi: err.vi, detail: err.message, ...(err.data ? { data: err.data } : {}) } };
}

let service: RegisterService;
try {
  const { fixedNow, ...rest } = opts;
  service = openRegister(dbPath, { ...rest, ...(fixedNow ? { clock: () => new Date(fixedNow) } : {}) });
  port.postMessage({ ready: true });
} catch (e) {
  port.postMessage({ fatal: toError(0, e) });
  throw e;
}

// Calls are served one at a time, in order: the register has one writer per process.
let chain = Promise.resolve();
port.on('message', (req: WorkerRequest) => {
  chain = chain.then(async () => {
    try {
      if (req.method === '__dispose') {
        service.dispose();
        port.postMessage({ id: req.id, ok: true, value: null } satisfies WorkerResponse);
        return;
      }
      const fn = (service as unknown as Record<string, unknown>)[req.method];
      if (typeof fn !== 'function' || !(WORKER_METHODS as readonly string[]).includes(req.method)) {
        throw new AppError('UNKNOWN_METHOD', 'Chức năng không tồn tại.', `register worker: no method ${req.method}`);
      }
      const value = await (fn as (...a: unknown[]) => unknown).apply(service, req.args);
      port.postMessage({ id: req.id, ok: true, value } satisfies WorkerResponse);
    } catch (e) {
      port.postMessage(toError(req.id, e));
    }
  });
});
