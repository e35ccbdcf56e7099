/**
 * The modification policy, as data: every class of change a later update may make without touching
 * what a signer signed. changes.ts classifies each difference between revisions; a difference it
 * cannot place in one of these classes is reported as not allowed, with the object, the key and a
 * Vietnamese sentence. REPORT.md lists this table and docs/verification.md explains it; the test named
 * beside each class shows it allowed and shows its look-alike refused.
 */
export interface AllowedChangeClass {
  kind: AllowedKind;
  /** When the change is allowed (English, for maintainers and the log). */
  rule: string;
  /** Why it cannot change what the signer saw. */
  reason: string;
  /** Tests that pin the class (both directions). */
  tests: readonly string[];
}

export type AllowedKind =
  | 'NEW_SIGNATURE' | 'SEAL_OVER_SIGNATURE' | 'SEAL_ON_SCAN' | 'DECREE30_ISSUING' | 'DOC_TIMESTAMP'
  | 'SIGNED_FIELD_ENTRIES' | 'EMPTY_FIELD_APPEARANCE'
  | 'DSS' | 'DSS_ORPHAN' | 'EXTENSIONS' | 'EMBEDDED_FILES' | 'DR_ADDITION'
  | 'FORM_FILL' | 'ANNOTATION' | 'METADATA';

const CHANGES_TEST = 'test/verify/attacks.test.ts';
const LT_TEST = 'test/verify/lt-updates.test.ts';
const SCAN_TEST = 'test/scan/issue-digitized.test.ts';

export const MODIFICATION_POLICY: readonly AllowedChangeClass[] = [
  { kind: 'NEW_SIGNATURE', rule: 'a new signature field whose widget is invisible or over blank page space (not certified with DocMDP 1); on a scanned page (only images and invisible text) blank means paper-white pixels under the widget',
    reason: 'a signature adds its own mark where the page was empty', tests: [CHANGES_TEST, 'test/verify/verify.test.ts', SCAN_TEST] },
  { kind: 'SEAL_OVER_SIGNATURE', rule: 'a new signature widget over the left part of an earlier signature, at most about its size',
    reason: 'the Decree-30 seal is stamped over the left third of the leader\'s signature by rule', tests: ['test/verify/decree30-signer.test.ts'] },
  { kind: 'SEAL_ON_SCAN', rule: 'on a scanned page, a new signature widget of a seal\'s real size (20–60 mm, about square) over ink of the scan, whose appearance paints only soft-masked images whose every opaque pixel is red',
    reason: 'a red seal with a transparent background is stamped over the paper\'s signature (Điều 16.2.a); it adds red marks and cannot white out or rewrite what the signer saw', tests: [SCAN_TEST] },
  { kind: 'DECREE30_ISSUING', rule: 'an organisation signature after a personal one, laid out as NEW_SIGNATURE or SEAL_OVER_SIGNATURE',
    reason: 'the agency adds number, date and seal after the leader signs (Decree 30)', tests: ['test/verify/decree30-signer.test.ts'] },
  { kind: 'DOC_TIMESTAMP', rule: 'a document timestamp (ETSI.RFC3161) added as a new field',
    reason: 'a timestamp proves existence at a time; it shows nothing on the page', tests: [LT_TEST] },
  { kind: 'SIGNED_FIELD_ENTRIES', rule: 'an empty signature field that existed before receives its /V, /AP, /AS, /F in the update that signs it',
    reason: 'signing a prepared field sets exactly these entries of that field', tests: [LT_TEST] },
  { kind: 'EMPTY_FIELD_APPEARANCE', rule: 'the appearance stream of an empty signature field rewritten in the update that signs the field',
    reason: 'some signers reuse the blank field\'s appearance object for the signature\'s appearance', tests: [LT_TEST] },
  { kind: 'DSS', rule: 'the catalog /DSS added or extended, and objects of the earlier DSS rewritten',
    reason: 'validation data (certificates, CRLs, OCSP responses) is not displayed', tests: [LT_TEST] },
  { kind: 'DSS_ORPHAN', rule: 'a new object nothing references that is validation data only: a /VRI-shaped dictionary or a stream of DER',
    reason: 'such an object draws nothing even if some dangling reference reached it', tests: [LT_TEST, CHANGES_TEST] },
  { kind: 'EXTENSIONS', rule: 'the catalog /Extensions (developer extension levels, e.g. ESIC for PAdES) added or changed',
    reason: 'it declares the PDF extension level the file uses; nothing is displayed from it', tests: [LT_TEST] },
  { kind: 'EMBEDDED_FILES', rule: 'the catalog /Names added or changed where only its /EmbeddedFiles tree differs',
    reason: 'long-term validation data may travel as embedded files; they are not page content (a /JavaScript tree is refused)', tests: [LT_TEST] },
  { kind: 'DR_ADDITION', rule: 'the AcroForm /DR (default resources) gains entries while every earlier entry keeps its value',
    reason: 'Adobe Reader adds the fonts of a new signature\'s appearance; what the signed fields used is unchanged', tests: [LT_TEST] },
  { kind: 'FORM_FILL', rule: 'an unlocked field that was empty when signed is filled, its widget over blank space, and DocMDP is absent or ≥ 2',
    reason: 'filling an offered blank is what a form is for; the signer saw nothing there', tests: [CHANGES_TEST] },
  { kind: 'ANNOTATION', rule: 'a new non-widget annotation with DocMDP 3, or without DocMDP when it covers no signed content',
    reason: 'comments are permitted by the certification level and do not hide the text', tests: [CHANGES_TEST] },
  { kind: 'METADATA', rule: 'the document information dictionary or the XMP metadata stream rewritten',
    reason: 'metadata is not displayed on pages', tests: [CHANGES_TEST] },
];

const BY_KIND = new Map(MODIFICATION_POLICY.map((c) => [c.kind, c]));

export function policyClass(kind: AllowedKind): AllowedChangeClass {
  return BY_KIND.get(kind)!;
}
