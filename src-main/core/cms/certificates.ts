import { createHash } from 'node:crypto';
import { completeChain } from './chain';

const chains = new Map<string, Buffer[]>();
const CHAINS_MAX = 16;

/**
 * completeChain, remembered by the content of its inputs: a batch makes hundreds of signatures with
 * one certificate, and building its chain (verifying each link) every time is measurable next to a
 * token signature.
 */
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
