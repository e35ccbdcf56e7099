import { AppError } from '../../contract/errors';
import { detectModules } from './catalogue';
import { decodeCertificate, type CertificateFacts } from './cert-decode';
import { mapPkcs11Error, tokenError } from './errors';
import { pairCertificates, readCertificates, readPrivateKeys } from './objects';
import { CK, realPkcs11Factory, type Handle, type Pkcs11Factory, type TokenInfo } from './pkcs11-api';
import { ModuleRegistry, type LoadedModule } from './registry';
import { pinFlags, TokenSessions, type PinStatus } from './sessions';
import { cleanLabel, SlotWatcher, type SlotEvent } from './slot-events';
import { formatTokenRef } from './token-ref';
import { createTokenSigner, type TokenSigner, type TokenSignerOptions } from './token-signer';

export type { PinStatus } from './sessions';
export type { TokenSigner, TokenSignerOptions } from './token-signer';

export interface TokenServiceOptions {
  /** Library paths to use; default: the drivers detectModules() finds on this machine. */
  modules?: readonly string[];
  /** Injectable clock for certificate validity. */
  clock?: () => Date;
  /** pkcs11js-shaped object maker (tests wrap or fake the module through it). */
  pkcs11Factory?: Pkcs11Factory;
  /** Slot polling interval, ms (default 1000). */
  pollIntervalMs?: number;
}

export interface ModuleStatusDto {
  path: string;
  loaded: boolean;
  manufacturer: string;
  description: string;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface TokenDto {
  ref: string;
  label: string;
  serial: string;
  manufacturer: string;
  model: string;
  module: string;
  slotId: string;
  loggedIn: boolean;
  loginRequired: boolean;
  /** PIN pad on the reader: login takes an empty PIN. */
  protectedAuthPath: boolean;
  pinCountLow: boolean;
  pinFinalTry: boolean;
  pinLocked: boolean;
}

export interface TokenCertificateDto extends CertificateFacts {
  /** CKA_ID, hex lower case: how a signer is asked for. */
  keyId: string;
  label: string;
  hasPrivateKey: boolean;
  /** 'unknown' before login: private keys are private objects, invisible until then. */
  privateKeyStatus: 'present' | 'absent' | 'unknown';
  /** null when unknown (not logged in, or the module does not say). */
  alwaysAuthenticate: boolean | null;
  expired: boolean;
  notYetValid: boolean;
  outOfValidity: boolean;
  /** base64 DER. */
  certificate: string;
}

export type SlotEventDto = SlotEvent & { ref: string };

export function openTokenService(opts: TokenServiceOptions = {}): TokenService {
  return new TokenService(opts);
}

export class TokenService {
  private readonly registry: ModuleRegistry;
  private readonly clock: () => Date;
  private readonly modulePaths: readonly string[];
  /** Libraries loaded by an explicit loadModule() call (the CLI's --module): trusted like configured ones. */
  private readonly explicitModules = new Set<string>();
  private readonly sessions: TokenSessions;
  private readonly listeners = new Set<(e: SlotEventDto) => void>();
  private readonly watcher: SlotWatcher;
  private closed = false;

  constructor(opts: TokenServiceOptions) {
    this.registry = new ModuleRegistry(opts.pkcs11Factory ?? realPkcs11Factory);
    this.clock = opts.clock ?? (() => new Date());
    this.modulePaths = opts.modules ?? detectModules().map((m) => m.path);
    this.sessions = new TokenSessions(this.registry, (path) => this.modulePaths.includes(path) || this.explicitModules.has(path));
    this.watcher = new SlotWatcher({
      modules: () => this.registry.all(),
      intervalMs: opts.pollIntervalMs ?? 1000,
      emit: (e) => this.dispatchSlotEvent(e),
    });
  }

  /** Loads one library (throws TOKEN_LIBRARY_* when it cannot be used). */
  loadModule(path: string): ModuleStatusDto {
    this.assertOpen();
    const m = this.registry.get(path);
    this.explicitModules.add(path);
    return { path, loaded: true, manufacturer: m.manufacturer, description: m.description, errorCode: null, errorMessage: null };
  }

  /** Every configured library, loaded where possible; failures reported, not thrown. */
  modules(): ModuleStatusDto[] {
    return this.modulePaths.map((path) => {
      try {
        return this.loadModule(path);
      } catch (e) {
        const err = e instanceof AppError ? e : mapPkcs11Error(e, `load ${path}`);
        return { path, loaded: false, manufacturer: '', description: '', errorCode: err.code, errorMessage: err.vi };
      }
    });
  }

  listTokens(): TokenDto[] {
    this.assertOpen();
    this.modules();
    const out: TokenDto[] = [];
    for (const m of this.registry.all()) {
      let slots: Handle[];
      try {
        slots = m.p11.C_GetSlotList(true);
      } catch {
        continue;
      }
      for (const slot of slots) {
        let info: TokenInfo;
        try {
          info = m.p11.C_GetTokenInfo(slot);
        } catch {
          continue; // token leaving as we look
        }
        if (!(info.flags & CK.CKF_TOKEN_INITIALIZED)) continue;
        out.push(this.tokenDto(m, slot, info));
      }
    }
    return out;
  }

  /** The token with this label (and serial, when given): never a slot index. */
  findToken(label: string, serial?: string): TokenDto {
    const want = label.normalize('NFC');
    const hit = this.listTokens().find((t) => t.label === want && (serial === undefined || t.serial === serial));
    if (!hit) throw tokenError('TOKEN_ABSENT', `no token labelled ${JSON.stringify(want)}${serial ? ` serial ${serial}` : ''}`);
    return hit;
  }

  pinStatus(ref: string): PinStatus {
    this.assertOpen();
    return this.sessions.pinStatus(ref);
  }

  /** Certificates on the token; readable without login where the token allows it. */
  listCertificates(ref: string): TokenCertificateDto[] {
    this.assertOpen();
    const st = this.sessions.resolve(ref);
    const p = st.module.p11;
    const session = this.sessions.session(st);
    const now = this.clock();
    return this.sessions.guard(st, 'list certificates', () => {
      const certs = readCertificates(p, session);
      const keys = st.loggedIn ? readPrivateKeys(p, session) : [];
      const sorted = [...certs].sort((a, b) => Buffer.compare(a.id, b.id));
      return pairCertificates(p, session, sorted, keys).flatMap(({ cert, key }) => {
        let facts: CertificateFacts;
        try {
          facts = decodeCertificate(cert.der);
        } catch {
          return []; // not an X.509 certificate we can read: never shown as a signing choice
        }
        const expired = now.getTime() > Date.parse(facts.notAfter);
        const notYetValid = now.getTime() < Date.parse(facts.notBefore);
        return [{
          ...facts,
          keyId: cert.id.toString('hex'),
          label: cert.label,
          hasPrivateKey: key !== null,
          privateKeyStatus: key ? 'present' : st.loggedIn ? 'absent' : 'unknown',
          alwaysAuthenticate: key ? key.alwaysAuthenticate : null,
          expired,
          notYetValid,
          outOfValidity: expired || notYetValid,
          certificate: cert.der.toString('base64'),
        } satisfies TokenCertificateDto];
      });
    });
  }

  /** Logs in; the PIN Buffer is wiped whatever happens, and a wrong PIN is never retried. */
  login(ref: string, pin: Buffer): void {
    try {
      this.assertOpen();
    } catch (e) {
      pin.fill(0);
      throw e;
    }
    this.sessions.login(ref, pin);
  }

  logout(ref: string): void {
    this.assertOpen();
    this.sessions.logout(ref);
  }

  /** A KeySigner for the certificate with CKA_ID `keyIdHex`; the token must be logged in. */
  createTokenSigner(ref: string, keyIdHex: string, opts: TokenSignerOptions = {}): TokenSigner {
    this.assertOpen();
    return createTokenSigner(this.sessions, this.clock, ref, keyIdHex, opts);
  }

  /** Token inserted/removed events; returns the unsubscribe function. */
  onSlotEvent(cb: (e: SlotEventDto) => void): () => void {
    this.assertOpen();
    this.modules();
    this.listeners.add(cb);
    this.watcher.start();
    return () => {
      this.listeners.delete(cb);
      if (this.listeners.size === 0) this.watcher.stop();
    };
  }

  /** Runs one watcher pass now (tests and "refresh" buttons need not wait for the timer). */
  pollSlots(): void {
    this.watcher.tick();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.watcher.stop();
    this.listeners.clear();
    this.sessions.closeAll();
    this.registry.close();
  }

  // ---- internals ---------------------------------------------------------------------------------

  private assertOpen(): void {
    if (this.closed) throw tokenError('TOKEN_ERROR', 'token service is closed');
  }

  private tokenDto(m: LoadedModule, slot: Handle, info: TokenInfo): TokenDto {
    const label = cleanLabel(info.label);
    const serial = info.serialNumber.trim();
    const ref = formatTokenRef({ module: m.path, label, serial });
    return {
      ref, label, serial,
      manufacturer: info.manufacturerID.trim(),
      model: info.model.trim(),
      module: m.path,
      slotId: slot.toString('hex'),
      loggedIn: this.sessions.current(ref)?.loggedIn ?? false,
      loginRequired: (info.flags & CK.CKF_LOGIN_REQUIRED) !== 0,
      protectedAuthPath: (info.flags & CK.CKF_PROTECTED_AUTHENTICATION_PATH) !== 0,
      ...pinFlags(info.flags),
    };
  }

  private dispatchSlotEvent(e: SlotEvent): void {
    const ref = formatTokenRef({ module: e.module, label: e.label, serial: e.serial });
    if (e.kind === 'removed') this.sessions.forgetRef(ref);
    for (const l of this.listeners) {
      try {
        l({ ...e, ref });
      } catch {
        // One broken subscriber must not stop the others.
      }
    }
  }
}
