import * as asn1js from 'asn1js';
import { parseBer } from './ber';
import pkijs from 'pkijs';
import { verifyCms, CMS_OID, digestName } from './cms';
import { buildChain, validityAt } from './chain';
import { extKeyUsage, subjectField, OID, type Cert } from './certs';

const EKU_TIMESTAMPING = '1.3.6.1.5.5.7.3.8';

export interface TimestampCheck {
  valid: boolean;
  /** Which check failed first: the imprint (content changed) or the TSA (trust, format). */
  failure: 'IMPRINT' | 'TRUST' | 'FORMAT' | null;
  time: Date | null;
  tsaName: string | null;
  reasons: string[];
  certificates: Cert[];
  /** The TSA's chain to a trust anchor (TSA … anchor), when it was built. */
  path: Cert[] | null;
}

/**
 * RFC 3161 token (a signature-time-stamp attribute, or a document timestamp): its own CMS signature,
 * its imprint (over the SignerInfo signature value, or over the ByteRange), a TSA chain to the anchors with the timeStamping EKU, and the
 * TSA certificate valid at genTime.
 */
export function verifyTimestampToken(token: asn1js.AsnType, imprintOf: (hashName: string) => Buffer, anchors: readonly Cert[], pool: readonly Cert[]): TimestampCheck {
  const out: TimestampCheck = { valid: false, failure: 'FORMAT', time: null, tsaName: null, reasons: [], certificates: [], path: null };
  let der: Buffer;
  try { der = Buffer.from(token.toBER(false)); } catch { out.reasons.push('timestamp token does not encode'); return out; }
  const cms = verifyCms(der, null);
  out.certificates = cms.certificates;
  if (!cms.ok) { out.reasons.push(...cms.reasons.map((r) => `timestamp: ${r}`)); return out; }
  if (cms.eContentType !== CMS_OID.tstInfo || !cms.eContent) { out.reasons.push('timestamp token does not hold a TSTInfo'); return out; }
  let tst: pkijs.TSTInfo;
  try {
    const asn = parseBer(new Uint8Array(cms.eContent));
    if (asn.offset === -1) throw new Error('BER');
    tst = new pkijs.TSTInfo({ schema: asn.result });
  } catch {
    out.reasons.push('TSTInfo does not parse');
    return out;
  }
  out.time = tst.genTime;
  const hashName = digestName(tst.messageImprint.hashAlgorithm.algorithmId);
  if (!hashName) { out.reasons.push('timestamp imprint uses an unknown hash'); return out; }
  const imprint = Buffer.from(tst.messageImprint.hashedMessage.valueBlock.valueHexView);
  if (!imprint.equals(imprintOf(hashName))) {
    out.failure = 'IMPRINT';
    out.reasons.push('timestamp imprint does not match the time-stamped data');
    return out;
  }
  const tsa = cms.signer!;
  out.failure = 'TRUST';
  out.tsaName = subjectField(tsa, OID.CN);
  const eku = extKeyUsage(tsa);
  if (!eku || !eku.includes(EKU_TIMESTAMPING)) { out.reasons.push('TSA certificate lacks the timeStamping extended key usage'); return out; }
  const chain = buildChain(tsa, [...pool, ...cms.certificates], anchors);
  if (!chain.path) { out.reasons.push('TSA certificate does not chain to a trust anchor'); return out; }
  out.path = chain.path;
  const v = validityAt(chain.path, tst.genTime);
  if (v.expired.length || v.notYetValid.length) { out.reasons.push('TSA certificate not valid at genTime'); return out; }
  out.valid = true;
  out.failure = null;
  return out;
}
