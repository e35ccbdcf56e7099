import { AppError } from '../../contract/errors';
import { certificateFields } from '../crypto/cert-fields';
import { x509Of } from '../crypto/x509';

/** What key choice needs to know of a certificate on a token. */
export interface KeyCandidate {
  keyId: string;
  certificate: string | Buffer;
  commonName: string;
  label?: string;
  notAfter: string;
  outOfValidity: boolean;
  /** 'unknown' before login: most tokens hide private keys until then. */
  privateKeyStatus: 'present' | 'absent' | 'unknown';
}

/** Refuses a certificate outside its validity at `at`: signing with it would make a signature no one accepts. */
export function assertCertificateUsable(signer: { certificate: string | Buffer }, at: Date): void {
  const der = typeof signer.certificate === 'string' ? Buffer.from(signer.certificate, 'base64') : signer.certificate;
  // Node parses first (bytes it refuses throw here); the dates come from the DER reader, not from
  // Node's printed validFrom/validTo: a date OpenSSL cannot print (month 13) read as NaN there, which is
  // neither before nor after any instant, so such a certificate was never out of validity.
  x509Of(der);
  const fields = certificateFields(der);
  if (!fields) throw new AppError('INPUT_INVALID', 'Chứng thư số không đọc được (sai định dạng), không ký được.', 'certificate fields do not read as RFC 5280 DER');
  if (at < fields.notBefore) {
    throw new AppError('TOKEN_CERT_NOT_YET_VALID', 'Chứng thư số chưa đến ngày có hiệu lực, không ký được.', `certificate valid from ${fields.notBefore.toISOString()}`);
  }
  if (at > fields.notAfter) {
    throw new AppError('TOKEN_CERT_EXPIRED', 'Chứng thư số đã hết hạn, không ký được. Vui lòng gia hạn chứng thư số.', `certificate expired ${fields.notAfter.toISOString()}`);
  }
}

/**
 * The key every face signs with (the one rule for the screens, the bridge and the CLI): the one named
 * by `wanted`, refused when it is out of validity; or else the only certificate valid now that may have
 * a private key. Tokens keep expired and renewed certificates side by side; those are no choice. When
 * two or more fit, the caller must name one: signing for an agency with a key picked by list order would
 * be a silent guess.
 */
export function chooseKey<C extends KeyCandidate>(certs: readonly C[], wanted: string | undefined, at = new Date()): C {
  if (wanted) {
    const id = wanted.toLowerCase();
    const hit = certs.find((c) => c.keyId.toLowerCase() === id);
    if (!hit) throw new AppError('INPUT_INVALID', `Token không có chứng thư số với mã khóa ${wanted}.`, `no certificate ${wanted}`);
    assertCertificateUsable(hit, at);
    return hit;
  }
  const usable = certs.filter((c) => !c.outOfValidity && c.privateKeyStatus !== 'absent');
  if (usable.length === 1) return usable[0]!;
  if (usable.length === 0) {
    throw new AppError('TOKEN_KEY_NOT_FOUND', `Token không có chứng thư số nào còn hiệu lực kèm khóa bí mật (có ${certs.length} chứng thư số).`, `${certs.length} certificates, none usable`);
  }
  const list = usable.map((c) => `${c.keyId} (${c.commonName || c.label || ''}, hết hạn ${c.notAfter.slice(0, 10)})`).join('; ');
  throw new AppError('INPUT_INVALID', `Token có ${usable.length} chứng thư số còn hiệu lực; hãy chọn một (mã khóa): ${list}.`, `${usable.length} usable certificates`, { count: usable.length });
}
