/**
 * Entry of the Electron utility process: the whole backend (token, SQLite, PDF work) runs here, so
 * nothing synchronous ever blocks the window's main process. Messages come from the main process
 * only, after its sender checks. No `electron` import: the utility process gets `process.parentPort`.
 */
import { createBackend } from '../backend';
import { loadSettings } from '../config';
import { fileLogger } from '../log';
import { join } from 'node:path';
import { existsSync } from 'node:fs';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!port) throw new Error('utility-entry must run inside an Electron utility process');

// The bundle ships the register's worker thread as its own file beside this one.
const bundledWorker = join(import.meta.dirname, 'register-worker.cjs');
if (existsSync(bundledWorker)) process.env.VANTHU_REGISTER_WORKER = bundledWorker;

const settings = loadSettings();
const log = fileLogger(join(settings.dataDir, 'vanthu.log'));
if (settings.softhsm2Conf) process.env.SOFTHSM2_CONF = settings.softhsm2Conf;
// Bundled as CommonJS for Electron, so no top-level await: calls made before the backend is up wait on it.
const ready = createBackend(settings, log, { host: 'electron' });
void ready.then((backend) => backend.subscribe((event, payload) => port.postMessage({ kind: 'event', event, payload })));

port.on('message', ({ data }) => {
  const msg = data as { kind?: string; id?: number; method?: string; input?: unknown };
  if (msg?.kind !== 'invoke' || typeof msg.id !== 'number' || typeof msg.method !== 'string') return;
  void ready
    .then((backend) => backend.dispatch(msg.method!, msg.input, { transport: 'ipc' }))
    .then((reply) => port.postMessage({ kind: 'reply', id: msg.id, reply }));
});
