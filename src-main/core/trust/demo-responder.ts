/**
 * The demo profile's own revocation source: a loopback HTTP server that answers OCSP requests and
 * serves a CRL for the test PKI's issuing CA, so the demo workstation checks revocation the way an
 * agency's does (docs/verification.md, "Revocation"). Without it every demo file would verify only as
 * "Không xác định" and issuing would have to accept an unknown status.
 *
 * Answers come from the CA's openssl `index.txt`: a certificate marked `R` there is revoked, any other
 * certificate this CA issued is good (the demo leader's certificate is made on its token and is not in
 * that index). Demo only: it signs with key files on disk, which no agency CA would do.
 */
import { createPrivateKey, createHash, webcrypto, type KeyObject } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
import { readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as asn1js from 'asn1js';
import pkijs from 'pkijs';

export interface DemoCaFiles {
  /** The CA certificate (PEM or DER) and its private key (PEM). */
  caCert: string;
  caKey: string;
  /** The delegated OCSP signer (OCSPSigning EKU) and its key; the CA key signs OCSP when absent. */
  ocspCert?: string;
  ocspKey?: string;
  /** openssl `ca` database of the CA: revocations are read from it. */
  index: string;
}

export interface DemoResponder { ocspUrl: string; crlUrl: string; stop(): Promise<void> }

/** A demo CRL or OCSP answer is good for this long; the CRL is rebuilt when the index changes. */
const VALIDITY_MS = 24 * 3600_000;
const MAX_REQUEST_BYTES = 64 * 1024;
const OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';

function der(pemOrDer: Buffer, label: string): Buffer {
  const m = new RegExp(`-----BEGIN ${label}-----([^-]+)-----END ${label}-----`).exec(pemOrDer.toString('latin1'));
  return m ? Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64') : pemOrDer;
}

function certOf(path: string): pkijs.Certificate {
  return pkijs.Certificate.fromBER(der(readFileSync(path), 'CERTIFICATE'));
}

/** A private key for pkijs's signing (demo CA, tests). */
export async function cryptoKey(key: KeyObject): Promise<CryptoKey> {
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  const alg = key.asymmetricKeyType === 'ec'
    ? { name: 'ECDSA', namedCurve: ({ prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' } as Record<string, string>)[key.asymmetricKeyDetails?.namedCurve ?? ''] ?? 'P-256' }
    : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return webcrypto.subtle.importKey('pkcs8', pkcs8, alg, false, ['sign']);
}

/** Revoked serials (upper-case hex) and when, from an openssl CA index. */
export function revokedSerials(indexText: string): Map<string, Date> {
  const out = new Map<string, Date>();
  for (const line of indexText.split('\n')) {
    const f = line.split('\t');
    if (f[0] !== 'R' || f.length < 4) continue;
    // YYMMDDHHMMSSZ, optionally followed by ",reason".
    const m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z/.exec(f[2] ?? '');
    const at = m ? new Date(Date.UTC(2000 + Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))) : new Date(0);
    out.set(f[3]!.toUpperCase().replace(/^0+(?=.)/, ''), at);
  }
  return out;
}

function serialHex(i: asn1js.Integer): string {
  return Buffer.from(i.valueBlock.valueHexView).toString('hex').toUpperCase().replace(/^0+(?=.)/, '');
}

/** A CRL of `ca` listing `revoked`, signed with `key`. */
export async function buildCrl(ca: pkijs.Certificate, key: CryptoKey, revoked: Map<string, Date>, now: Date): Promise<Buffer> {
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  crl.issuer = ca.subject;
  crl.thisUpdate = new pkijs.Time({ type: 0, value: now });
  crl.nextUpdate = new pkijs.Time({ type: 0, value: new Date(now.getTime() + VALIDITY_MS) });
  if (revoked.size > 0) {
    crl.revokedCertificates = [...revoked].map(([serial, at]) => new pkijs.RevokedCertificate({
      userCertificate: new asn1js.Integer({ valueHex: Buffer.from(serial.length % 2 ? `0${serial}` : serial, 'hex') }),
      revocationDate: new pkijs.Time({ type: 0, value: at }),
    }));
  }
  crl.crlExtensions = new pkijs.Extensions({ extensions: [new pkijs.Extension({
    extnID: '2.5.29.20', critical: false, extnValue: new asn1js.Integer({ value: Math.floor(now.getTime() / 1000) }).toBER(false),
  })] });
  await crl.sign(key, 'SHA-256');
  return Buffer.from(crl.toSchema(true).toBER(false));
}

/**
 * The OCSPResponse for a DER OCSPRequest: each asked certificate good, revoked (from the index) or
 * unknown (another issuer), signed by `signer`; malformedRequest (1) for anything unreadable.
 */
export async function answerOcsp(request: Buffer, ca: pkijs.Certificate, signer: { cert: pkijs.Certificate; key: CryptoKey }, revoked: Map<string, Date>, now: Date): Promise<Buffer> {
  const fail = (status: number) => Buffer.from(new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: status }) }).toSchema().toBER(false));
  let req: pkijs.OCSPRequest;
  try { req = pkijs.OCSPRequest.fromBER(request); } catch { return fail(1); }
  const caName = Buffer.from(ca.subject.toSchema().toBER(false));
  const caKey = Buffer.from(ca.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView);
  const basic = new pkijs.BasicOCSPResponse();
  basic.tbsResponseData.responderID = signer.cert.subject;
  basic.tbsResponseData.producedAt = now;
  for (const r of req.tbsRequest.requestList.slice(0, 16)) {
    const id = r.reqCert;
    const hash = id.hashAlgorithm.algorithmId === '1.3.14.3.2.26' ? 'sha1' : id.hashAlgorithm.algorithmId === '2.16.840.1.101.3.4.2.1' ? 'sha256' : null;
    const ours = hash !== null
      && Buffer.from(id.issuerNameHash.valueBlock.valueHexView).equals(createHash(hash).update(caName).digest())
      && Buffer.from(id.issuerKeyHash.valueBlock.valueHexView).equals(createHash(hash).update(caKey).digest());
    const revokedAt = ours ? revoked.get(serialHex(id.serialNumber)) : undefined;
    const certStatus = !ours
      ? new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 }, lenBlock: { length: 1 } })
      : revokedAt
        ? new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value: [new asn1js.GeneralizedTime({ valueDate: revokedAt })] })
        : new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, lenBlock: { length: 1 } });
    basic.tbsResponseData.responses.push(new pkijs.SingleResponse({ certID: id, certStatus, thisUpdate: now, nextUpdate: new Date(now.getTime() + VALIDITY_MS) }));
  }
  basic.certs = [signer.cert];
  await basic.sign(signer.key, 'SHA-256');
  return Buffer.from(new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: 0 }),
    responseBytes: new pkijs.ResponseBytes({ responseType: OCSP_BASIC, response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) }) }),
  }).toSchema().toBER(false));
}

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (d: Buffer) => {
      size += d.length;
      if (size > MAX_REQUEST_BYTES) { reject(new Error('OCSP request too large')); req.destroy(); return; }
      parts.push(d);
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

/** Starts the demo responder on 127.0.0.1 (a free port unless `port` is given). */
export async function startDemoResponder(files: DemoCaFiles, port = 0): Promise<DemoResponder> {
  const ca = certOf(files.caCert);
  const caKey = await cryptoKey(createPrivateKey(readFileSync(files.caKey)));
  const signer = files.ocspCert && files.ocspKey
    ? { cert: certOf(files.ocspCert), key: await cryptoKey(createPrivateKey(readFileSync(files.ocspKey))) }
    : { cert: ca, key: caKey };
  let crl: { der: Buffer; indexMtime: number; at: number } | null = null;
  const revocations = () => revokedSerials(readFileSync(files.index, 'utf8'));
  const currentCrl = async (): Promise<Buffer> => {
    const indexMtime = statSync(files.index).mtimeMs;
    // Rebuilt when a certificate was revoked since, and well before the last one's nextUpdate.
    if (!crl || crl.indexMtime !== indexMtime || Date.now() - crl.at > VALIDITY_MS / 4) {
      crl = { der: await buildCrl(ca, caKey, revocations(), new Date()), indexMtime, at: Date.now() };
    }
    return crl.der;
  };
  const server = createServer((req, res) => {
    const reply = (status: number, type: string, data: Buffer) => { res.writeHead(status, { 'Content-Type': type, 'Content-Length': data.length }); res.end(data); };
    void (async () => {
      if (req.method === 'GET' && req.url === '/crl') return reply(200, 'application/pkix-crl', await currentCrl());
      if (req.method === 'POST' && req.url === '/ocsp') {
        return reply(200, 'application/ocsp-response', await answerOcsp(await body(req), ca, signer, revocations(), new Date()));
      }
      reply(404, 'text/plain', Buffer.from('not found'));
    })().catch(() => { if (!res.headersSent) reply(500, 'text/plain', Buffer.from('error')); else res.destroy(); });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
  // A source beside the workstation, never the reason its process stays alive.
  server.unref();
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ocspUrl: `${base}/ocsp`,
    crlUrl: `${base}/crl`,
    stop: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
