import { createHash, type Hash } from 'node:crypto';

/** Digest algorithms by OID (RFC 5754, RFC 8419 for SHAKE256 as used with Ed448). */
const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.8': 'sha3-256',
  '2.16.840.1.101.3.4.2.9': 'sha3-384',
  '2.16.840.1.101.3.4.2.10': 'sha3-512',
  '2.16.840.1.101.3.4.2.12': 'shake256',
};

export function digestName(oid: string): string | null { return DIGESTS[oid] ?? null; }

/** A fresh hash; SHAKE256 is fixed at 512 bits of output, the length RFC 8419 gives it in CMS. */
export function newHash(name: string): Hash {
  return name === 'shake256' ? createHash(name, { outputLength: 64 }) : createHash(name);
}

export function hashOf(name: string, ...chunks: Uint8Array[]): Buffer {
  const h = newHash(name);
  for (const c of chunks) h.update(c);
  return h.digest();
}
