/**
 * The CLI's way in: the same backend and `dispatch` the screens and the bridge use, built in-process
 * (no network, no port), so key choice, limits, placement, resume and errors are the same on every face.
 *
 * Files: the contract names files by workspace ids only, so a browser can never name a path. The CLI is
 * the clerk's own process and may read and write paths; it does so here, outside the contract, by
 * putting each input into a private workspace and writing each result back out. Nothing path-shaped is
 * added to what a transport accepts.
 */
import { accessSync, constants, existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Api, MethodName } from '../contract';
import type { MethodInput, MethodOutput } from '../contract/api';
import { AppError, type ErrorCode } from '../contract/errors';
import { MAX_PDF_BYTES } from '../contract/limits';
import { createBackend, type Backend } from '../core/backend';
import { loadSettings, type Settings } from '../core/config';
import { writeFileAtomic } from '../core/fsx/atomic-write';
import { fileLogger, type Logger } from '../core/log';
import { readInput } from '../core/pdf/sign/read-input';
import type { StoredFile } from '../core/workspace';
import { flagString, type CliIo } from './io';
import { MemoryWorkspace } from './memory-workspace';

export interface CliBackend {
  /** One contract call; a refusal becomes the AppError it carried (code and Vietnamese sentence kept). */
  call<M extends MethodName>(method: M, input: MethodInput<Api[M]>): Promise<MethodOutput<Api[M]>>;
  /** A file from disk into the workspace (the signer's size bound and messages). */
  putFile(path: string): StoredFile;
  /** A workspace file written to `path` atomically (temp file, fsync, rename). */
  writeFile(fileId: string, path: string): void;
  subscribe: Backend['subscribe'];
  close(): Promise<void>;
}

export interface CliBackendOptions {
  /** The command only reads the files it puts in (verify): they stay in memory, never copied to disk. */
  filesInMemory?: boolean;
  /** The register file, when not the data folder's (`vanthu sign issue --db`). */
  registerDb?: string;
  /** The exchange configuration, when not the `exchange.json` beside the register (`vanthu sync --config`). */
  exchangeConfig?: string;
}

export async function openCliBackend(settings: Settings, opts: CliBackendOptions = {}, log: Logger = fileLogger(join(ensureDir(settings.dataDir), 'vanthu-cli.log'))): Promise<CliBackend> {
  // A workspace of its own, removed on close: the CLI's copies never mix with the screens' files.
  const dir = join(settings.dataDir, `cli-${randomBytes(8).toString('hex')}`);
  const workspace = opts.filesInMemory ? new MemoryWorkspace(dir, MAX_PDF_BYTES) : { dir, maxBytes: MAX_PDF_BYTES };
  const backend = await createBackend(settings, log, { host: 'cli', workspace, ...(opts.registerDb ? { registerDb: opts.registerDb } : {}), ...(opts.exchangeConfig ? { exchangeConfig: opts.exchangeConfig } : {}) });
  return {
    async call(method, input) {
      const env = await backend.dispatch(method, input, { transport: 'cli' });
      if (!env.ok) {
        const fields = env.error.data?.fields;
        throw new AppError(env.error.code as ErrorCode, env.error.message, `${method}: ${env.error.code}${fields ? ` (${String(fields)})` : ''}`, env.error.data);
      }
      return env.value as MethodOutput<Api[typeof method]>;
    },
    putFile: (path) => backend.workspace.put(basename(path), readInput(path)),
    writeFile: (fileId, path) => writeFileAtomic(path, [backend.workspace.read(fileId).bytes]),
    subscribe: (l) => backend.subscribe(l),
    async close() {
      try {
        await backend.close();
      } finally {
        // Only a command that wrote something made the folder (workspace.ts): asking rmSync to walk a
        // folder that is not there still loads Node's recursive remover, ~1 ms of `vanthu verify`.
        if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Agency settings give the defaults (trust roots, seal, TSA, token library, intermediates); flags win. */
export function settingsFromFlags(flags: Map<string, string | true>, io: CliIo): Settings {
  const settings = loadSettings(io.env);
  if (settings.softhsm2Conf && !io.env.SOFTHSM2_CONF) process.env.SOFTHSM2_CONF = settings.softhsm2Conf;
  const module = flagString(flags, 'module');
  const trust = flagString(flags, 'trust');
  const tsa = flagString(flags, 'tsa');
  const chain = flagString(flags, 'chain');
  const stamp = flagString(flags, 'stamp');
  const sealMm = flagString(flags, 'seal-mm');
  return {
    ...settings,
    ...(module ? { pkcs11Modules: [module] } : {}),
    ...(trust ? { trustDir: trust } : {}),
    ...(tsa ? { tsaUrl: tsa } : {}),
    ...(chain ? { intermediates: [readable(chain)] } : {}),
    ...(stamp ? { sealImage: readable(stamp) } : {}),
    ...(sealMm ? { sealMm: Number(sealMm) } : {}),
  };
}

/** Asks for a token's PIN and logs in through token.login; the PIN's Buffer is wiped whatever happens. */
export async function loginWithPin(b: CliBackend, io: CliIo, token: { ref: string; label: string }): Promise<void> {
  const pin = await io.readPin(`Mã PIN của token "${token.label}": `);
  try {
    await b.call('token.login', { token: token.ref, pin: pin.toString('utf8') });
  } finally {
    pin.fill(0);
  }
}

export async function withBackend<T>(settings: Settings, run: (b: CliBackend) => Promise<T>, opts: CliBackendOptions = {}): Promise<T> {
  const backend = await openCliBackend(settings, opts);
  try {
    return await run(backend);
  } finally {
    await backend.close();
  }
}

/** A file named by a flag must be readable now, not when the backend first needs it. */
function readable(path: string): string {
  try {
    accessSync(path, constants.R_OK);
    return path;
  } catch {
    throw new AppError('NOT_FOUND', `Không đọc được tệp ${path}.`, `read ${path}`);
  }
}
