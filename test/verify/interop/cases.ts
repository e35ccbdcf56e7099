/**
 * The interop suite: generated files standing in for the reference validators' test material, each
 * with the indication the reference validators give such a file and the reason beside it. `legit`
 * files must never be TOTAL_FAILED; `attack` files (the classes of docs/verification.md, "Attacks")
 * must never be TOTAL_PASSED. Every file is made here, by this repository's generators or by
 * independent tools (pdfsig, @signpdf, qpdf, openssl).
 */
import type { Indication } from '../../../src-main/core/verify/index';
import { makeBasePdf, LAYOUT } from '../../fixtures-gen/base-pdf';
import { addSignature, buildCms } from '../../fixtures-gen/pades';
import { identity } from '../../fixtures-gen/test-certs';
import { signWithP12 } from '../../fixtures-gen/signpdf';
import { signWithPdfsig } from '../../fixtures-gen/pdfsig';
import { encryptWithQpdf } from '../../fixtures-gen/encrypt';
import { largeCrl } from '../../fixtures-gen/crl';
import { breakLastPrev } from '../../fixtures-gen/incremental';
import { addDss, changeFormFonts, signEmptyField, withEmptySignatureField, withFormResources } from '../../fixtures-gen/lt';
import * as A from '../../fixtures-gen/attacks';
import { hashOf } from '../../../src-main/core/verify/hashes';
import { box, LEADER_RECT } from '../helpers';

export interface InteropCase {
  name: string;
  kind: 'legit' | 'attack';
  expected: Indication;
  /** Why that is the answer (what the reference validators say and why). */
  reason: string;
  make: () => Promise<Buffer>;
}

const leader = () => ({ signer: identity('rsa'), widget: { page: 0, rect: LEADER_RECT } });
const signedBase = async () => addSignature(await makeBasePdf(), leader());
const certs = () => [identity('rsa').cert, ...identity('rsa').chain];
const now = () => new Date();
const FIELD_RECT: [number, number, number, number] = [72, 300, 252, 360];

export const CASES: InteropCase[] = [
  // ---- legitimate files -------------------------------------------------------------------------
  { name: 'pades-baseline-b', kind: 'legit', expected: 'TOTAL_PASSED', reason: 'PAdES B-B, RSA, ESS v2: the baseline every validator accepts', make: signedBase },
  { name: 'pades-b-t', kind: 'legit', expected: 'TOTAL_PASSED', reason: 'B-T: a valid signature timestamp proves the signing time',
    make: async () => addSignature(await makeBasePdf(), { ...leader(), tsa: { id: identity('tsa'), time: now() } }) },
  { name: 'signpdf-two-signatures', kind: 'legit', expected: 'TOTAL_PASSED', reason: 'two signatures from an independent writer (@signpdf), the second over blank space',
    make: async () => signWithP12(await signWithP12(await makeBasePdf(), { p12: 'leader2', widgetRect: LEADER_RECT }), { p12: 'agency', widgetRect: [300, 480, 360, 540] }) },
  { name: 'pdfsig-ber-cms', kind: 'legit', expected: 'TOTAL_PASSED', reason: 'adbe.pkcs7.detached with BER-encoded CMS from NSS (pdfsig)', make: async () => signWithPdfsig(await makeBasePdf()) },
  { name: 'decree30-issued', kind: 'legit', expected: 'TOTAL_PASSED', reason: 'leader, then the agency\'s seal over the left third and its number over blank space (Decree 30)',
    make: async () => {
      let pdf = await signedBase();
      pdf = addSignature(pdf, { signer: identity('agency'), widget: { page: 0, rect: [330, 480, 390, 540], appearance: 'q 1 0 0 rg 5 5 50 50 re f Q' } });
      return addSignature(pdf, { signer: identity('agency'), widget: { page: 0, rect: box(LAYOUT.numberGap), appearance: 'BT /Helv 12 Tf 2 3 Td (12) Tj ET' } });
    } },
  { name: 'rsa-no-signed-attributes', kind: 'legit', expected: 'TOTAL_PASSED', reason: 'class 1: adbe.pkcs7.detached without signed attributes; openssl and pdfsig verify it',
    make: async () => addSignature(await makeBasePdf(), { ...leader(), subFilter: 'adbe.pkcs7.detached', variant: { noSignedAttrs: true } }) },
  { name: 'adbe-pkcs7-sha1', kind: 'legit', expected: 'INDETERMINATE', reason: 'class 1: verifies, but SHA-1 binds the document: graded CRYPTO_CONSTRAINTS_FAILURE, not forged',
    make: async () => addSignature(await makeBasePdf(), { ...leader(), subFilter: 'adbe.pkcs7.sha1' }) },
  { name: 'signer-by-ski', kind: 'legit', expected: 'TOTAL_PASSED', reason: 'class 4: SignerIdentifier is a subjectKeyIdentifier; openssl cms verifies it',
    make: async () => addSignature(await makeBasePdf(), { ...leader(), variant: { sidBySki: true } }) },
  { name: 'ed25519', kind: 'legit', expected: 'TOTAL_PASSED', reason: 'class 4: EdDSA (RFC 8419) over the signed attributes',
    make: async () => addSignature(await makeBasePdf(), { ...leader(), signer: identity('ed25519'), alg: 'ed25519' }) },
  { name: 'ed448-shake256', kind: 'legit', expected: 'TOTAL_PASSED', reason: 'class 4: Ed448 with the SHAKE256 message digest RFC 8419 prescribes',
    make: async () => addSignature(await makeBasePdf(), { ...leader(), signer: identity('ed448'), alg: 'ed448' }) },
  { name: 'embedded-crl', kind: 'legit', expected: 'TOTAL_PASSED', reason: 'class 4: a CMS carrying a 6,000-entry CRL (beyond asn1js\'s default node limit)',
    make: async () => { const crl = largeCrl(6_000); return addSignature(await makeBasePdf(), { ...leader(), variant: { crls: [crl] }, contentsBytes: crl.length + 16_384 }); } },
  { name: 'duplicate-signed-attribute', kind: 'legit', expected: 'INDETERMINATE', reason: 'class 4: unusual but not forged (the signature verifies): graded with the reason',
    make: async () => addSignature(await makeBasePdf(), { ...leader(), variant: { duplicateAttribute: true } }) },
  { name: 'two-signer-infos', kind: 'legit', expected: 'INDETERMINATE', reason: 'class 4: two SignerInfos in one PDF signature: graded with the reason',
    make: async () => addSignature(await makeBasePdf(), { ...leader(), variant: { secondSignerInfo: true } }) },
  { name: 'lt-dss-vri-extensions-names', kind: 'legit', expected: 'TOTAL_PASSED', reason: 'class 2: DSS with VRI, ESIC /Extensions and the LT data as an embedded file, added after signing',
    make: async () => addDss(await signedBase(), { certs: certs(), crls: [largeCrl(10)], vri: 'referenced', extensions: true, names: 'embedded-file' }) },
  { name: 'lt-orphan-vri', kind: 'legit', expected: 'TOTAL_PASSED', reason: 'class 2: a VRI dictionary nothing references is validation data, not an attack',
    make: async () => addDss(await signedBase(), { certs: certs(), vri: 'orphan' }) },
  { name: 'lta-doc-timestamp', kind: 'legit', expected: 'TOTAL_PASSED', reason: 'class 2/3: B-LTA, a document timestamp over the DSS',
    make: async () => addSignature(addDss(await signedBase(), { certs: certs(), vri: 'referenced' }), { signer: identity('tsa'), docTimestamp: true, tsa: { id: identity('tsa'), time: now() } }) },
  { name: 'doc-timestamp-type-sig', kind: 'legit', expected: 'TOTAL_PASSED', reason: 'class 3: /Type /Sig with /SubFilter /ETSI.RFC3161, accepted by the reference validators',
    make: async () => addSignature(await signedBase(), { signer: identity('tsa'), docTimestamp: true, dictType: 'Sig', tsa: { id: identity('tsa'), time: now() } }) },
  { name: 'adobe-dr-fonts', kind: 'legit', expected: 'TOTAL_PASSED', reason: 'class 2: fonts added to the AcroForm /DR by a second signing (Adobe Reader)',
    make: async () => changeFormFonts(addSignature(withFormResources(await makeBasePdf()), leader()), 'add') },
  { name: 'prepared-field-signed', kind: 'legit', expected: 'TOTAL_PASSED', reason: 'class 2: a prepared signature field signed later, its blank appearance object reused',
    make: async () => signEmptyField(addSignature(withEmptySignatureField(await makeBasePdf(), 'f2', FIELD_RECT), leader()), 'f2', { signer: identity('ec'), alg: 'ecdsa', reuseAppearance: true }) },
  { name: 'form-fill-blank', kind: 'legit', expected: 'TOTAL_PASSED', reason: 'filling an empty, unlocked field over blank space',
    make: async () => A.shadowReplaceV1(addSignature(await makeBasePdf({ textField: { overBlank: true } }), leader())) },
  ...(['rc4-40', 'rc4-128', 'aes-128', 'aes-256'] as const).map((how): InteropCase => ({
    name: `encrypted-${how}`, kind: 'legit', expected: 'TOTAL_PASSED', reason: `class 5: permission-only ${how} encryption (qpdf), signed by pdfsig; pdfsig says valid`,
    make: async () => signWithPdfsig(encryptWithQpdf(await makeBasePdf(), how)),
  })),
  { name: 'broken-prev-chain', kind: 'legit', expected: 'TOTAL_PASSED', reason: 'class 5: an LT update whose trailer has a wrong /Prev; recovered like pdfsig does, and the report says so',
    make: async () => breakLastPrev(addDss(await signedBase(), { certs: certs(), vri: 'referenced' })) },
  { name: 'user-password', kind: 'legit', expected: 'INDETERMINATE', reason: 'class 5: a real user password: "cần mật khẩu để mở"',
    make: async () => encryptWithQpdf(await signedBase(), 'aes-256', 'mat-khau') },

  // ---- attacks ----------------------------------------------------------------------------------
  { name: 'isa-1-clean-update', kind: 'attack', expected: 'TOTAL_FAILED', reason: 'ISA: page content replaced in a clean incremental update', make: async () => A.isa(await signedBase(), 1) },
  { name: 'isa-2-outside-xref', kind: 'attack', expected: 'TOTAL_FAILED', reason: 'ISA: objects outside any xref', make: async () => A.isa(await signedBase(), 2) },
  { name: 'isa-new-page', kind: 'attack', expected: 'TOTAL_FAILED', reason: 'ISA: a page added to the page tree', make: async () => A.isaNewPage(await signedBase()) },
  { name: 'swa', kind: 'attack', expected: 'TOTAL_FAILED', reason: 'signature wrapping: the ByteRange gap is not the /Contents', make: async () => A.swa(await signedBase()) },
  { name: 'shadow-hide-v2', kind: 'attack', expected: 'TOTAL_FAILED', reason: 'shadow hide: a field redefined, not filled',
    make: async () => A.shadowHideV2(addSignature(await makeBasePdf({ textField: {} }), leader()), 'flags') },
  { name: 'shadow-replace-over-text', kind: 'attack', expected: 'TOTAL_FAILED', reason: 'class 6: form filling laid over signed text changes what the signer saw',
    make: async () => A.shadowReplaceV1(addSignature(await makeBasePdf({ textField: {} }), leader())) },
  { name: 'shadow-replace-value', kind: 'attack', expected: 'TOTAL_FAILED', reason: 'class 6: a value the signer saw replaced by another',
    make: async () => A.shadowReplaceV1(addSignature(await makeBasePdf({ textField: { overBlank: true, value: 'Original text' } }), leader())) },
  { name: 'shadow-replace-font', kind: 'attack', expected: 'TOTAL_FAILED', reason: 'shadow replace v2: a font of the signed page redefined', make: async () => A.shadowReplaceV2(await signedBase()) },
  { name: 'hide-and-replace', kind: 'attack', expected: 'TOTAL_FAILED', reason: 'an xref-only update re-pointing content into signed bytes', make: async () => A.hideAndReplace(await signedBase()) },
  { name: 'evil-annotation-over-text', kind: 'attack', expected: 'TOTAL_FAILED', reason: 'an annotation drawing over signed text', make: async () => A.evilAnnotation(await signedBase(), [72, 600, 500, 720]) },
  { name: 'dangling-fill', kind: 'attack', expected: 'TOTAL_FAILED', reason: 'a new object filling a dangling reference of the signed revision', make: async () => A.danglingFill(addSignature((await import('../../fixtures-gen/hostile')).danglingBase(), leader())) },
  { name: 'names-javascript', kind: 'attack', expected: 'TOTAL_FAILED', reason: 'look-alike of class 2: /Names gains a document JavaScript', make: async () => addDss(await signedBase(), { certs: certs(), names: 'javascript' }) },
  { name: 'dr-font-replaced', kind: 'attack', expected: 'TOTAL_FAILED', reason: 'look-alike of class 2: a /DR font the form used is replaced',
    make: async () => changeFormFonts(addSignature(withFormResources(await makeBasePdf()), leader()), 'replace') },
  { name: 'blank-appearance-rewritten', kind: 'attack', expected: 'TOTAL_FAILED', reason: 'look-alike of class 2: an empty field\'s appearance made to show something, nothing signed',
    make: async () => signEmptyField(addSignature(withEmptySignatureField(await makeBasePdf(), 'f2', FIELD_RECT), leader()), 'f2', { ...leader(), appearanceOnly: true }) },
  { name: 'unrelated-encapsulated-content', kind: 'attack', expected: 'INDETERMINATE', reason: 'class 4 look-alike: a CMS signing other content than the document never passes',
    make: async () => addSignature(await makeBasePdf(), { ...leader(), makeCms: () => { const other = Buffer.from('other'); return buildCms(hashOf('sha256', other), { signer: identity('rsa') }, { type: '1.2.840.113549.1.7.1', content: other }); } }) },
  { name: 'tampered-no-signed-attributes', kind: 'attack', expected: 'TOTAL_FAILED', reason: 'class 1 look-alike: a changed byte under a signature without signed attributes',
    make: async () => { const pdf = addSignature(await makeBasePdf(), { ...leader(), subFilter: 'adbe.pkcs7.detached', variant: { noSignedAttrs: true } }); const at = pdf.indexOf('BT', 0, 'latin1') + 3; pdf[at] = pdf[at] === 0x31 ? 0x32 : 0x31; return pdf; } },
  { name: 'rogue-root', kind: 'attack', expected: 'INDETERMINATE', reason: 'a look-alike leader certificate from a rogue root: no chain to a trust anchor',
    make: async () => signWithP12(await makeBasePdf(), { p12: 'rogue-leader', widgetRect: LEADER_RECT }) },
];
