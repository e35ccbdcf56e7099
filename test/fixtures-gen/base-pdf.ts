import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts, rgb } from '@cantoo/pdf-lib';
import fontkit from '@cantoo/fontkit';
import { repoRoot } from '../helpers/pki';

export interface BasePdfOptions {
  pages?: number;
  /** Body text drawn at the top of page 1. */
  text?: string;
  /** Adds an uncompressed random-noise image stream of about this many bytes (size-bound tests, bench). */
  padBytes?: number;
  /** Classic xref table (default) or xref streams with object streams. */
  objectStreams?: boolean;
  /**
   * A text field "ghi_chu" over the body text area (shadow-attack material), or over blank space at the
   * foot of the page (`overBlank`, ordinary form material); read-only and pre-filled on request.
   */
  textField?: { readOnly?: boolean; overBlank?: boolean; value?: string };
  /** An opaque image drawn over a hidden line of text (shadow hide v1 material). */
  overlayImage?: boolean;
}

/**
 * A Decree-30-like one-page document: title, body text, the leader's title line, a blank area for the
 * signature, the printed name, and blank gaps after "Số:" and in the date line (where the agency's
 * number and date widgets go). Geometry is exported so tests can place widgets over blank space.
 */
export const LAYOUT = {
  numberGap: { x: 80, y: 760, width: 60, height: 14 },
  dateGap: { x: 360, y: 760, width: 180, height: 14 },
  signatureBox: { x: 330, y: 470, width: 180, height: 80 },
  bodyText: { x: 72, y: 600, width: 450, height: 120 },
  blankField: { x: 72, y: 150, width: 450, height: 20 },
} as const;

export async function makeBasePdf(opts: BasePdfOptions = {}): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(readFileSync(join(repoRoot, 'resources/fonts/LiberationSerif-Regular.ttf')), { subset: true });
  const n = opts.pages ?? 1;
  for (let i = 0; i < n; i++) {
    const page = doc.addPage([595, 842]);
    if (i > 0) { page.drawText(`Trang ${i + 1}`, { x: 72, y: 780, size: 12, font }); continue; }
    page.drawText('UBND TỈNH THỬ NGHIỆM', { x: 72, y: 800, size: 12, font });
    page.drawText('Số:', { x: 60, y: 762, size: 12, font });
    page.drawText('/QĐ-UBND', { x: 145, y: 762, size: 12, font });
    page.drawText('Hà Nội,', { x: 320, y: 762, size: 12, font });
    page.drawText('QUYẾT ĐỊNH', { x: 250, y: 730, size: 14, font });
    const body = opts.text ?? 'Về việc phê duyệt kế hoạch năm 2026 của Ủy ban nhân dân tỉnh.';
    let y = 700;
    for (let k = 0; k < 6; k++, y -= 18) page.drawText(`${k + 1}. ${body}`, { x: 72, y, size: 12, font });
    page.drawText('CHỦ TỊCH', { x: 390, y: 570, size: 12, font });
    page.drawText('Nguyễn Văn An', { x: 380, y: 450, size: 12, font });
    page.drawRectangle({ x: 72, y: 420, width: 200, height: 1, color: rgb(0, 0, 0) });
  }
  if (opts.textField) {
    const field = doc.getForm().createTextField('ghi_chu');
    field.setText(opts.textField.value ?? '');
    if (opts.textField.readOnly) field.enableReadOnly();
    const at = opts.textField.overBlank ? LAYOUT.blankField : { ...LAYOUT.bodyText, height: 20 };
    field.addToPage(doc.getPage(0), { x: at.x, y: at.y, width: at.width, height: at.height, borderWidth: 0 });
  }
  if (opts.overlayImage) {
    const page = doc.getPage(0);
    page.drawText('Nội dung bị che: số tiền 1.000.000.000 đồng', { x: 72, y: 300, size: 12, font });
    const png = await doc.embedPng(readFileSync(join(repoRoot, 'resources/images/sample-seal-red.png')));
    page.drawImage(png, { x: 60, y: 280, width: 400, height: 50 });
  }
  if (opts.padBytes && opts.padBytes > 0) {
    // Incompressible payload in its own stream, referenced from the catalog so it is part of the file.
    const noise = Buffer.alloc(opts.padBytes);
    let x = 0x12345678;
    for (let i = 0; i < noise.length; i += 4) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; noise.writeUInt32LE(x >>> 0, i - (i + 4 > noise.length ? i + 4 - noise.length : 0)); }
    const ref = doc.context.register(doc.context.stream(noise, {}));
    doc.catalog.set(doc.context.obj('PieceInfo') as never, ref);
  }
  await Promise.resolve(StandardFonts.Helvetica);
  return Buffer.from(await doc.save({ useObjectStreams: opts.objectStreams ?? false }));
}
