import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, type Api } from '../contract';
import { createDispatcher, type Dispatch, type Handlers } from '../contract/dispatch';
import { readIntermediates, readSealImage, registerDbPath, repoRoot, type Settings } from './config';
import { EventHub } from './events';
import type { Logger } from './log';
import { openTokenService } from './token';
import { tokenHandlers } from './services/token-handlers';
import { openRegisterWorker, type RegisterWorker } from './register';
import { registerHandlers } from './services/register-handlers';
import { Workspace, WORKSPACE_MAX_AGE_MS } from './workspace';
import { fileHandlers } from './services/file-handlers';
import { verifyHandlers } from './services/verify-handlers';
import { trustHandlers } from './services/trust-handlers';
import { revocationCacheDir } from './trust/revocation-cache';
import { signHandlers } from './services/sign-handlers';
import { settingsHandlers } from './services/settings-handlers';
import { scanService } from './services/scan-handlers';
import { exchangeService } from './services/exchange-handlers';

/**
 * The backend both hosts serve: Electron (in a utility process) and the loopback bridge (browser mode,
 * tests). It owns the core services and exposes them through one dispatch function and one event hub.
 */
export interface Backend {
  dispatch: Dispatch;
  /** In-process hosts only (the CLI): never reachable from a transport. */
  workspace: Workspace;
  subscribe: EventHub['subscribe'];
  close(): Promise<void>;
}

export interface BackendOptions {
  host: 'electron' | 'browser' | 'cli';
  /**
   * The workspace folder and its size bound. Remote hosts keep the default (the data folder's
   * workspace, MAX_FILE_BYTES: what fits in one API call); the CLI puts files in from disk in-process,
   * so it gives its own folder and the signer's bound.
   */
  workspace?: { dir: string; maxBytes: number };
  /** Parse outputs too (dev and tests): catches drift between handlers and the contract. */
  checkOutputs?: boolean;
}

export async function createBackend(settings: Settings, log: Logger, opts: BackendOptions): Promise<Backend> {
  const hub = new EventHub();
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const closers: Array<() => Promise<void> | void> = [];

  const tokens = openTokenService(settings.pkcs11Modules.length > 0 ? { modules: settings.pkcs11Modules } : {});
  closers.push(() => tokens.close());
  closers.push(tokens.onSlotEvent((e) => hub.publish('token.changed', { kind: e.kind, label: e.label || null })));

  // The thread starts on the first register call: vanthu sign, verify and token never need it.
  const register = lazyWorker(() => openRegisterWorker(registerDbPath(settings.dataDir), { agency: settings.agency }));
  closers.push(() => register.terminate());

  const workspace = opts.workspace ? new Workspace(opts.workspace.dir, opts.workspace.maxBytes) : new Workspace(join(settings.dataDir, 'workspace'));
  workspace.prune(WORKSPACE_MAX_AGE_MS);

  const scan = scanService({ workspace, dbPath: registerDbPath(settings.dataDir), publish: (event, payload) => hub.publish(event, payload) });
  closers.push(() => scan.close());

  const exchange = exchangeService({ settings, log, publish: (event, payload) => hub.publish(event, payload) });
  closers.push(() => exchange.close());

  // One revocation cache and mirror for the verifier and the signer's leader check.
  const revocation = { cacheDir: revocationCacheDir(settings.dataDir), ocspUrl: settings.ocspUrlOverride, crlUrl: settings.crlUrlOverride };

  // Every method of the contract must have its handler: the type says so, not a runtime miss.
  const handlers: Handlers<Api> = {
    'app.info': () => ({ name: 'vanthu', version, host: opts.host, agency: { name: settings.agency.name, code: settings.agency.code }, demo: settings.demo }),
    ...tokenHandlers(tokens),
    ...registerHandlers(register),
    ...fileHandlers(workspace),
    ...verifyHandlers({ workspace, trustDir: settings.trustDir, revocation }),
    ...signHandlers({ workspace, tokens, settings, revocation, log, publish: (event, payload) => hub.publish(event, payload), stamp: () => readSealImage(settings), intermediates: readIntermediates(settings) }),
    ...settingsHandlers({ base: settings, log }),
    ...scan.handlers,
    ...exchange.handlers,
    ...trustHandlers(settings),
  };

  const dispatch = createDispatcher(api, handlers, {
    checkOutputs: opts.checkOutputs ?? process.env.NODE_ENV !== 'production',
    log: ({ level, msg, ...rest }) => log[level](msg, rest),
  });

  return {
    dispatch,
    workspace,
    subscribe: (l) => hub.subscribe(l),
    async close() {
      for (const c of closers.reverse()) await c();
      closers.length = 0;
    },
  };
}

/** A register worker opened on first use; terminate() ends it only if it was opened. */
function lazyWorker(open: () => Promise<RegisterWorker>): RegisterWorker {
  let opened: Promise<RegisterWorker> | null = null;
  return new Proxy({} as RegisterWorker, {
    get(_, method: string) {
      if (method === 'terminate') return async () => { if (opened) await (await opened).terminate(); };
      return async (input: unknown) => {
        opened ??= open();
        const worker = (await opened) as unknown as Record<string, (i: unknown) => Promise<unknown>>;
        return worker[method]!(input);
      };
    },
  });
}
