import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import pkijs from 'pkijs';
import { AppError } from '../../contract/errors';
import { OID } from './oids';
import { toArrayBuffer } from './der';

export interface TsaOptions {
  url: string;
  timeoutMs?: number;
}

const MAX_RESPONSE = 64 * 1024;

/**
 * RFC 3161 signature timestamp for PAdES B-T: imprint = SHA-256 of the SignerInfo signature value.
 * The response is checked before it is embedded (status, imprint, nonce, TSA EKU) so a bad TSA never
 * produces a file that only fails later at validation.
 */
export async function requestSignatureTimestamp(signatureValue: Buffer, opts: TsaOptions): Promise<Buffer> {
  return requestTimestamp(createHash('sha256').update(signatureValue).digest(), opts);
}

/**
 * An RFC 3161 token over a SHA-256 imprint the caller computed (a document time-stamp's ByteRange
 * digest, PAdES B-LTA), with the same checks.
 */
export async function requestTimestamp(imprint: Buffer, opts: TsaOptions): Promise<Buffer> {
  const nonce = requestNonce(randomBytes(8));
  const body = timestampRequest(imprint, nonce);
  const resBytes = await post(opts.url, body, opts.timeoutMs ?? 15_000);

  let resp: pkijs.TimeStampResp;
  try {
    resp = pkijs.TimeStampResp.fromBER(toArrayBuffer(resBytes));
  } catch (e) {
    throw tsaError('response is not a TimeStampResp', e);
  }
  if (resp.status.status !== 0 && resp.status.status !== 1) throw tsaError(`status ${resp.status.status}`);
  if (!resp.timeStampToken) throw tsaError('granted without a token');
  const sd = new pkijs.SignedData({ schema: resp.timeStampToken.content });
  const eContent = sd.encapContentInfo.eContent;
  if (sd.encapContentInfo.eContentType !== OID.tstInfo || !eContent) throw tsaError('token does not carry TSTInfo');
  const tst = pkijs.TSTInfo.fromBER(eContent.getValue());
  const gotImprint = Buffer.from(tst.messageImprint.hashedMessage.getValue());
  if (tst.messageImprint.hashAlgorithm.algorithmId !== OID.sha256 || !gotImprint.equals(imprint)) throw tsaError('imprint mismatch');
  if (!tst.nonce || !Buffer.from(tst.nonce.valueBlock.valueHexView).equals(nonce)) throw tsaError('nonce mismatch');
  assertTimestampingCert(sd);
  return Buffer.from(resp.timeStampToken.toSchema().toBER(false));
}

/** A DER TimeStampReq (version 1, SHA-256 imprint, nonce, certReq so the token carries the TSA certificate). */
export function timestampRequest(imprint: Buffer, nonce: Buffer): Buffer {
  const req = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: toArrayBuffer(imprint) }),
    }),
    nonce: new asn1js.Integer({ valueHex: toArrayBuffer(nonce) }),
    certReq: true,
  });
  return Buffer.from(req.toSchema().toBER(false));
}

/**
 * The nonce as DER wants it: first byte 0x40–0x7f, so the INTEGER is positive and minimally encoded.
 * Clearing only the top bit left a leading 0x00 in 1 request of 256, which a TSA must reject as a
 * malformed request (openssl: "illegal padding", status 2); 62 random bits remain.
 */
export function requestNonce(random: Buffer): Buffer {
  const nonce = Buffer.from(random);
  nonce[0] = (nonce[0]! & 0x3f) | 0x40;
  return nonce;
}

function assertTimestampingCert(sd: pkijs.SignedData): void {
  const certs = (sd.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const ok = certs.some((c) => {
    const eku = c.extensions?.find((x) => x.extnID === OID.extKeyUsage);
    const usages = (eku?.parsedValue as pkijs.ExtKeyUsage | undefined)?.keyPurposes ?? [];
    return eku?.critical === true && usages.includes(OID.kpTimeStamping);
  });
  if (!ok) throw tsaError('no TSA certificate with a critical id-kp-timeStamping EKU in the token');
}

async function post(url: string, body: Buffer, timeoutMs: number): Promise<Buffer> {
  if (!/^https?:\/\//i.test(url)) throw tsaError(`unsupported URL scheme: ${url}`);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new AppError('OFFLINE', 'Không kết nối được máy chủ cấp dấu thời gian (TSA).', `TSA ${url}: ${(e as Error).message}`, undefined, { cause: e });
  }
  if (!res.ok) throw tsaError(`HTTP ${res.status}`);
  const len = Number(res.headers.get('content-length') ?? '0');
  if (len > MAX_RESPONSE) throw tsaError(`response too large (${len} bytes)`);
  const buf = Buffer.from(await res.arrayBuffer());
  if (buf.length > MAX_RESPONSE) throw tsaError(`response too large (${buf.length} bytes)`);
  return buf;
}

function tsaError(detail: string, cause?: unknown): AppError {
  return new AppError('SIGN_FAILED', 'Máy chủ cấp dấu thời gian (TSA) trả về kết quả không hợp lệ; chưa ký.', `TSA: ${detail}`, undefined, cause === undefined ? undefined : { cause });
}
