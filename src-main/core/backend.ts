import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDispatcher, type Dispatch, type Handler, type Handlers } from '../contract/dispatch';
import type { MethodDef } from '../contract/api';
import { domainOf, methodDef, type DomainMethods, type DomainName } from '../contract/domains';
import { readIntermediates, readSealImage, registerDbPath, repoRoot, type Settings } from './config';
import { checksOutputs } from './paths';
import { EventHub } from './events';
import type { Logger } from './log';
import type { RegisterWorker } from './register';
import type { IssuingRegister } from './services/sign-register';
import { fileHandlers } from './services/file-handlers';
import { forwardTo } from './services/forward';
import { lazyHandlers, once } from './services/lazy';
import { revocationCacheDir } from './trust/revocation-cache';
import { Workspace, WORKSPACE_MAX_AGE_MS } from './workspace';

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
   * so it gives its own folder and the signer's bound, or a workspace of its own (in memory for a
   * command that only reads).
   */
  workspace?: { dir: string; maxBytes: number } | Workspace;
  /** Parse outputs too (dev and tests): catches drift between handlers and the contract. */
  checkOutputs?: boolean;
  /** The register file, when not the data folder's (`vanthu sign issue --db`). */
  registerDb?: string;
  /** The exchange configuration, when not the `exchange.json` beside the register (`vanthu sync --config`). */
  exchangeConfig?: string;
}

export async function createBackend(settings: Settings, log: Logger, opts: BackendOptions): Promise<Backend> {
  const hub = new EventHub();
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const closers: Array<() => Promise<void> | void> = [];
  let closed = false;
  // What a domain starts is stopped at close; a start that finishes after close is stopped at once, so a
  // late server or driver never keeps the process alive.
  const onClose = (c: () => Promise<void> | void): void => {
    if (closed) void c();
    else closers.push(c);
  };
  // The demo profile brings its own revocation source, for every host (window, CLI, tests): demo files
  // verify with a real answer, and issuing refuses an unknown status there as under an agency's settings.
  // Started by the first call that may go online (it loads the OCSP/CRL server and the CA's keys): an
  // offline `vanthu verify` or a `vanthu token list` never pays for it. withDemoRevocation decides
  // whether one is needed at all, and never throws.
  const live = once(async () => {
    if (!settings.demo) return settings;
    const { settings: withSource, responder } = await (await import('./services/demo-revocation')).withDemoRevocation(settings, log, process.env);
    if (responder) onClose(() => responder.stop());
    return withSource;
  });

  // Each domain starts on the first call of one of its methods, its modules loaded only then: a CLI
  // command pays for what it uses, and the window opens before any token driver or database is touched.
  const publish = (event: string, payload: unknown) => hub.publish(event, payload);
  const tokens = once(async () => {
    const { openTokenService } = await import('./token');
    const service = openTokenService(settings.pkcs11Modules.length > 0 ? { modules: settings.pkcs11Modules } : {});
    onClose(() => service.close());
    onClose(service.onSlotEvent((e) => hub.publish('token.changed', { kind: e.kind, label: e.label || null })));
    return service;
  });

  // The CLI starts the thread on its first register call (vanthu sign, verify and token never need it);
  // a window opens on "Hôm nay", which asks the register first, so there it starts while the page loads.
  // The working calendar saved in "Cài đặt" is the one the register's deadlines use from the start.
  const registerDb = opts.registerDb ?? registerDbPath(settings.dataDir);
  const { worker: register, start: startRegister } = lazyWorker(async () => {
    const calendar = (await import('./services/settings-handlers')).storedCalendar(settings.dataDir, log);
    // The exchange runs in this thread too, on the register's own connection (services/exchange-worker.ts).
    const { exchangeExtension, workerEvents } = await import('./services/exchange-remote');
    const extension = exchangeExtension({ dbPath: registerDb, agency: settings.agency, trustDir: settings.trustDir, ...(opts.exchangeConfig ? { configFile: opts.exchangeConfig } : {}) });
    return (await import('./register')).openRegisterWorker(registerDb, { agency: settings.agency, ...(calendar ? { calendar } : {}), extension }, { onEvent: workerEvents(log, publish) });
  });
  closers.push(() => register.terminate());
  // The worker also serves the register's calls for services only (cấp số, digitised-here records:
  // contract/issuing.ts), never reachable from a transport.
  const services = register as unknown as IssuingRegister;
  if (opts.host !== 'cli') startRegister();

  const workspace = opts.workspace instanceof Workspace ? opts.workspace
    : opts.workspace ? new Workspace(opts.workspace.dir, opts.workspace.maxBytes) : new Workspace(join(settings.dataDir, 'workspace'));
  workspace.prune(WORKSPACE_MAX_AGE_MS);

  const scan = once(async () => {
    const service = (await import('./services/scan-handlers')).scanService({
      workspace, dbPath: registerDb, publish, register,
      // Digitised-here records go through the register, into its audit chain.
      recordDigitized: (r) => services['register.recordDigitized'](r),
    });
    onClose(() => service.close());
    return service;
  });

  // One revocation cache and mirror for the verifier and the signer's leader check.
  const cacheDir = revocationCacheDir(settings.dataDir);
  const revocation = async () => {
    const { ocspUrlOverride, crlUrlOverride } = await live.get();
    return { revocationCacheDir: cacheDir, ocspUrlOverride, crlUrlOverride };
  };

  // Every domain of the contract has its handlers, each complete for its methods: the type says so,
  // not a runtime miss. A domain's schemas and code load on its first call (contract/domains.ts).
  const scanHandlers = lazyHandlers<DomainMethods<'scan'>>(async () => (await scan.get()).handlers);
  const handlers: { [D in DomainName]: Handlers<DomainMethods<D>> } = {
    app: { 'app.info': () => ({ name: 'vanthu', version, host: opts.host, agency: { name: settings.agency.name, code: settings.agency.code }, demo: settings.demo }) },
    file: fileHandlers(workspace),
    token: lazyHandlers(async () => (await import('./services/token-handlers')).tokenHandlers(await tokens.get())),
    register: forwardTo<DomainMethods<'register'>>(register),
    verify: lazyHandlers(async () => (await import('./services/verify-handlers')).verifyHandlers({ workspace, trustDir: settings.trustDir, revocation, revocationCacheDir: cacheDir })),
    sign: lazyHandlers(async () => (await import('./services/sign-handlers')).signHandlers({
      workspace, tokens: await tokens.get(), settings, revocation: await revocation(), log, publish, intermediates: readIntermediates(settings),
      // The seal of the agency profile saved in "Cài đặt" (the installation's until one is saved), read at each call.
      // Read straight from the settings file: settings.get would also probe every token driver path.
      seal: async () => {
        const { seal } = (await import('./services/settings-handlers')).storedSettings(settings, log);
        return { image: seal.image ? readFileSync(seal.image) : readSealImage(settings), mm: seal.mm };
      },
      // The provenance store (the register file) is opened only when a digitised issue asks for it.
      requireDigitizedHere: async (bytes) => (await scan.get()).requireDigitizedHere(bytes),
      register: services,
    })),
    settings: lazyHandlers(async () => (await import('./services/settings-handlers')).settingsHandlers({
      base: settings, log, applyCalendar: (calendar) => register['register.calendar'](calendar),
    })),
    scan: scanHandlers,
    digitize: scanHandlers,
    exchange: forwardTo<DomainMethods<'exchange'>>(register),
    trust: lazyHandlers(async () => (await import('./services/trust-handlers')).trustHandlers(await live.get())),
  };

  const handlerOf = (method: string): Handler<MethodDef> | undefined => {
    const d = domainOf(method);
    return d ? (handlers[d] as unknown as Record<string, Handler<MethodDef>>)[method] : undefined;
  };
  const dispatch = createDispatcher(methodDef, handlerOf, {
    checkOutputs: opts.checkOutputs ?? checksOutputs,
    log: ({ level, msg, ...rest }) => log[level](msg, rest),
  });

  return {
    dispatch,
    workspace,
    subscribe: (l) => hub.subscribe(l),
    async close() {
      closed = true;
      for (const c of closers.reverse()) await c();
      closers.length = 0;
    },
  };
}

/**
 * A register worker opened on first use (or by start()); terminate() ends it only if it was opened.
 * A failed early start is reported by the first call that awaits it, as a failed first use would be.
 */
function lazyWorker(open: () => Promise<RegisterWorker>): { worker: RegisterWorker; start(): void } {
  let opened: Promise<RegisterWorker> | null = null;
  const start = () => { opened ??= open(); opened.catch(() => { /* reported to the first caller */ }); };
  const worker = new Proxy({} as RegisterWorker, {
    get(_, method: string) {
      if (method === 'terminate') return async () => { if (opened) await opened.then((w) => w.terminate(), () => undefined); };
      return async (input: unknown) => {
        start();
        const w = (await opened!) as unknown as Record<string, (i: unknown) => Promise<unknown>>;
        return w[method]!(input);
      };
    },
  });
  return { worker, start };
}
