/**
 * Fetching revocation data over HTTP, with short timeouts and a memory of unreachable hosts: a
 * workstation without network pays the timeout once per host for a while, not once per certificate.
 */
import pkijs from 'pkijs';
import axios from 'axios';

/** Biggest OCSP response / CRL we download (bytes). */
export const MAX_REVOCATION_BYTES = 10 * 1024 * 1024;
/** Per-request timeout (ms): long enough for a slow CA responder, short enough that no network costs seconds, not minutes. */
export const DEFAULT_NETWORK_TIMEOUT_MS = 2000;
/** How long a host that did not answer is skipped. */
export const HOST_DOWN_MS = 5 * 60_000;

const down = new Map<string, number>();

function hostOf(url: string): string {
  try { return new URL(url).host; } catch { return url; }
}

/** Why a URL is skipped without trying, or null. */
export function skippedHost(url: string, now = Date.now()): string | null {
  const until = down.get(hostOf(url));
  return until !== undefined && until > now ? `${hostOf(url)} did not answer recently; not retried until ${new Date(until).toISOString()}` : null;
}

async function guarded<T>(url: string, run: () => Promise<T>): Promise<T> {
  const skip = skippedHost(url);
  if (skip) throw new Error(skip);
  try {
    return await run();
  } catch (e) {
    const code = (e as { code?: string }).code;
    // Only "nobody there" marks a host down; an HTTP error or a bad body is the responder answering.
    if (code && ['ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH', 'EAI_AGAIN', 'ECONNRESET'].includes(code)) {
      down.set(hostOf(url), Date.now() + HOST_DOWN_MS);
    }
    throw e;
  }
}

export async function fetchOcsp(url: string, cert: pkijs.Certificate, issuer: pkijs.Certificate, timeout = DEFAULT_NETWORK_TIMEOUT_MS): Promise<Buffer> {
  return guarded(url, async () => {
    // Built only for a host that is tried: the request costs ≈ 1 ms of pkijs work, for nothing when skipped.
    const req = new pkijs.OCSPRequest();
    await req.createForCertificate(cert, { hashAlgorithm: 'SHA-1', issuerCertificate: issuer });
    const body = Buffer.from(req.toSchema(true).toBER());
    const res = await axios.post<ArrayBuffer>(url, body, {
      headers: { 'Content-Type': 'application/ocsp-request' }, responseType: 'arraybuffer', timeout,
      maxContentLength: MAX_REVOCATION_BYTES, maxRedirects: 2, validateStatus: (s) => s === 200, proxy: false,
    });
    return Buffer.from(res.data);
  });
}

/** A GET of at most `maxBytes`, with the same timeouts and memory of unreachable hosts. */
export async function fetchBytes(url: string, timeout = DEFAULT_NETWORK_TIMEOUT_MS, maxBytes = MAX_REVOCATION_BYTES): Promise<Buffer> {
  return guarded(url, async () => {
    const res = await axios.get<ArrayBuffer>(url, { responseType: 'arraybuffer', timeout, maxContentLength: maxBytes, maxRedirects: 2, validateStatus: (s) => s === 200, proxy: false });
    return Buffer.from(res.data);
  });
}

export async function fetchCrl(url: string, timeout = DEFAULT_NETWORK_TIMEOUT_MS): Promise<Buffer> {
  const data = await fetchBytes(url, timeout);
  // CDPs often serve PEM; accept both.
  const pem = /-----BEGIN X509 CRL-----([^-]+)-----END X509 CRL-----/.exec(data.toString('latin1'));
  return pem ? Buffer.from(pem[1]!.replace(/\s+/g, ''), 'base64') : data;
}

/** Forgets unreachable hosts (tests, or when the network comes back). */
export function forgetDownHosts(): void { down.clear(); }
