import { X509Certificate } from 'node:crypto';

/**
 * Node's parse of a certificate, kept per buffer: a signer hands the same certificate buffer to every
 * call of an issue (its validity, its name), and each parse costs ≈ 0.5 ms before the first signature.
 */
const parsed = new WeakMap<Buffer, X509Certificate>();

export function x509Of(der: Buffer): X509Certificate {
  let x = parsed.get(der);
  if (!x) parsed.set(der, (x = new X509Certificate(der)));
  return x;
}
