import { createHash } from 'node:crypto';
import * as pkijs from 'pkijs';
import { completeChain } from './chain';
import { toArrayBuffer } from './der';

/**
 * Parsed forms of the few certificates a workstation signs with, kept per DER buffer: a batch makes
 * hundreds of signatures with one certificate, and decoding it (and verifying its chain links) each
 * time is measurable next to a token signature.
 */
const parsed = new WeakMap<Buffer, pkijs.Certificate>();

export function parsedCertificate(der: Buffer): pkijs.Certificate {
  let c = parsed.get(der);
  if (!c) {
    c = pkijs.Certificate.fromBER(toArrayBuffer(der));
    parsed.set(der, c);
  }
  return c;
}

const chains = new Map<string, Buffer[]>();
const CHAINS_MAX = 16;

/** completeChain, remembered by the content of its inputs. */
export function cachedChain(signerCert: Buffer, given: readonly Buffer[], pool: readonly Buffer[]): Buffer[] {
  const h = createHash('sha256');
  for (const b of [signerCert, ...given, Buffer.alloc(1), ...pool]) h.update(String(b.byteLength)).update(b);
  const key = h.digest('hex');
  let chain = chains.get(key);
  if (!chain) {
    chain = completeChain(signerCert, given, pool);
    chains.set(key, chain);
    if (chains.size > CHAINS_MAX) chains.delete(chains.keys().next().value!);
  }
  return chain;
}
