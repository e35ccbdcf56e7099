/**
 * Reading DER straight from the bytes: tag-length-value walking and the few primitive types that
 * certificates and CMS envelopes need (OIDs, strings, times). asn1js/pkijs match every structure
 * against a schema and spend milliseconds per certificate on a cold start; the callers that only read
 * fields use this instead and fall back to the full parser (or refuse) where it returns null.
 * Strict: single-byte tags and definite lengths only, every element inside its parent.
 */

export interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the contents. */
  body: number;
  /** Offset just past the contents. */
  end: number;
}

/** One tag-length-value at `at` inside [at, limit); null for what DER does not allow or we do not read. */
export function tlv(b: Uint8Array, at: number, limit: number): Tlv | null {
  if (at + 2 > limit) return null;
  const tag = b[at]!;
  if ((tag & 0x1f) === 0x1f) return null; // multi-byte tags: not in the structures read here
  let len = b[at + 1]!;
  let p = at + 2;
  if (len === 0x80) return null; // BER indefinite length
  if (len > 0x80) {
    const n = len & 0x7f;
    if (n > 4 || p + n > limit) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p++]!;
  }
  return p + len > limit ? null : { tag, start: at, body: p, end: p + len };
}

/** The elements inside a constructed one, at most `max`; null when they do not tile it exactly. */
export function children(b: Uint8Array, parent: Tlv, max = 64): Tlv[] | null {
  const out: Tlv[] = [];
  for (let at = parent.body; at < parent.end; ) {
    const t = tlv(b, at, parent.end);
    if (!t || out.length >= max) return null;
    out.push(t);
    at = t.end;
  }
  return out;
}

/**
 * How many elements `t` and everything inside it count, walking into every constructed element; null
 * when one's contents do not tile it, the nesting passes `maxDepth`, or the count passes `budget`.
 */
export function subtreeNodes(b: Uint8Array, t: Tlv, maxDepth: number, budget: number): number | null {
  const walk: Walk = { b, maxDepth, budget, count: 0 };
  return walkTree(walk, t, 1) ? walk.count : null;
}

interface Walk { readonly b: Uint8Array; readonly maxDepth: number; readonly budget: number; count: number }

/** subtreeNodes' recursion: a module function, not a closure made per call, so V8 keeps its optimized code between calls. */
function walkTree(w: Walk, e: Tlv, depth: number): boolean {
  if (++w.count > w.budget || depth > w.maxDepth) return false;
  if ((e.tag & 0x20) === 0) return true;
  for (let at = e.body; at < e.end; ) {
    const c = tlv(w.b, at, e.end);
    if (!c || !walkTree(w, c, depth + 1)) return false;
    at = c.end;
  }
  return true;
}

/** The whole element (tag and length included), sharing memory with `b`. */
export const element = (b: Uint8Array, t: Tlv): Buffer => Buffer.from(b.buffer, b.byteOffset + t.start, t.end - t.start);

/** The element's contents, sharing memory with `b`. */
export const contents = (b: Uint8Array, t: Tlv): Buffer => Buffer.from(b.buffer, b.byteOffset + t.body, t.end - t.body);

export const DER = { BOOLEAN: 0x01, INTEGER: 0x02, BIT_STRING: 0x03, OCTET_STRING: 0x04, OID: 0x06, SEQUENCE: 0x30, SET: 0x31, UTC_TIME: 0x17, GENERALIZED_TIME: 0x18 } as const;

/** Dotted form of an OBJECT IDENTIFIER's contents; null when malformed. */
export function oidText(b: Uint8Array, t: Tlv): string | null {
  if (t.tag !== DER.OID || t.end === t.body) return null;
  const arcs: number[] = [];
  let v = 0;
  for (let p = t.body; p < t.end; p++) {
    const byte = b[p]!;
    if (v === 0 && byte === 0x80) return null; // non-minimal arc
    v = v * 128 + (byte & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 128) return null;
    if (byte & 0x80) continue;
    if (arcs.length === 0) arcs.push(v < 40 ? 0 : v < 80 ? 1 : 2, v < 80 ? v % 40 : v - 80);
    else arcs.push(v);
    v = 0;
  }
  return (b[t.end - 1]! & 0x80) === 0 ? arcs.join('.') : null;
}

const utf8 = new TextDecoder('utf-8');

/**
 * A directory string's text as asn1js gives it: UTF8String as UTF-8, BMPString as UTF-16BE,
 * UniversalString as UTF-32BE, the 8-bit types (Printable, IA5, Teletex, Visible, Numeric) one
 * character per byte; null for any other type.
 */
export function stringText(b: Uint8Array, t: Tlv): string | null {
  const body = b.subarray(t.body, t.end);
  switch (t.tag) {
    case 0x0c: return utf8.decode(body);
    case 0x12: case 0x13: case 0x14: case 0x16: case 0x1a: return Buffer.from(body).toString('latin1');
    case 0x1e: {
      let s = '';
      for (let i = 0; i + 1 < body.length; i += 2) s += String.fromCharCode((body[i]! << 8) | body[i + 1]!);
      return s;
    }
    case 0x1c: {
      let s = '';
      for (let i = 0; i + 3 < body.length; i += 4) {
        const cp = ((body[i]! << 24) >>> 0) + (body[i + 1]! << 16) + (body[i + 2]! << 8) + body[i + 3]!;
        s += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
      return s;
    }
    default: return null;
  }
}

/**
 * UTCTime (years 1950–2049, RFC 5280) or GeneralizedTime. RFC 5280 asks for seconds and Zulu; older
 * certificates also write times without seconds or with an offset (+0700), which OpenSSL and pkijs read
 * and so does this. A field out of range (month 13, minute 60) is null, not rolled over into the next.
 */
export function timeValue(b: Uint8Array, t: Tlv): Date | null {
  const s = Buffer.from(b.subarray(t.body, t.end)).toString('latin1');
  const m = t.tag === DER.UTC_TIME ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/.exec(s)
    : t.tag === DER.GENERALIZED_TIME ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?(Z|[+-]\d{4})$/.exec(s) : null;
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  const sec = m[6] === undefined ? 0 : Number(m[6]);
  const year = t.tag === DER.UTC_TIME ? (y < 50 ? 2000 + y : 1900 + y) : y;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59) return null;
  const zone = m[7]!;
  const offsetMin = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
  const ms = Date.UTC(year, mo - 1, d, h, mi, sec);
  // Day 31 of a 30-day month rolls over in Date.UTC: refused as out of range.
  if (new Date(ms).getUTCDate() !== d) return null;
  return new Date(ms - offsetMin * 60_000);
}
