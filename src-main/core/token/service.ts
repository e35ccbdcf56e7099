import { createHash } from 'node:crypto';
import { AppError } from '../../contract/errors';
import type { KeySigner, SignatureAlgorithm } from '../crypto/signer';
import { detectModules } from './catalogue';
import { decodeCertificate, nameBytes, type CertificateFacts } from './cert-decode';
import { CKR_CODES, mapPkcs11Error, sessionLost, tokenError, TOKEN_VI } from './errors';
import { planSignature, ecdsaRawToDer } from './mechanisms';
import { pairCertificates, readCertificates, readPrivateKeys, type CertObject, type KeyObject } from './objects';
import { CK, isPkcs11Error, realPkcs11Factory, type Handle, type Pkcs11Factory, type TokenInfo } from './pkcs11-api';
import { ModuleRegistry, type LoadedModule } from './registry';
import { cleanLabel, SlotWatcher, type SlotEvent } from './slot-events';
import { formatTokenRef, parseTokenRef, type TokenAddress } from './token-ref';

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

export interface PinStatus { pinCountLow: boolean; pinFinalTry: boolean; pinLocked: boolean }

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

export interface TokenSignerOptions {
  /** Default: RSA_PKCS1_SHA256 for RSA keys, ECDSA_SHA256 for EC keys. */
  algorithm?: SignatureAlgorithm;
  /**
   * Asked before each signature with a CKA_ALWAYS_AUTHENTICATE key (the "signature PIN" of SafeNet
   * tokens). The returned Buffer is wiped after use.
   */
  pinCallback?: () => Promise<Buffer>;
  /** RSA PKCS#1 v1.5 only: host DigestInfo + CKM_RSA_PKCS (default) or CKM_SHA256_RSA_PKCS. */
  rsaMechanism?: 'raw' | 'combined';
}

export interface TokenSigner extends KeySigner {
  readonly tokenRef: string;
  readonly keyId: string;
  readonly mechanism: string;
  readonly alwaysAuthenticate: boolean;
}

export type SlotEventDto = SlotEvent & { ref: string };

interface TokenState {
  ref: string;
  addr: TokenAddress;
  module: LoadedModule;
  slot: Handle;
  session: Handle | null;
  loggedIn: boolean;
  /** Bumped at every login so signers notice their key handles may be stale. */
  loginGen: number;
  mechanisms: Set<number> | null;
  /** PKCS#11 sessions are not re-entrant: one operation at a time per token. */
  queue: Promise<unknown>;
}

const MAX_SIGN_INPUT = 16 * 1024 * 1024;
const MAX_PIN_BYTES = 256;
const MAX_CHAIN = 8;

export function openTokenService(opts: TokenServiceOptions = {}): TokenService {
  return new TokenService(opts);
}

export class TokenService {
  private readonly registry: ModuleRegistry;
  private readonly clock: () => Date;
  private readonly modulePaths: readonly string[];
  private readonly states = new Map<string, TokenState>();
  private readonly listeners = new Set<(e: SlotEventDto) => void>();
  private readonly watcher: SlotWatcher;
  private closed = false;

  constructor(opts: TokenServiceOptions) {
    this.registry = new ModuleRegistry(opts.pkcs11Factory ?? realPkcs11Factory);
    this.clock = opts.clock ?? (() => new Date());
    this.modulePaths = opts.modules ?? detectModules().map((m) => m.path);
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
    const st = this.state(ref);
    return pinFlags(this.guard(st, 'C_GetTokenInfo', () => st.module.p11.C_GetTokenInfo(st.slot)).flags);
  }

  /** Certificates on the token; readable without login where the token allows it. */
  listCertificates(ref: string): TokenCertificateDto[] {
    const st = this.state(ref);
    const p = st.module.p11;
    const session = this.session(st);
    const now = this.clock();
    return this.guard(st, 'list certificates', () => {
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

  /**
   * Logs in with a PIN held in a Buffer, wiped before this returns whatever happens. A wrong PIN is
   * reported with the token's counters; it is never retried here.
   */
  login(ref: string, pin: Buffer): void {
    try {
      const st = this.state(ref);
      const p = st.module.p11;
      const info = this.guard(st, 'C_GetTokenInfo', () => p.C_GetTokenInfo(st.slot));
      const flags = pinFlags(info.flags);
      if (flags.pinLocked) throw tokenError('TOKEN_LOCKED', 'CKF_USER_PIN_LOCKED set before login', { ...flags });
      const pinPad = (info.flags & CK.CKF_PROTECTED_AUTHENTICATION_PATH) !== 0 && pin.length === 0;
      if (!pinPad && (pin.length === 0 || pin.length > MAX_PIN_BYTES)) throw tokenError('TOKEN_PIN_INVALID', `PIN length ${pin.length} out of range`);
      const session = this.session(st);
      try {
        // pkcs11js takes the PIN as a JS string only: this copy lives until the next GC, which no
        // JS code can wipe. The Buffer, the one copy we hold on purpose, is wiped in `finally`.
        if (pinPad) p.C_Login(session, CK.CKU_USER);
        else p.C_Login(session, CK.CKU_USER, pin.toString('utf8'));
      } catch (e) {
        if (isPkcs11Error(e) && e.code === CK.CKR_USER_ALREADY_LOGGED_IN) {
          // Another part of this process logged in to the same token: the state is what we wanted.
        } else {
          throw this.loginFailure(st, e);
        }
      }
      st.loggedIn = true;
      st.loginGen++;
    } finally {
      pin.fill(0);
    }
  }

  logout(ref: string): void {
    const st = this.state(ref);
    const wasLoggedIn = st.loggedIn;
    st.loggedIn = false;
    st.loginGen++;
    if (!wasLoggedIn || !st.session) return;
    try {
      st.module.p11.C_Logout(st.session);
    } catch (e) {
      // Not logged in any more (token pulled) is the state logout wanted.
      if (isPkcs11Error(e) && (e.code === CK.CKR_USER_NOT_LOGGED_IN || sessionLost(e.code))) return;
      throw mapPkcs11Error(e, 'C_Logout');
    }
  }

  /** A KeySigner for the certificate with CKA_ID `keyIdHex`; the token must be logged in. */
  createTokenSigner(ref: string, keyIdHex: string, opts: TokenSignerOptions = {}): TokenSigner {
    if (!/^(?:[0-9a-fA-F]{2}){1,128}$/.test(keyIdHex)) throw new AppError('INPUT_INVALID', 'Mã khóa (CKA_ID) không hợp lệ.', 'key id is not hex');
    const keyId = keyIdHex.toLowerCase();
    const st = this.state(ref);
    if (!st.loggedIn) throw tokenError('TOKEN_NOT_LOGGED_IN', 'createTokenSigner before login');
    const p = st.module.p11;
    const session = this.session(st);
    const certs = this.guard(st, 'read certificates', () => readCertificates(p, session));
    const cert = certs.find((c) => c.id.toString('hex') === keyId);
    if (!cert) throw tokenError('TOKEN_KEY_NOT_FOUND', `no certificate with CKA_ID ${keyId}`, { keyId });
    const facts = decodeCertificate(cert.der);
    this.assertValidNow(facts);
    const findKey = (): KeyObject => {
      const keys = this.guard(st, 'read private keys', () => readPrivateKeys(p, session));
      const key = this.guard(st, 'pair key', () => pairCertificates(p, session, [cert], keys))[0]?.key;
      if (!key) throw tokenError('TOKEN_KEY_NOT_FOUND', `no private key for certificate CKA_ID ${keyId}`, { keyId });
      return key;
    };
    let key = findKey();
    let keyGen = st.loginGen;
    const algorithm = opts.algorithm ?? (facts.keyAlgorithm === 'EC' ? 'ECDSA_SHA256' : 'RSA_PKCS1_SHA256');
    const keyFits = facts.keyAlgorithm === 'EC' ? algorithm === 'ECDSA_SHA256' : facts.keyAlgorithm === 'RSA' && algorithm !== 'ECDSA_SHA256';
    if (!keyFits) throw tokenError('TOKEN_MECHANISM_UNSUPPORTED', `${algorithm} does not fit a ${facts.keyAlgorithm} key`, { algorithm });
    const plan = planSignature(algorithm, this.mechanisms(st), opts.rsaMechanism);
    const alwaysAuthenticate = key.alwaysAuthenticate === true;
    if (alwaysAuthenticate && !opts.pinCallback) {
      throw tokenError('TOKEN_NOT_LOGGED_IN', 'key has CKA_ALWAYS_AUTHENTICATE and no pinCallback was given', { alwaysAuthenticate: true });
    }
    const outLen = facts.keyAlgorithm === 'RSA' ? Math.ceil(facts.keySize / 8) : 2 * Math.ceil(facts.keySize / 8);
    const chain = buildChain(cert, certs);

    const sign = async (data: Buffer): Promise<Buffer> => {
      if (data.length > MAX_SIGN_INPUT) throw new AppError('INPUT_INVALID', 'Dữ liệu cần ký quá lớn.', `sign input ${data.length} bytes`);
      this.assertValidNow(facts);
      const live = this.states.get(ref);
      if (live !== st || !st.loggedIn) throw tokenError('TOKEN_NOT_LOGGED_IN', 'sign after logout or token loss');
      if (keyGen !== st.loginGen) {
        key = findKey();
        keyGen = st.loginGen;
      }
      const input = plan.input(data, () => createHash('sha256').update(data).digest());
      const run = async (): Promise<Buffer> => {
        const s = this.session(st);
        this.guard(st, 'C_SignInit', () => p.C_SignInit(s, plan.mechanism, key.handle));
        if (alwaysAuthenticate) {
          try {
            await this.contextLogin(st, s, opts.pinCallback!);
          } catch (e) {
            // A failed C_Login leaves the signing operation active (the next C_SignInit would get
            // CKR_OPERATION_ACTIVE); a C_Sign call, successful or not, is what ends it in v2.40.
            await p.C_SignAsync(s, input, Buffer.alloc(Math.max(outLen, 64))).catch(() => undefined);
            throw e;
          }
        }
        let sig: Buffer;
        try {
          sig = await p.C_SignAsync(s, input, Buffer.alloc(Math.max(outLen, 64)));
        } catch (e) {
          throw this.lost(st, e, 'C_Sign');
        }
        return plan.rawEcdsa ? ecdsaRawToDer(sig) : Buffer.from(sig);
      };
      const result = st.queue.then(run, run);
      st.queue = result.catch(() => undefined);
      return result;
    };

    return { tokenRef: ref, keyId, mechanism: plan.name, alwaysAuthenticate, certificate: cert.der, chain, algorithm, sign };
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
    for (const st of this.states.values()) this.closeSession(st);
    this.states.clear();
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
      loggedIn: this.states.get(ref)?.loggedIn ?? false,
      loginRequired: (info.flags & CK.CKF_LOGIN_REQUIRED) !== 0,
      protectedAuthPath: (info.flags & CK.CKF_PROTECTED_AUTHENTICATION_PATH) !== 0,
      ...pinFlags(info.flags),
    };
  }

  /** The live state of a token, found by label + serial on first use. */
  private state(ref: string): TokenState {
    this.assertOpen();
    const cached = this.states.get(ref);
    if (cached) return cached;
    const addr = parseTokenRef(ref);
    const module = this.registry.get(addr.module);
    const slots = (() => {
      try {
        return module.p11.C_GetSlotList(true);
      } catch (e) {
        throw mapPkcs11Error(e, 'C_GetSlotList');
      }
    })();
    let moduleFault: unknown = null;
    for (const slot of slots) {
      let info: TokenInfo;
      try {
        info = module.p11.C_GetTokenInfo(slot);
      } catch (e) {
        // A token leaving is absence; anything else (the module itself failing) must say so.
        if (!isPkcs11Error(e)) moduleFault ??= e;
        continue;
      }
      if (cleanLabel(info.label) === addr.label && (addr.serial === '' || info.serialNumber.trim() === addr.serial)) {
        const st: TokenState = { ref, addr, module, slot, session: null, loggedIn: false, loginGen: 0, mechanisms: null, queue: Promise.resolve() };
        this.states.set(ref, st);
        return st;
      }
    }
    if (moduleFault !== null) throw mapPkcs11Error(moduleFault, 'C_GetTokenInfo');
    throw tokenError('TOKEN_ABSENT', `token ${JSON.stringify(addr.label)} serial ${addr.serial} not present in ${addr.module}`);
  }

  private session(st: TokenState): Handle {
    if (st.session) return st.session;
    st.session = this.guard(st, 'C_OpenSession', () => st.module.p11.C_OpenSession(st.slot, CK.CKF_SERIAL_SESSION));
    return st.session;
  }

  private mechanisms(st: TokenState): Set<number> {
    if (!st.mechanisms) {
      try {
        st.mechanisms = new Set(st.module.p11.C_GetMechanismList(st.slot));
      } catch {
        st.mechanisms = new Set(); // unknown: try the preferred mechanism and let C_SignInit say
      }
    }
    return st.mechanisms;
  }

  /** Runs a PKCS#11 call; a lost session or token drops the cached state (and with it the login). */
  private guard<T>(st: TokenState, context: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw this.lost(st, e, context);
    }
  }

  private lost(st: TokenState, e: unknown, context: string): AppError {
    if (isPkcs11Error(e) && sessionLost(e.code)) this.forget(st);
    return mapPkcs11Error(e, context);
  }

  private forget(st: TokenState): void {
    if (this.states.get(st.ref) === st) this.states.delete(st.ref);
    st.loggedIn = false;
    st.loginGen++;
    this.closeSession(st);
  }

  private closeSession(st: TokenState): void {
    if (!st.session) return;
    try {
      st.module.p11.C_CloseSession(st.session);
    } catch {
      // Session already gone with its token.
    }
    st.session = null;
  }

  private loginFailure(st: TokenState, e: unknown): AppError {
    if (isPkcs11Error(e) && (e.code === CKR_CODES.PIN_INCORRECT || e.code === CKR_CODES.PIN_LOCKED)) {
      // The counters after the failure are what the clerk must see before trying again.
      let flags: PinStatus = { pinCountLow: false, pinFinalTry: false, pinLocked: false };
      try {
        flags = pinFlags(st.module.p11.C_GetTokenInfo(st.slot).flags);
      } catch {
        // Counters unavailable: report without them.
      }
      if (e.code === CKR_CODES.PIN_LOCKED) flags.pinLocked = true;
      const detail = `C_Login returned ${e.message}`;
      if (flags.pinLocked) return tokenError('TOKEN_LOCKED', detail, { ...flags }, e);
      const vi = flags.pinFinalTry ? TOKEN_VI.TOKEN_PIN_INCORRECT_FINAL : TOKEN_VI.TOKEN_PIN_INCORRECT;
      return new AppError('TOKEN_PIN_INCORRECT', vi, detail, { ...flags }, { cause: e });
    }
    return this.lost(st, e, 'C_Login');
  }

  /** CKA_ALWAYS_AUTHENTICATE: the PIN again, between C_SignInit and C_Sign. */
  private async contextLogin(st: TokenState, session: Handle, ask: () => Promise<Buffer>): Promise<void> {
    const pin = await ask();
    try {
      st.module.p11.C_Login(session, CK.CKU_CONTEXT_SPECIFIC, pin.toString('utf8'));
    } catch (e) {
      if (isPkcs11Error(e) && (e.code === CKR_CODES.PIN_INCORRECT || e.code === CKR_CODES.PIN_LOCKED)) throw this.loginFailure(st, e);
      throw this.lost(st, e, 'C_Login(CKU_CONTEXT_SPECIFIC)');
    } finally {
      pin.fill(0);
    }
  }

  private assertValidNow(facts: CertificateFacts): void {
    const now = this.clock().getTime();
    if (now > Date.parse(facts.notAfter)) throw tokenError('TOKEN_CERT_EXPIRED', `certificate expired ${facts.notAfter}`, { notAfter: facts.notAfter });
    if (now < Date.parse(facts.notBefore)) throw tokenError('TOKEN_CERT_NOT_YET_VALID', `certificate valid from ${facts.notBefore}`, { notBefore: facts.notBefore });
  }

  private dispatchSlotEvent(e: SlotEvent): void {
    const ref = formatTokenRef({ module: e.module, label: e.label, serial: e.serial });
    if (e.kind === 'removed') {
      const st = this.states.get(ref);
      if (st) this.forget(st);
    }
    for (const l of this.listeners) {
      try {
        l({ ...e, ref });
      } catch {
        // One broken subscriber must not stop the others.
      }
    }
  }
}

function pinFlags(flags: number): PinStatus {
  return {
    pinCountLow: (flags & CK.CKF_USER_PIN_COUNT_LOW) !== 0,
    pinFinalTry: (flags & CK.CKF_USER_PIN_FINAL_TRY) !== 0,
    pinLocked: (flags & CK.CKF_USER_PIN_LOCKED) !== 0,
  };
}

/** Issuers found on the token itself, nearest first, by exact name bytes; bounded and loop-safe. */
function buildChain(leaf: CertObject, all: CertObject[]): Buffer[] {
  const names = new Map<CertObject, { subject: Buffer; issuer: Buffer }>();
  const nameOf = (c: CertObject) => {
    let n = names.get(c);
    if (!n) {
      try {
        n = nameBytes(c.der);
      } catch {
        n = { subject: Buffer.alloc(0), issuer: Buffer.alloc(1) };
      }
      names.set(c, n);
    }
    return n;
  };
  const chain: Buffer[] = [];
  let current = leaf;
  for (let i = 0; i < MAX_CHAIN; i++) {
    const { subject, issuer } = nameOf(current);
    if (subject.equals(issuer)) break; // self-signed: the root
    const next = all.find((c) => c !== current && c !== leaf && !chain.includes(c.der) && nameOf(c).subject.equals(issuer));
    if (!next) break;
    chain.push(next.der);
    current = next;
  }
  return chain;
}
