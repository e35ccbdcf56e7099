import pkcs11js from 'pkcs11js';
import type { Pkcs11Factory } from '../../src-main/core/token';
import { ckr, fakeFactory } from '../pkcs11/fake-module';

/**
 * A model of a real USB token over SoftHSM: SoftHSM signs RSA-2048 in about a millisecond, a USB
 * token in roughly 50–300 ms, during which the host waits (the card computes). A C_Sign here takes the
 * delay, with SoftHSM's signing inside it as the card's computing is inside a real token's time:
 * added after the delay, SoftHSM's RSA (1–3 ms a signature, more when the host is busy) counted as
 * the host's overhead against a floor of `signatures × delay`. Optionally every
 * private key asks for context-specific login (CKA_ALWAYS_AUTHENTICATE, the "signature PIN"): C_Sign
 * fails unless C_Login(CKU_CONTEXT_SPECIFIC) with the right PIN came after its C_SignInit, and, as on
 * real tokens, the failed C_Sign ends the operation.
 */
export interface SlowTokenOptions {
  /** How long each C_Sign takes at least (ms), SoftHSM's own signing included. */
  signDelayMs?: number;
  alwaysAuthenticate?: boolean;
  /** The PIN a context-specific login must carry. */
  pin: string;
}

export interface SlowTokenCounters {
  /** C_Sign calls that returned a signature. */
  signs: number;
  /** C_Login(CKU_USER): the token session's login. */
  userLogins: number;
  /** C_Login(CKU_CONTEXT_SPECIFIC), right or wrong: on a PIN-pad reader each is a prompt. */
  contextLogins: number;
  /** Wall time spent inside C_Sign, delay included (ms). */
  tokenMs: number;
}

export const DEFAULT_SIGN_DELAY_MS = 150;

export function slowToken(opts: SlowTokenOptions): { factory: Pkcs11Factory; counters: SlowTokenCounters; reset(): void } {
  const delay = opts.signDelayMs ?? DEFAULT_SIGN_DELAY_MS;
  const counters: SlowTokenCounters = { signs: 0, userLogins: 0, contextLogins: 0, tokenMs: 0 };
  // Per session: a C_SignInit waiting for its context login.
  const awaitingContext = new Set<string>();
  const factory = fakeFactory({
    C_GetAttributeValue: (real, session, object, template) => {
      const answer = real.C_GetAttributeValue(session, object, template);
      if (!opts.alwaysAuthenticate) return answer;
      return answer.map((a) => (a.type === pkcs11js.CKA_ALWAYS_AUTHENTICATE ? { ...a, value: Buffer.from([1]) } : a));
    },
    C_SignInit: (real, session, mechanism, key) => {
      real.C_SignInit(session, mechanism, key);
      if (opts.alwaysAuthenticate) awaitingContext.add(session.toString('hex'));
    },
    C_Login: (real, session, userType, pin) => {
      if (userType !== pkcs11js.CKU_CONTEXT_SPECIFIC) {
        real.C_Login(session, userType, pin);
        counters.userLogins++;
        return;
      }
      counters.contextLogins++;
      if (!awaitingContext.has(session.toString('hex'))) throw ckr('CKR_OPERATION_NOT_INITIALIZED', 'C_Login');
      if (pin !== opts.pin) throw ckr('CKR_PIN_INCORRECT', 'C_Login');
      awaitingContext.delete(session.toString('hex'));
    },
    C_SignAsync: async (real, session, input, output) => {
      const t0 = performance.now();
      try {
        const [signature] = await Promise.all([real.C_SignAsync(session, input, output), new Promise((resolve) => setTimeout(resolve, delay))]);
        if (awaitingContext.delete(session.toString('hex'))) throw ckr('CKR_USER_NOT_LOGGED_IN', 'C_Sign');
        counters.signs++;
        return signature;
      } finally {
        counters.tokenMs += performance.now() - t0;
      }
    },
  });
  const reset = () => Object.assign(counters, { signs: 0, userLogins: 0, contextLogins: 0, tokenMs: 0 });
  return { factory, counters, reset };
}
