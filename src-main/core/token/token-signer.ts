import { createHash } from 'node:crypto';
import { AppError, isAppError } from '../../contract/errors';
import type { BatchPin } from './batch-pin';
import type { KeySigner, SignatureAlgorithm } from '../crypto/signer';
import { decodeCertificate, nameBytes, type CertificateFacts } from './cert-decode';
import { tokenError } from './errors';
import { ecdsaRawToDer, planSignature } from './mechanisms';
import { pairCertificates, readCertificates, readPrivateKeys, type CertObject, type KeyObject } from './objects';
import type { TokenSessions } from './sessions';

export interface TokenSignerOptions {
  /** Default: RSA_PKCS1_SHA256 for RSA keys, ECDSA_SHA256 for EC keys. */
  algorithm?: SignatureAlgorithm;
  /**
   * Asked before each signature with a CKA_ALWAYS_AUTHENTICATE key (the "signature PIN" of SafeNet
   * tokens). The returned Buffer is wiped after use.
   */
  pinCallback?: () => Promise<Buffer>;
  /**
   * The signature PIN for a whole batch (batch-pin.ts): asked once, replayed to every context login,
   * forgotten when the token refuses it. Takes the place of pinCallback.
   */
  contextPin?: BatchPin;
  /** RSA PKCS#1 v1.5 only: host DigestInfo + CKM_RSA_PKCS (default) or CKM_SHA256_RSA_PKCS. */
  rsaMechanism?: 'raw' | 'combined';
}

export interface TokenSigner extends KeySigner {
  readonly tokenRef: string;
  readonly keyId: string;
  readonly mechanism: string;
  readonly alwaysAuthenticate: boolean;
}

const MAX_SIGN_INPUT = 16 * 1024 * 1024;
const MAX_CHAIN = 8;

export function assertValidAt(facts: CertificateFacts, now: Date, bounds = validityOf(facts)): void {
  const t = now.getTime();
  if (t > bounds.notAfter) throw tokenError('TOKEN_CERT_EXPIRED', `certificate expired ${facts.notAfter}`, { notAfter: facts.notAfter });
  if (t < bounds.notBefore) throw tokenError('TOKEN_CERT_NOT_YET_VALID', `certificate valid from ${facts.notBefore}`, { notBefore: facts.notBefore });
}

const validityOf = (facts: CertificateFacts) => ({ notBefore: Date.parse(facts.notBefore), notAfter: Date.parse(facts.notAfter) });

/** A KeySigner for the certificate with CKA_ID `keyIdHex` on a logged-in token. */
export function createTokenSigner(sessions: TokenSessions, clock: () => Date, ref: string, keyIdHex: string, opts: TokenSignerOptions = {}): TokenSigner {
  if (!/^(?:[0-9a-fA-F]{2}){1,128}$/.test(keyIdHex)) throw new AppError('INPUT_INVALID', 'Mã khóa (CKA_ID) không hợp lệ.', 'key id is not hex');
  const keyId = keyIdHex.toLowerCase();
  const st = sessions.resolve(ref);
  if (!st.loggedIn) throw tokenError('TOKEN_NOT_LOGGED_IN', 'createTokenSigner before login');
  const p = st.module.p11;
  const certs = sessions.guard(st, 'read certificates', () => readCertificates(p, sessions.session(st)));
  const cert = certs.find((c) => c.id.toString('hex') === keyId);
  if (!cert) throw tokenError('TOKEN_KEY_NOT_FOUND', `no certificate with CKA_ID ${keyId}`, { keyId });
  const facts = decodeCertificate(cert.der);
  assertValidAt(facts, clock());
  const findKey = (): KeyObject => {
    const s = sessions.session(st);
    const keys = sessions.guard(st, 'read private keys', () => readPrivateKeys(p, s));
    const key = sessions.guard(st, 'pair key', () => pairCertificates(p, s, [cert], keys))[0]?.key;
    if (!key) throw tokenError('TOKEN_KEY_NOT_FOUND', `no private key for certificate CKA_ID ${keyId}`, { keyId });
    return key;
  };
  let key = findKey();
  let keyGen = st.loginGen;
  const algorithm = opts.algorithm ?? (facts.keyAlgorithm === 'EC' ? 'ECDSA_SHA256' : 'RSA_PKCS1_SHA256');
  const keyFits = facts.keyAlgorithm === 'EC' ? algorithm === 'ECDSA_SHA256' : facts.keyAlgorithm === 'RSA' && algorithm !== 'ECDSA_SHA256';
  if (!keyFits) throw tokenError('TOKEN_MECHANISM_UNSUPPORTED', `${algorithm} does not fit a ${facts.keyAlgorithm} key`, { algorithm });
  const plan = planSignature(algorithm, sessions.mechanisms(st), opts.rsaMechanism);
  const alwaysAuthenticate = key.alwaysAuthenticate === true;
  const batchPin = opts.contextPin;
  const pinCallback = batchPin ? () => batchPin.next() : opts.pinCallback;
  if (alwaysAuthenticate && !pinCallback) {
    throw tokenError('TOKEN_NOT_LOGGED_IN', 'key has CKA_ALWAYS_AUTHENTICATE and no pinCallback was given', { alwaysAuthenticate: true });
  }
  // Sized from the certificate's key, with room for modules that want a little more.
  const outLen = Math.max(64, facts.keyAlgorithm === 'RSA' ? Math.ceil(facts.keySize / 8) : 2 * Math.ceil(facts.keySize / 8));

  const signOnce = async (input: Buffer): Promise<Buffer> => {
    const s = sessions.session(st);
    sessions.guard(st, 'C_SignInit', () => p.C_SignInit(s, plan.mechanism, key.handle));
    if (alwaysAuthenticate && pinCallback) {
      try {
        await sessions.contextLogin(st, s, pinCallback);
      } catch (e) {
        if (isAppError(e) && (e.code === 'TOKEN_PIN_INCORRECT' || e.code === 'TOKEN_LOCKED')) batchPin?.refused();
        // A failed C_Login leaves the signing operation active (the next C_SignInit would get
        // CKR_OPERATION_ACTIVE); a C_Sign call, successful or not, is what ends it in v2.40.
        await p.C_SignAsync(s, input, Buffer.alloc(outLen)).catch(() => undefined);
        throw e;
      }
    }
    let sig: Buffer;
    try {
      sig = await p.C_SignAsync(s, input, Buffer.alloc(outLen));
    } catch (e) {
      throw sessions.lost(st, e, 'C_Sign');
    }
    // The output buffer is this call's own: no copy needed.
    return plan.rawEcdsa ? ecdsaRawToDer(sig) : sig;
  };
  const done = () => { st.busy--; };

  // Checked at every signature (a long batch may outlive the certificate), so parsed once.
  const validity = validityOf(facts);
  const sign = (data: Buffer): Promise<Buffer> => {
    if (data.length > MAX_SIGN_INPUT) return Promise.reject(new AppError('INPUT_INVALID', 'Dữ liệu cần ký quá lớn.', `sign input ${data.length} bytes`));
    try {
      assertValidAt(facts, clock(), validity);
    } catch (e) {
      return Promise.reject(e);
    }
    if (sessions.current(ref) !== st || !st.loggedIn) return Promise.reject(tokenError('TOKEN_NOT_LOGGED_IN', 'sign after logout or token loss'));
    if (keyGen !== st.loginGen) {
      key = findKey();
      keyGen = st.loginGen;
    }
    const input = plan.input(data, () => createHash('sha256').update(data).digest());
    const run = () => signOnce(input);
    // One operation at a time per token; an idle token starts at once (no hop through the queue).
    const result = st.busy === 0 ? run() : st.queue.then(run, run);
    st.busy++;
    st.queue = result.then(done, done);
    return result;
  };

  return { tokenRef: ref, keyId, mechanism: plan.name, alwaysAuthenticate, certificate: cert.der, chain: buildChain(cert, certs), algorithm, sign };
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
  const chain: CertObject[] = [];
  let current = leaf;
  for (let i = 0; i < MAX_CHAIN; i++) {
    const { subject, issuer } = nameOf(current);
    if (subject.equals(issuer)) break; // self-signed: the root
    const next = all.find((c) => c !== leaf && !chain.includes(c) && nameOf(c).subject.equals(issuer));
    if (!next) break;
    chain.push(next);
    current = next;
  }
  return chain.map((c) => c.der);
}
