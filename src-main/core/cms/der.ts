/**
 * Minimal DER writing: one tag-length-value from already-encoded contents. The CMS envelope is put
 * together from DER pieces (certificates as the token and the settings gave them, a SignerInfo from
 * pkijs) instead of round-tripping every certificate through pkijs for each signature.
 */
export function tlv(tag: number, ...contents: Uint8Array[]): Buffer {
  const length = contents.reduce((n, c) => n + c.byteLength, 0);
  return Buffer.concat([Buffer.from([tag]), lengthOctets(length), ...contents]);
}

function lengthOctets(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export const TAG = { INTEGER: 0x02, OID: 0x06, SEQUENCE: 0x30, SET: 0x31, CONTEXT_0: 0xa0 } as const;

/** A fresh ArrayBuffer holding exactly these bytes (asn1js and pkijs take ArrayBuffers). */
export function toArrayBuffer(b: Uint8Array): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}
