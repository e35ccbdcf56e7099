/**
 * A realistic Decree-30 (Phụ lục I) sample: a Quyết định of a provincial People's Committee, with the
 * blanks the clerk fills at issue time ("Số:      /QĐ-UBND", "ngày    tháng    năm 2026") and the
 * signer block "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH / <name>" on the last page. Used by tests, benches and
 * the demo profile.
 */
import fontkit from '@cantoo/fontkit';
import { PDFDocument, PDFName, PDFRawStream, rgb, type PDFFont, type PDFPage } from '@cantoo/pdf-lib';
import { randomBytes } from 'node:crypto';
import { yearInVietnam } from '../../../contract/time';
import { fontBytes } from '../appearance/fonts';

export interface SampleDocumentOptions {
  signerName?: string;
  signerTitle?: string;
  notation?: string;
  pages?: number;
  /** Pads the file with an incompressible stream to about this many bytes (benchmarks). */
  padToBytes?: number;
  /** Year printed in the date line; default the current year in Vietnam. */
  year?: number;
  /** Classic xref table instead of an xref stream. */
  classicXref?: boolean;
}

const MM = 72 / 25.4;

export async function makeSampleDocument(opts: SampleDocumentOptions = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const regular = await doc.embedFont(fontBytes('regular'), { subset: true });
  const bold = await doc.embedFont(fontBytes('bold'), { subset: true });
  const italic = await doc.embedFont(fontBytes('italic'), { subset: true });
  const pages = Math.max(1, opts.pages ?? 1);
  const left = 30 * MM;
  const right = 595.28 - 15 * MM;

  const p1 = doc.addPage([595.28, 841.89]);
  const centre = (page: PDFPage, text: string, font: PDFFont, size: number, cx: number, y: number) =>
    page.drawText(text, { x: cx - font.widthOfTextAtSize(text, size) / 2, y, size, font, color: rgb(0, 0, 0) });
  const leftCx = left + 75;
  const rightCx = right - 130;
  centre(p1, 'ỦY BAN NHÂN DÂN', regular, 13, leftCx, 780);
  centre(p1, 'TỈNH THỬ NGHIỆM', bold, 13, leftCx, 765);
  centre(p1, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', bold, 12, rightCx, 780);
  centre(p1, 'Độc lập - Tự do - Hạnh phúc', bold, 13, rightCx, 765);
  centre(p1, `Số:          /${opts.notation ?? 'QĐ-UBND'}`, regular, 13, leftCx, 735);
  const year = opts.year ?? yearInVietnam();
  centre(p1, `Tỉnh Thử Nghiệm, ngày        tháng        năm ${year}`, italic, 13, rightCx, 735);
  centre(p1, 'QUYẾT ĐỊNH', bold, 14, 297.64, 690);
  centre(p1, 'Về việc ban hành Quy chế công tác văn thư điện tử', bold, 14, 297.64, 672);
  centre(p1, 'ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM', bold, 14, 297.64, 645);
  const body = [
    'Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;',
    'Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ',
    'về công tác văn thư;',
    'Theo đề nghị của Chánh Văn phòng Ủy ban nhân dân tỉnh.',
    'Điều 1. Ban hành kèm theo Quyết định này Quy chế công tác văn thư điện tử.',
    'Điều 2. Quyết định này có hiệu lực kể từ ngày ký.',
    'Điều 3. Chánh Văn phòng, Thủ trưởng các sở, ban, ngành chịu trách nhiệm',
    'thi hành Quyết định này.',
  ];
  let y = 615;
  for (const line of body) {
    p1.drawText(line, { x: left + 20, y, size: 13, font: regular });
    y -= 22;
  }
  for (let i = 2; i <= pages; i++) {
    const p = doc.addPage([595.28, 841.89]);
    centre(p, String(i), regular, 13, 297.64, 810);
    p.drawText(`Nội dung trang ${i}: quy định chi tiết về lập hồ sơ và nộp lưu tài liệu điện tử.`, { x: left, y: 760, size: 13, font: regular });
  }
  const last = doc.getPage(pages - 1);
  const signerCx = right - 100;
  const top = pages === 1 ? 430 : 600;
  centre(last, 'TM. ỦY BAN NHÂN DÂN', bold, 13, signerCx, top);
  centre(last, opts.signerTitle ?? 'CHỦ TỊCH', bold, 13, signerCx, top - 16);
  centre(last, opts.signerName ?? 'Nguyễn Văn An', bold, 14, signerCx, top - 110);
  last.drawText('Nơi nhận:', { x: left, y: top, size: 12, font: bold });
  last.drawText('- Như Điều 3;', { x: left, y: top - 14, size: 11, font: regular });
  last.drawText('- Lưu: VT, VP.', { x: left, y: top - 28, size: 11, font: regular });

  if (opts.padToBytes && opts.padToBytes > 0) {
    // Incompressible, unreferenced-by-content payload attached to the catalog as a private key so it
    // survives saving (a stand-in for the scanned images of a real large document).
    const pad = PDFRawStream.of(doc.context.obj({}) as never, randomBytes(opts.padToBytes));
    doc.catalog.set(PDFName.of('VanthuBenchPadding'), doc.context.register(pad));
  }
  return doc.save({ useObjectStreams: !opts.classicXref });
}
