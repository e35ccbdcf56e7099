import { AppError } from '../../contract/errors';
import { CKR_CODES, mapPkcs11Error, sessionLost, tokenError, TOKEN_VI } from './errors';
import { CK, isPkcs11Error, type Handle, type TokenInfo } from './pkcs11-api';
import type { LoadedModule, ModuleRegistry } from './registry';
import { cleanLabel } from './slot-events';
import { parseTokenRef, type TokenAddress } from './token-ref';

export interface PinStatus { pinCountLow: boolean; pinFinalTry: boolean; pinLocked: boolean }

/** What the core holds for one token between calls: one session, the login, one queue. */
export interface TokenState {
  ref: string;
  addr: TokenAddress;
  module: LoadedModule;
  slot: Handle;
  session: Handle | null;
  loggedIn: boolean;
  /** Bumped at every login and logout so signers notice their key handles may be stale. */
  loginGen: number;
  mechanisms: Set<number> | null;
  /** PKCS#11 sessions are not re-entrant: one operation at a time per token. */
  queue: Promise<unknown>;
  /** Operations queued or running on `queue`. */
  busy: number;
}

const MAX_PIN_BYTES = 256;

export function pinFlags(flags: number): PinStatus {
  return {
    pinCountLow: (flags & CK.CKF_USER_PIN_COUNT_LOW) !== 0,
    pinFinalTry: (flags & CK.CKF_USER_PIN_FINAL_TRY) !== 0,
    pinLocked: (flags & CK.CKF_USER_PIN_LOCKED) !== 0,
  };
}

const isPinFailure = (e: unknown) => isPkcs11Error(e) && (e.code === CKR_CODES.PIN_INCORRECT || e.code === CKR_CODES.PIN_LOCKED);

/**
 * Token states by reference: finds a token by label + serial on first use, keeps one session per
 * token, owns login and logout, and forgets everything about a token whose session or device is gone.
 */
export class TokenSessions {
  private readonly states = new Map<string, TokenState>();

  /**
   * @param isAllowedModule A token reference names its library; only libraries the workstation was
   * configured with (or detected) may be loaded from one, or any caller of the API could make the
   * backend dlopen a library of its choosing and run its code.
   */
  constructor(
    private readonly registry: ModuleRegistry,
    private readonly isAllowedModule: (path: string) => boolean,
  ) {}

  current(ref: string): TokenState | undefined {
    return this.states.get(ref);
  }

  resolve(ref: string): TokenState {
    const cached = this.states.get(ref);
    if (cached) return cached;
    const addr = parseTokenRef(ref);
    if (!this.isAllowedModule(addr.module)) {
      throw new AppError('TOKEN_LIBRARY_INVALID', 'Thư viện PKCS#11 này không nằm trong danh sách được phép trên máy trạm.', `token reference names a module outside the allowed list: ${addr.module.slice(0, 300)}`);
    }
    const module = this.registry.get(addr.module);
    let slots: Handle[];
    try {
      slots = module.p11.C_GetSlotList(true);
    } catch (e) {
      throw mapPkcs11Error(e, 'C_GetSlotList');
    }
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
        const st: TokenState = { ref, addr, module, slot, session: null, loggedIn: false, loginGen: 0, mechanisms: null, queue: Promise.resolve(), busy: 0 };
        this.states.set(ref, st);
        return st;
      }
    }
    if (moduleFault !== null) throw mapPkcs11Error(moduleFault, 'C_GetTokenInfo');
    throw tokenError('TOKEN_ABSENT', `token ${JSON.stringify(addr.label)} serial ${addr.serial} not present in ${addr.module}`);
  }

  session(st: TokenState): Handle {
    if (st.session) return st.session;
    st.session = this.guard(st, 'C_OpenSession', () => st.module.p11.C_OpenSession(st.slot, CK.CKF_SERIAL_SESSION));
    return st.session;
  }

  mechanisms(st: TokenState): Set<number> {
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
  guard<T>(st: TokenState, context: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw this.lost(st, e, context);
    }
  }

  lost(st: TokenState, e: unknown, context: string): AppError {
    if (isPkcs11Error(e) && sessionLost(e.code)) this.forget(st);
    return mapPkcs11Error(e, context);
  }

  forget(st: TokenState): void {
    if (this.states.get(st.ref) === st) this.states.delete(st.ref);
    st.loggedIn = false;
    st.loginGen++;
    this.closeSession(st);
  }

  forgetRef(ref: string): void {
    const st = this.states.get(ref);
    if (st) this.forget(st);
  }

  closeAll(): void {
    for (const st of this.states.values()) this.closeSession(st);
    this.states.clear();
  }

  pinStatus(ref: string): PinStatus {
    const st = this.resolve(ref);
    return pinFlags(this.guard(st, 'C_GetTokenInfo', () => st.module.p11.C_GetTokenInfo(st.slot)).flags);
  }

  /**
   * Logs in with a PIN held in a Buffer, wiped before this returns whatever happens. A wrong PIN is
   * reported with the token's counters; it is never retried here.
   */
  login(ref: string, pin: Buffer): void {
    try {
      const st = this.resolve(ref);
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
        // Already logged in (another part of this process did it) is the state we wanted.
        if (!(isPkcs11Error(e) && e.code === CK.CKR_USER_ALREADY_LOGGED_IN)) throw this.loginFailure(st, e);
      }
      st.loggedIn = true;
      st.loginGen++;
    } finally {
      pin.fill(0);
    }
  }

  logout(ref: string): void {
    const st = this.resolve(ref);
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

  /** CKA_ALWAYS_AUTHENTICATE: the PIN again, between C_SignInit and C_Sign. */
  async contextLogin(st: TokenState, session: Handle, ask: () => Promise<Buffer>): Promise<void> {
    const pin = await ask();
    try {
      st.module.p11.C_Login(session, CK.CKU_CONTEXT_SPECIFIC, pin.toString('utf8'));
    } catch (e) {
      if (isPinFailure(e)) throw this.loginFailure(st, e);
      throw this.lost(st, e, 'C_Login(CKU_CONTEXT_SPECIFIC)');
    } finally {
      pin.fill(0);
    }
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
    if (!isPinFailure(e) || !isPkcs11Error(e)) return this.lost(st, e, 'C_Login');
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
}
