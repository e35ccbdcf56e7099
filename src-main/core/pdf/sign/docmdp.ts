import { PDFArray, PDFDict, PDFName, PDFNumber, type PDFDocument } from '@cantoo/pdf-lib';
import { AppError } from '../../../contract/errors';

/**
 * A certification signature with DocMDP P=1 forbids every later change, signatures included: adding
 * one would only turn the certifier's signature invalid, so refuse before touching the file.
 */
export function assertSigningPermitted(doc: PDFDocument): void {
  const perms = doc.catalog.lookupMaybe(PDFName.of('Perms'), PDFDict);
  const sig = perms?.lookupMaybe(PDFName.of('DocMDP'), PDFDict);
  const refs = sig?.lookupMaybe(PDFName.of('Reference'), PDFArray);
  for (let i = 0; refs && i < Math.min(refs.size(), 16); i++) {
    const ref = refs.lookup(i);
    if (!(ref instanceof PDFDict)) continue;
    const params = ref.lookupMaybe(PDFName.of('TransformParams'), PDFDict);
    const p = params?.lookup(PDFName.of('P'));
    if (p instanceof PDFNumber && p.asNumber() === 1) {
      throw new AppError('SIGN_REFUSED', 'Văn bản đã được chứng thực ở chế độ không cho phép bất kỳ thay đổi nào, kể cả thêm chữ ký; không ký được.', 'DocMDP P=1');
    }
  }
}
