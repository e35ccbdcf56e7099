import { createHmac, timingSafeEqual } from 'node:crypto';
import { isoVietnam, VIETNAM_OFFSET } from '../../../contract/time';

/**
 * The SDK's `XroadVnpt-*` request signature (docs/exchange.md §2): every parameter travels as a
 * `XroadVnpt-<name>` header, the same pairs as a compact JSON object in `sign-header`, their names in
 * `sign-header-key`, and `hash-header` = hex HMAC-SHA256(secret, sign-header). Shared by the client
 * driver and the reference hub so both sides compute it one way.
 */
export const HEADER_PREFIX = 'XroadVnpt-';
export const SDK_VERSION = '3.0.201608';
export const SDK_USER_AGENT = 'JAVASDKAgent/1.0.0 XRoad/VPCP';

/** Java `ddMMyyyy'T'HHmmss+SSSS` in Vietnam time: the `+` is a literal and SSSS the milliseconds. */
export function sdkTimestamp(at: Date): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(isoVietnam(at))!;
  return `${m[3]}${m[2]}${m[1]}T${m[4]}${m[5]}${m[6]}+${String(at.getUTCMilliseconds()).padStart(4, '0')}`;
}

export function parseSdkTimestamp(s: string): Date | null {
  const m = /^(\d{2})(\d{2})(\d{4})T(\d{2})(\d{2})(\d{2})\+0(\d{3})$/.exec(s);
  if (!m) return null;
  const ms = Date.parse(`${m[3]}-${m[2]}-${m[1]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}${VIETNAM_OFFSET}`);
  return Number.isFinite(ms) ? new Date(ms) : null;
}

export function hmacHex(secret: Buffer | string, message: string): string {
  return createHmac('sha256', secret).update(message, 'utf8').digest('hex');
}

/** Headers for one request; `params` in the order they are signed (callers include timestamp and systemid). */
export function signedHeaders(params: ReadonlyArray<readonly [string, string]>, secret: Buffer | string): Record<string, string> {
  const headers: Record<string, string> = {};
  const obj: Record<string, string> = {};
  for (const [name, value] of params) {
    headers[`${HEADER_PREFIX}${name}`] = value;
    obj[`${HEADER_PREFIX}${name}`] = value;
  }
  const signHeader = JSON.stringify(obj);
  headers[`${HEADER_PREFIX}sign-header-key`] = params.map(([n]) => n).join(';');
  headers[`${HEADER_PREFIX}sign-header`] = signHeader;
  headers[`${HEADER_PREFIX}hash-header`] = hmacHex(secret, signHeader);
  headers[`${HEADER_PREFIX}version`] = SDK_VERSION;
  headers['User-Agent'] = SDK_USER_AGENT;
  return headers;
}

export type HmacFailure = 'MISSING' | 'UNKNOWN_SYSTEM' | 'BAD_SIGNATURE' | 'HEADER_MISMATCH' | 'STALE' | 'REPLAY';

export interface HmacCheck {
  ok: boolean;
  failure?: HmacFailure;
  systemid?: string;
  hashHeader?: string;
  /** The signed parameters by bare name. */
  params?: Record<string, string>;
}

/**
 * Server side: the HMAC is recomputed over the received sign-header string byte for byte (its order
 * is not canonical, so it is never re-serialised), then every signed name must be present as a header
 * with the same value, and the timestamp must be inside the freshness window (null = not enforced).
 */
export function checkSignedHeaders(
  get: (name: string) => string | undefined,
  secretOf: (systemid: string) => Buffer | string | undefined,
  now: Date,
  windowMs: number | null,
): HmacCheck {
  const signHeader = get(`${HEADER_PREFIX}sign-header`);
  const keyList = get(`${HEADER_PREFIX}sign-header-key`);
  const hash = get(`${HEADER_PREFIX}hash-header`);
  if (!signHeader || !keyList || !hash) return { ok: false, failure: 'MISSING' };
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(signHeader) as Record<string, unknown>;
  } catch {
    return { ok: false, failure: 'BAD_SIGNATURE' };
  }
  const systemid = typeof obj[`${HEADER_PREFIX}systemid`] === 'string' ? (obj[`${HEADER_PREFIX}systemid`] as string) : undefined;
  const secret = systemid ? secretOf(systemid) : undefined;
  if (!systemid || secret === undefined) return { ok: false, failure: 'UNKNOWN_SYSTEM' };
  const expected = Buffer.from(hmacHex(secret, signHeader), 'hex');
  const given = /^[0-9a-f]{64}$/i.test(hash) ? Buffer.from(hash, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, failure: 'BAD_SIGNATURE', systemid };
  const params: Record<string, string> = {};
  for (const name of keyList.split(';')) {
    const signed = obj[`${HEADER_PREFIX}${name}`];
    const sent = get(`${HEADER_PREFIX}${name}`);
    if (typeof signed !== 'string' || sent !== signed) return { ok: false, failure: 'HEADER_MISMATCH', systemid };
    params[name] = signed;
  }
  if (windowMs !== null) {
    const at = parseSdkTimestamp(params.timestamp ?? '');
    if (!at || Math.abs(now.getTime() - at.getTime()) > windowMs) return { ok: false, failure: 'STALE', systemid };
  }
  return { ok: true, systemid, hashHeader: hash.toLowerCase(), params };
}
