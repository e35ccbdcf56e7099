import * as asn1js from 'asn1js';

/**
 * asn1js caps a parse at 10,000 nodes by default, which a CMS carrying a real CRL (tens of thousands
 * of revoked entries, ~5 bytes a node) exceeds. The bound here scales with the input instead: a node
 * takes at least two bytes, and real structures average more than four, so `length / 4` admits every
 * genuine blob while keeping hostile all-tiny-node input to a quarter of its worst case. The input
 * size itself is capped by the callers (CMS in byterange.ts, fetched CRLs in revocation.ts).
 */
export function berNodeLimit(byteLength: number): number {
  return Math.max(10_000, Math.ceil(byteLength / 4));
}

/** `maxNodes`: a caller that parses part of a blob passes what is left of the whole blob's limit. */
export function parseBer(bytes: Uint8Array, maxNodes = berNodeLimit(bytes.byteLength)): ReturnType<typeof asn1js.fromBER> {
  return asn1js.fromBER(bytes, { maxNodes });
}
