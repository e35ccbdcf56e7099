/**
 * Bounded, defensive, read-only PDF reader shared by the verifier and the signer. Entry point:
 * `new PdfFile(bytes)` (throws PdfSyntaxError on an unreadable file), then per-revision lookups:
 * `file.revisions`, `file.object(num, rev)`, `file.resolve(obj, rev)`, `catalog/pages/fields(file, rev)`,
 * `signatureEntries(file)`, `pageFingerprint(file, page, rev)`, `contentBoxes(file, pageDict, rev)`.
 */
export { PdfFile, type Revision, type Anomaly, type AnomalyKind, type ObjectLookup } from './document';
export { PdfSyntaxError } from './lexer';
export { LIMITS } from './limits';
export * from './objects';
export { catalog, pages, fields, pageAnnots, rectOf, type Rect, type PageInfo, type FieldInfo, type Widget } from './acroform';
export { signatureEntries, parsePdfDate, type SignatureEntry } from './signatures';
export { pageFingerprint, contentBoxes, pageContent, coveredContent, intersection } from './content';
