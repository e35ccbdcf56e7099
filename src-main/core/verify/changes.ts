import type { PdfFile } from '../pdf/parse/document';
import type { SignatureWork } from './signature';
import type { SignatureReport } from './report';

export type Change = SignatureReport['changesAfter'][number];

export function analyseChanges(file: PdfFile, works: SignatureWork[]): Map<SignatureWork, Change[]> {
  void file;
  return new Map(works.map((w) => [w, []]));
}
