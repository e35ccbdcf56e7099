/**
 * The rule of NĐ 30 Điều 32–33 (docs/signing.md, "The leader rule"): the agency signs only after the authorised person's
 * signature. The decision reads the verifier's report — never a second copy of verification.
 */
import { AppError } from '../../../contract/errors';
import type { PdfFile } from '../parse/document';
import type { SignatureReport, VerificationReport } from '../../verify/report';
import type { RevocationOptions } from '../../verify/revocation';

/** Where the leader check asks about revocation: the verifier's cache and OCSP/CRL mirrors (settings). */
export type LeaderRevocationOptions = Pick<RevocationOptions, 'revocationCacheDir' | 'ocspUrlOverride' | 'crlUrlOverride' | 'networkTimeoutMs'>;

export interface VerifyOptions extends LeaderRevocationOptions {
  trustDir?: string;
  trustAnchors?: readonly Buffer[];
  offline?: boolean;
  now?: Date;
  /** The input's parse the caller already made (VerifyOptions.file). */
  file?: PdfFile;
}
export type VerifyPdf = (bytes: Uint8Array, opts: VerifyOptions) => Promise<VerificationReport>;

let verifier: Promise<VerifyPdf> | null = null;

/**
 * src-main/core/verify's verifyPdf, loaded on first use (it pulls in the whole validation stack) and
 * kept: a dynamic import asked again still resolves the module each time (≈ 1.5 ms under tsx's
 * loader), on the way to the first signature.
 */
export function defaultVerifyPdf(): Promise<VerifyPdf> {
  verifier ??= import('../../verify/index').then(({ verifyPdf }) => (bytes, { trustAnchors, ...rest }) => verifyPdf(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    ...rest, ...(trustAnchors ? { trustAnchors: [...trustAnchors] } : {}),
  }));
  return verifier;
}

/**
 * The leader's signature the agency signature follows: a personal certificate (not the agency's own),
 * integrity, chain and revocation verified (Điều 3.2: a revoked certificate gives no valid signature).
 * The verifier's report already ran the full revocation path (embedded DSS, fresh cache, OCSP, CRL) and
 * judged a revocation after a proven signing time as passed. When no status could be had at all
 * (TRY_LATER), the signature is accepted only on the clerk's explicit choice `acceptUnknownRevocation`,
 * which the caller records; otherwise refused, saying why.
 */
export function requireLeaderSignature(report: VerificationReport, agencyCertificate: Buffer, acceptUnknownRevocation: boolean): SignatureReport {
  const agencyB64 = agencyCertificate.toString('base64');
  const personal = report.signatures.filter((s) => !s.signerIsOrganisation && s.certificate !== agencyB64);
  const accepted = (s: SignatureReport) =>
    s.indication === 'TOTAL_PASSED' || (acceptUnknownRevocation && isUnknownRevocation(s));
  if (report.disallowedChange) {
    throw refuse('Văn bản đã bị sửa đổi sau khi người có thẩm quyền ký; không ký phát hành.', 'disallowed change after a signature');
  }
  const ok = personal.filter(accepted);
  if (ok.length > 0) return ok[ok.length - 1]!;
  if (personal.length === 0) {
    throw refuse('Văn bản chưa có chữ ký số hợp lệ của người có thẩm quyền; văn thư chỉ ký phát hành sau chữ ký của lãnh đạo.', `no personal signature among ${report.signatures.length}`);
  }
  const last = personal[personal.length - 1]!;
  const detail = `leader signature ${last.indication}/${last.subIndication ?? '-'}: ${last.reasons.join('; ')}`;
  if (last.subIndication === 'REVOKED') {
    throw refuse('Chứng thư số của người có thẩm quyền đã bị thu hồi trước thời điểm ký; chữ ký không còn giá trị, không ký phát hành.', detail);
  }
  if (isUnknownRevocation(last)) {
    throw refuse(
      'Chưa kiểm tra được chứng thư số của người có thẩm quyền có bị thu hồi hay không (không kết nối được máy chủ OCSP/CRL và chưa có dữ liệu thu hồi lưu sẵn); '
      + 'không ký phát hành. Hãy kết nối mạng và thử lại, hoặc chỉ ký khi đã xác nhận rõ "vẫn ký khi chưa rõ tình trạng thu hồi" (--accept-unknown-revocation).',
      `${detail} (unknown revocation not accepted)`,
    );
  }
  const why = last.subIndication === 'NO_CERTIFICATE_CHAIN_FOUND' || last.subIndication === 'CERTIFICATE_CHAIN_GENERAL_FAILURE'
    ? 'chứng thư số của người ký không thuộc tổ chức cung cấp dịch vụ chứng thực được tin cậy'
    : last.subIndication === 'HASH_FAILURE' || last.subIndication === 'SIG_CRYPTO_FAILURE'
      ? 'nội dung văn bản đã bị thay đổi sau khi ký'
      : last.summaryVi.replace(/\.$/, '');
  throw refuse(`Chữ ký của người có thẩm quyền không hợp lệ (${why}); không ký phát hành.`, detail);
}

/** Everything verified except revocation, for which no source answered. */
export function isUnknownRevocation(s: SignatureReport): boolean {
  return s.indication === 'INDETERMINATE' && s.subIndication === 'TRY_LATER';
}

function refuse(vi: string, detail: string): AppError {
  return new AppError('SIGN_REFUSED', vi, detail);
}
