/**
 * Minimal DER writing: one tag-length-value from already-encoded contents, and object identifiers.
 * The CMS a signature carries is put together from DER pieces (certificates as the token and the
 * settings gave them, names and serials as the certificate holds them) instead of building objects
 * in an ASN.1 library and serialising them for every signature.
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

export const TAG = {
  INTEGER: 0x02, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06, SEQUENCE: 0x30, SET: 0x31,
  CONTEXT_0: 0xa0, CONTEXT_1: 0xa1, CONTEXT_2: 0xa2, CONTEXT_4: 0xa4,
} as const;

const oids = new Map<string, Buffer>();

/** The DER OBJECT IDENTIFIER of a dotted OID (the builder's own constants; anything else throws). */
export function oid(dotted: string): Buffer {
  let der = oids.get(dotted);
  if (der) return der;
  const arcs = dotted.split('.').map((a) => (/^\d{1,15}$/.test(a) ? Number(a) : NaN));
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a)) || arcs[0]! > 2 || (arcs[0]! < 2 && arcs[1]! > 39)) throw new Error(`not an OID: ${dotted}`);
  const body: number[] = [];
  for (const arc of [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)]) {
    const base128: number[] = [arc % 128];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) base128.unshift(0x80 | (v % 128));
    body.push(...base128);
  }
  der = tlv(TAG.OID, Buffer.from(body));
  oids.set(dotted, der);
  return der;
}

/** A fresh ArrayBuffer holding exactly these bytes (asn1js and pkijs take ArrayBuffers). */
export function toArrayBuffer(b: Uint8Array): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}
