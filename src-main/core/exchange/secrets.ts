import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { AppError } from '../../contract/errors';
import { writeFileAtomic } from '../fsx/atomic-write';

/**
 * Exchange secrets (the systemid HMAC key, the hub's admin token, a TLS key passphrase), by name, per
 * data folder. They go to the OS keychain where one answers — libsecret's `secret-tool` on Linux with a
 * session bus, `security` on macOS — and otherwise to a 0600 file under the data folder (a file others
 * can read is refused). Windows has no keychain binding here (no maintained one without a native
 * module), so it uses the file. Values cross to the keychain tools on stdin, never on a command line,
 * and never reach logs, the evidence log or error text (docs/exchange.md §2).
 */
const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const TOOL_TIMEOUT_MS = 5_000;

export type SecretBackend = 'keychain' | 'file';

/** Where a secret went, and why not to the keychain when it did not (for the caller's log). */
export interface SecretPlacement {
  backend: SecretBackend;
  keychain: string | null;
  fallbackReason?: string;
}

/** One OS keychain. `store` and `lookup` report failure (locked, no daemon, refused) instead of throwing. */
export interface Keychain {
  readonly kind: string;
  store(folder: string, name: string, value: Buffer): { ok: true } | { ok: false; reason: string };
  /** The value, `null` when the keychain has none, or a reason when it could not be asked. */
  lookup(folder: string, name: string): Buffer | null | { reason: string };
}

function checkName(name: string): void {
  if (!NAME.test(name)) throw new AppError('INPUT_INVALID', 'Tên khóa bí mật không hợp lệ.', 'secret name');
}

function onPath(tool: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, tool))) return join(dir, tool);
  }
  return null;
}

function run(cmd: string, args: string[], input: Buffer | string, env: NodeJS.ProcessEnv): { ok: boolean; out: Buffer; reason: string } {
  const r = spawnSync(cmd, args, { input, env, timeout: TOOL_TIMEOUT_MS, maxBuffer: 1 << 20 });
  if (r.error) return { ok: false, out: Buffer.alloc(0), reason: `${cmd}: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}` };
  // stderr may name the item; it never holds the value (that went on stdin).
  const reason = `${cmd} exited ${r.status ?? r.signal}: ${r.stderr.toString('utf8').trim().slice(0, 200)}`;
  return { ok: r.status === 0, out: r.stdout, reason };
}

/** libsecret (GNOME Keyring, KWallet's Secret Service): items keyed by service, data folder and name. */
class SecretTool implements Keychain {
  readonly kind = 'secret-tool';
  constructor(private readonly tool: string, private readonly env: NodeJS.ProcessEnv) {}
  private attrs(folder: string, name: string): string[] {
    return ['service', 'vanthu-exchange', 'folder', folder, 'name', name];
  }
  store(folder: string, name: string, value: Buffer) {
    const r = run(this.tool, ['store', `--label=vanthu ${name}`, ...this.attrs(folder, name)], value, this.env);
    return r.ok ? { ok: true as const } : { ok: false as const, reason: r.reason };
  }
  lookup(folder: string, name: string) {
    const r = run(this.tool, ['lookup', ...this.attrs(folder, name)], '', this.env);
    if (r.ok) return r.out;
    // secret-tool exits 1 with nothing on stderr when the item does not exist.
    return /exited 1: $/.test(r.reason) ? null : { reason: r.reason };
  }
}

/** The macOS login keychain, driven through `security -i` so the value stays off the command line. */
class MacSecurity implements Keychain {
  readonly kind = 'security';
  constructor(private readonly env: NodeJS.ProcessEnv) {}
  private static quote(s: string): string {
    return `"${s.replace(/["\\]/g, '\\$&')}"`;
  }
  store(folder: string, name: string, value: Buffer) {
    const q = MacSecurity.quote;
    const line = `add-generic-password -U -a ${q(name)} -s ${q(`vanthu-exchange:${folder}`)} -X ${value.toString('hex')}\n`;
    const r = run('/usr/bin/security', ['-i'], line, this.env);
    return r.ok ? { ok: true as const } : { ok: false as const, reason: r.reason };
  }
  lookup(folder: string, name: string) {
    const r = run('/usr/bin/security', ['find-generic-password', '-a', name, '-s', `vanthu-exchange:${folder}`, '-w'], '', this.env);
    if (r.ok) return r.out.subarray(0, r.out.length - (r.out.at(-1) === 0x0a ? 1 : 0));
    return /exited 44/.test(r.reason) ? null : { reason: r.reason };
  }
}

/**
 * The keychain this machine offers, or null: `VANTHU_KEYCHAIN=off` forces the file; on Linux
 * `secret-tool` must be installed and a session bus named (whether it answers shows on first use).
 */
export function osKeychain(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Keychain | null {
  if (env.VANTHU_KEYCHAIN === 'off') return null;
  if (platform === 'darwin') return existsSync('/usr/bin/security') ? new MacSecurity(env) : null;
  if (platform === 'linux') {
    const tool = onPath('secret-tool', env);
    return tool && env.DBUS_SESSION_BUS_ADDRESS ? new SecretTool(tool, env) : null;
  }
  return null;
}

function filePath(dataDir: string, name: string): string {
  return join(dataDir, 'secrets', name);
}

function writeFileSecret(dataDir: string, name: string, value: Buffer): void {
  mkdirSync(join(dataDir, 'secrets'), { recursive: true, mode: 0o700 });
  const path = filePath(dataDir, name);
  writeFileAtomic(path, [value]);
  chmodSync(path, 0o600);
}

/** Stores a secret: in the keychain when it takes it, else in the 0600 file. */
export function writeSecret(dataDir: string, name: string, value: Buffer, keychain: Keychain | null = osKeychain()): SecretPlacement {
  checkName(name);
  if (keychain) {
    const r = keychain.store(resolve(dataDir), name, value);
    if (r.ok) return { backend: 'keychain', keychain: keychain.kind };
    writeFileSecret(dataDir, name, value);
    return { backend: 'file', keychain: keychain.kind, fallbackReason: r.reason };
  }
  writeFileSecret(dataDir, name, value);
  return { backend: 'file', keychain: null };
}

/** Reads a secret: the keychain first (when one answers), then the 0600 file. */
export function readSecret(dataDir: string, name: string, keychain: Keychain | null = osKeychain()): Buffer {
  checkName(name);
  const found = keychain?.lookup(resolve(dataDir), name);
  if (Buffer.isBuffer(found) && found.length > 0) return found;
  const path = filePath(dataDir, name);
  if (!existsSync(path)) throw new AppError('NOT_FOUND', 'Chưa cấu hình khóa bí mật kết nối trục liên thông.', `secret ${name} missing${found && !Buffer.isBuffer(found) ? ` (keychain: ${found.reason})` : ''}`);
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    throw new AppError('CONFLICT', 'Tệp khóa bí mật có quyền truy cập quá rộng; hãy đặt quyền 600.', `secret ${name} is readable by others`);
  }
  return readFileSync(path);
}
