import { degrees, PDFDocument, PDFHexString, PDFName, PDFRawStream, popGraphicsState, pushGraphicsState, concatTransformationMatrix, drawObject, type PDFPage } from '@cantoo/pdf-lib';
import { AppError } from '../../contract/errors';
import type { PageImage } from './images';
import { PT_PER_INCH } from './standard';

/** One page of the document being assembled: a page image, or a page of an imported PDF. */
export type PageSource =
  | { kind: 'image'; name: string; image: PageImage; rotate?: number }
  | { kind: 'pdf'; name: string; doc: PDFDocument; index: number; rotate?: number };

/** The resolution a page image is placed at: its own, else the clerk's --dpi, else refused. */
export function placementDpi(image: PageImage, name: string, fallbackDpi?: number): { x: number; y: number } {
  if (image.dpi) return image.dpi;
  if (fallbackDpi) return { x: fallbackDpi, y: fallbackDpi };
  throw new AppError('INPUT_INVALID', `Ảnh "${name}" không ghi độ phân giải; hãy nhập độ phân giải khi quét (ví dụ --dpi 300).`, `image ${name} carries no resolution and no fallback dpi was given`);
}

/**
 * The image as a PDF image XObject, its encoded bytes passed through: a JPEG as DCTDecode, a PNG's
 * IDAT as FlateDecode with the PNG predictor. Nothing is decoded or resampled.
 */
function imageStream(doc: PDFDocument, img: PageImage): PDFRawStream {
  const colourSpace = img.palette
    // The palette as a hex string: raw bytes in a literal string would need escaping.
    ? [PDFName.of('Indexed'), PDFName.of('DeviceRGB'), img.palette.length / 3 - 1, PDFHexString.of(img.palette.toString('hex'))]
    : img.components === 4 ? 'DeviceCMYK' : img.components === 3 ? 'DeviceRGB' : 'DeviceGray';
  const dict: Record<string, unknown> = {
    Type: 'XObject', Subtype: 'Image', Width: img.width, Height: img.height, BitsPerComponent: img.bitsPerComponent,
    ColorSpace: colourSpace,
  };
  if (img.kind === 'jpeg') {
    dict.Filter = 'DCTDecode';
    if (img.invertedCmyk) dict.Decode = [1, 0, 1, 0, 1, 0, 1, 0];
  } else {
    dict.Filter = 'FlateDecode';
    dict.DecodeParms = { Predictor: 15, Colors: img.palette ? 1 : img.components, BitsPerComponent: img.bitsPerComponent, Columns: img.width };
  }
  return doc.context.stream(img.data, dict as never);
}

/** Adds a page whose size is the image's pixels at its real resolution, the image drawn over all of it. */
function addImagePage(doc: PDFDocument, src: Extract<PageSource, { kind: 'image' }>, fallbackDpi?: number): PDFPage {
  const dpi = placementDpi(src.image, src.name, fallbackDpi);
  const w = (src.image.width / dpi.x) * PT_PER_INCH;
  const h = (src.image.height / dpi.y) * PT_PER_INCH;
  const page = doc.addPage([w, h]);
  const ref = doc.context.register(imageStream(doc, src.image));
  const name = page.node.newXObject('Scan', ref);
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(w, 0, 0, h, 0, 0), drawObject(name), popGraphicsState());
  return page;
}

export interface AssembleOptions {
  /** Resolution for images that declare none. */
  fallbackDpi?: number;
  /** Per page (same order), a one-page PDF of invisible OCR text to lay over it, or null. */
  textLayers?: ReadonlyArray<Buffer | null>;
}

/**
 * Builds the digitised PDF (version 1.7, so ≥ 1.4) from pages in order. Imported PDF pages are copied
 * unchanged; a text layer is drawn over its page scaled to the page box, so it lines up with the words.
 */
export async function assemblePdf(sources: readonly PageSource[], opts: AssembleOptions = {}): Promise<Buffer> {
  if (sources.length === 0) throw new AppError('INPUT_INVALID', 'Chưa có trang nào để tạo tệp PDF.', 'assemble: no pages');
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setProducer('vanthu');
  doc.setCreator('vanthu — số hóa');
  for (const [i, src] of sources.entries()) {
    const page = src.kind === 'image' ? addImagePage(doc, src, opts.fallbackDpi) : (await doc.copyPages(src.doc, [src.index]))[0]!;
    if (src.kind === 'pdf') doc.addPage(page);
    const layer = opts.textLayers?.[i];
    if (layer) {
      const [embedded] = await doc.embedPdf(layer, [0]);
      const { width, height } = page.getSize();
      page.drawPage(embedded!, { x: 0, y: 0, width, height });
    }
    const turn = (((src.rotate ?? 0) % 360) + 360) % 360;
    if (turn) page.setRotation(degrees((page.getRotation().angle + turn) % 360));
  }
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}
