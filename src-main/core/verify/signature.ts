import * as asn1js from 'asn1js';
import { parseBer } from './ber';
import type { PdfFile } from '../pdf/parse/document';
import { parsePdfDate, type SignatureEntry } from '../pdf/parse/signatures';
import { dictOf, PdfString } from '../pdf/parse/objects';
import { checkByteRange, rangeDigest, type RangeDigest } from './byterange';
import { verifyCms, CMS_OID, hasEss, type SignedContent } from './cms';
import { hashOf } from './hashes';
import { buildChain, validityAt } from './chain';
import { isOrganisation, keyUsage, KU, subjectField, OID, type Cert } from './certs';
import { verifyTimestampToken } from './timestamp';
import { verdictVi } from './verdict';
import { isoVietnam } from '../../contract/time';
import type { Indication, SignatureReport, SubIndication } from './report';

/** What the clerk reads when the signature verifies but its CMS is shaped unlike any normal signer's. */
const UNUSUAL_VI = 'chữ ký khớp với chứng thư số nhưng có cấu trúc bất thường, cần kiểm tra thêm';

const KNOWN_SUBFILTERS = new Set(['ETSI.CAdES.detached', 'adbe.pkcs7.detached', 'adbe.pkcs7.sha1', 'ETSI.RFC3161']);

export interface SignatureContext {
  file: PdfFile;
  anchors: Cert[];
  /** Certificates from the DSS and elsewhere in the file. */
  pool: Cert[];
  now: Date;
  /** ByteRange digests over the file's shared prefix (crypto/prefix-digest.ts). */
  rangeDigest?: RangeDigest;
}

/** What the revocation step needs after the crypto and chain checks passed. */
export interface SignatureWork {
  entry: SignatureEntry;
  report: SignatureReport;
  signer: Cert | null;
  path: Cert[] | null;
  signingTime: Date;
  signedRevision: number;
  range: [number, number, number, number] | null;
  /** The chain of a valid timestamp's TSA and the time it vouches for (its revocation is checked too). */
  tsa: { path: Cert[]; time: Date } | null;
}

/** Steps 2–7 of the pipeline in docs/verification.md for one signature (revocation and changes come later). */
export function validateSignature(ctx: SignatureContext, sig: SignatureEntry, index: number): SignatureWork {
  const report: SignatureReport = {
    fieldName: sig.fieldName,
    index,
    indication: 'TOTAL_PASSED',
    summaryVi: 'Hợp lệ',
    reasons: [],
    signerName: null,
    signerIsOrganisation: false,
    certificate: null,
    signingTime: null,
    signingTimeSource: null,
    revisionEnd: -1,
    widget: null,
    changesAfter: [],
    subFilter: sig.subFilter,
    isDocTimestamp: sig.isDocTimestamp,
    timestamp: null,
    warnings: [],
    issuerName: null,
    certificateValidity: null,
  };
  const visible = sig.widgets.find((w) => w.rect.width > 0 && w.rect.height > 0 && w.page !== null);
  if (visible) report.widget = { page: visible.page!, rect: visible.rect };
  const work: SignatureWork = { entry: sig, report, signer: null, path: null, signingTime: ctx.now, signedRevision: -1, range: null, tsa: null };
  const set = (indication: Indication, sub: SubIndication | undefined, reason: string, detailVi?: string): SignatureWork => {
    report.indication = indication;
    if (sub) report.subIndication = sub; else delete report.subIndication;
    report.reasons.push(reason);
    report.summaryVi = verdictVi(indication, sub, detailVi);
    return work;
  };

  let br = checkByteRange(ctx.file, sig);
  if (!br.ok) {
    // A later update may have redefined this signature dictionary (/Reason spoofing): validate the
    // definition the signature covers, and let the modification analysis report the rewrite.
    const original = signedDefinition(ctx.file, sig);
    if (original) {
      const again = checkByteRange(ctx.file, original);
      if (again.ok) { sig = original; work.entry = original; br = again; report.warnings!.push('the signature dictionary was redefined by a later update'); }
    }
  }
  work.range = br.range;
  report.coverage = br.coverage;
  if (br.range) report.revisionEnd = br.range[2] + br.range[3];
  if (!br.ok) return set('TOTAL_FAILED', 'FORMAT_FAILURE', br.reasons.join('; '));
  work.signedRevision = br.revision;
  // An unknown format is not a forgery: graded, as the reference validators do.
  if (!sig.subFilter || !KNOWN_SUBFILTERS.has(sig.subFilter)) return set('INDETERMINATE', 'FORMAT_FAILURE', `unknown /SubFilter ${sig.subFilter ?? '(none)'}`, 'định dạng chữ ký chưa được hỗ trợ');
  // The /SubFilter says what the /Contents hold; /Type is advisory. The reference validators accept a
  // document timestamp written as /Type /Sig (and the reverse), so a disagreement is only a warning.
  const docTimestamp = sig.subFilter === 'ETSI.RFC3161';
  report.isDocTimestamp = docTimestamp;
  if (sig.isDocTimestamp !== docTimestamp) report.warnings!.push(`/Type ${sig.isDocTimestamp ? '/DocTimeStamp' : '/Sig'} with /SubFilter /${sig.subFilter}: judged by the /SubFilter`);

  const range = br.range!;
  const digests = new Map<string, Buffer>();
  const digest = (h: string) => { let d = digests.get(h); if (!d) { d = ctx.rangeDigest?.(range, h) ?? rangeDigest(ctx.file.bytes, range, h); digests.set(h, d); } return d; };
  if (docTimestamp) return validateDocTimestamp(ctx, sig, work, digest, set);
  const [a, b, c, d] = range;
  const content: SignedContent = { digest, chunks: () => [ctx.file.bytes.subarray(a, a + b), ctx.file.bytes.subarray(c, c + d)] };
  const cms = verifyCms(sig.contents!.bytes, content, sig.subFilter === 'adbe.pkcs7.sha1' ? 'sha1-encapsulated' : 'detached');
  report.warnings!.push(...cms.warnings);
  if (cms.signer) {
    work.signer = cms.signer;
    report.certificate = cms.signer.der.toString('base64');
    report.signerName = subjectField(cms.signer, OID.CN) ?? sig.name;
    report.signerIsOrganisation = isOrganisation(cms.signer);
    report.issuerName = cms.signer.x509.issuer.replace(/\n/g, ', ').normalize('NFC');
    report.certificateValidity = { notBefore: cms.signer.fields.notBefore.toISOString(), notAfter: cms.signer.fields.notAfter.toISOString() };
  }
  if (!cms.ok) {
    const f = cms.failure!;
    const ind: Indication = f === 'NO_SIGNING_CERTIFICATE_FOUND' || f === 'CRYPTO_CONSTRAINTS_FAILURE' ? 'INDETERMINATE' : 'TOTAL_FAILED';
    return set(ind, f, cms.reasons.join('; '));
  }
  const signer = cms.signer!;

  if (sig.subFilter === 'ETSI.CAdES.detached') {
    if (cms.signedAttrs.has(CMS_OID.signingTime)) report.warnings!.push('signing-time attribute in a PAdES signature (conformance warning)');
    if (!hasEss(cms)) return set('INDETERMINATE', 'SIG_CONSTRAINTS_FAILURE', 'PAdES signature without the ESS signing-certificate-v2 attribute');
  }

  // Best signing time: a valid signature timestamp, else the claimed one.
  const tsAttr = cms.unsigned.get(CMS_OID.signatureTimeStamp)?.[0];
  let time: Date | null = null;
  if (tsAttr) {
    const sv = cms.signatureValue!;
    const tst = verifyTimestampToken(tsAttr, (h) => hashOf(h, sv), ctx.anchors, ctx.pool);
    report.timestamp = { time: tst.time ? isoVietnam(tst.time) : '', valid: tst.valid, tsaName: tst.tsaName };
    if (tst.valid && tst.time) { time = tst.time; report.signingTimeSource = 'timestamp'; if (tst.path) work.tsa = { path: tst.path, time: tst.time }; }
    else report.warnings!.push(...tst.reasons);
  }
  if (!time) {
    const claimed = cms.signingTime ?? (sig.claimedTime ? parsePdfDate(sig.claimedTime) : null);
    if (claimed) { time = claimed; report.signingTimeSource = 'claimed'; }
  }
  work.signingTime = time ?? ctx.now;
  report.signingTime = time ? isoVietnam(time) : null;
  if (!time) report.warnings!.push('no signing time at all: checked at the validation time');

  const chain = buildChain(signer, [...cms.certificates, ...ctx.pool], ctx.anchors);
  if (!chain.path) return set('INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND', chain.reasons.join('; '));
  work.path = chain.path;
  const ku = keyUsage(signer);
  if (ku !== null && (ku & (KU.digitalSignature | KU.nonRepudiation)) === 0) {
    return set('INDETERMINATE', 'CHAIN_CONSTRAINTS_FAILURE', 'the signer certificate key usage allows neither digitalSignature nor nonRepudiation');
  }
  const v = validityAt(chain.path, work.signingTime);
  if (v.notYetValid.length) return set('TOTAL_FAILED', 'NOT_YET_VALID', 'a certificate of the chain was not yet valid at the signing time');
  if (v.expired.length) {
    return report.signingTimeSource === 'timestamp'
      ? set('TOTAL_FAILED', 'EXPIRED', 'a certificate of the chain had expired at the time-stamped signing time')
      : set('INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE', 'a certificate of the chain had expired at the claimed signing time and no timestamp proves an earlier time');
  }
  if (report.signingTimeSource !== 'timestamp') {
    // A claimed time proves nothing: a certificate expired by now needs a timestamp from before expiry.
    const nowCheck = validityAt(chain.path, ctx.now);
    if (nowCheck.expired.length) return set('INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE', 'a certificate of the chain has expired and no timestamp proves the signature existed before that');
  }
  // SHA-1 as the message digest, or as the hash the signature is made with (over the signed attributes,
  // which carry the document's digest: a collision there binds another document).
  if (cms.digestAlgorithm === 'sha1' || cms.signatureHash === 'sha1') return set('INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE', 'SHA-1 is no longer accepted');
  const bits = signer.x509.publicKey.asymmetricKeyDetails?.modulusLength;
  if (signer.x509.publicKey.asymmetricKeyType === 'rsa' && bits !== undefined && bits < 2048) return set('INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE', `RSA key of ${bits} bits`);
  if (cms.unusual.length) return set('INDETERMINATE', 'SIG_CONSTRAINTS_FAILURE', `unusual CMS structure: ${cms.unusual.join('; ')}`, UNUSUAL_VI);
  return work;
}

function signedDefinition(file: PdfFile, sig: SignatureEntry): SignatureEntry | null {
  if (!sig.sigRef) return null;
  for (let rev = sig.definedIn - 1; rev >= 0; rev--) {
    const o = file.object(sig.sigRef.num, rev);
    if (!o || o.offset === sig.offset) continue;
    const d = dictOf(o.value);
    if (!d) return null;
    const contents = d.get('Contents');
    return { ...sig, dict: d, definedIn: o.definedIn, offset: o.offset, contents: contents instanceof PdfString ? contents : null };
  }
  return null;
}

/** A /DocTimeStamp: the token's imprint is the ByteRange digest; its TSA is the "signer". */
function validateDocTimestamp(
  ctx: SignatureContext, sig: SignatureEntry, work: SignatureWork, digest: (h: string) => Buffer,
  set: (i: Indication, s: SubIndication | undefined, r: string) => SignatureWork,
): SignatureWork {
  const asn = parseBer(new Uint8Array(sig.contents!.bytes));
  if (asn.offset === -1) return set('TOTAL_FAILED', 'FORMAT_FAILURE', 'document timestamp is not BER');
  const tst = verifyTimestampToken(asn.result, digest, ctx.anchors, ctx.pool);
  const r = work.report;
  r.signerName = tst.tsaName;
  r.signerIsOrganisation = true;
  if (tst.time) { r.signingTime = isoVietnam(tst.time); r.signingTimeSource = 'timestamp'; work.signingTime = tst.time; }
  r.timestamp = tst.time ? { time: isoVietnam(tst.time), valid: tst.valid, tsaName: tst.tsaName } : null;
  if (tst.valid) { if (tst.path && tst.time) work.tsa = { path: tst.path, time: tst.time }; return work; }
  const why = tst.reasons.join('; ');
  if (tst.failure === 'IMPRINT') return set('TOTAL_FAILED', 'HASH_FAILURE', why);
  if (tst.failure === 'TRUST') return set('INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND', why);
  return set('TOTAL_FAILED', 'FORMAT_FAILURE', why);
}
