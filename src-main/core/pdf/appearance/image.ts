import { PDFDocument, type PDFRef } from '@cantoo/pdf-lib';
import { AppError } from '../../../contract/errors';
import { num, registerFormXObject } from './form-xobject';

const MAX_PNG = 20 * 1024 * 1024;

export interface PngInfo { width: number; height: number; hasAlpha: boolean }

/** Reads the IHDR of a PNG without decoding it (size and whether it can be transparent). */
export function pngInfo(png: Uint8Array): PngInfo {
  const b = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const sig = '89504e470d0a1a0a';
  if (b.length < 33 || b.subarray(0, 8).toString('hex') !== sig || b.subarray(12, 16).toString('latin1') !== 'IHDR') {
    throw new AppError('INPUT_INVALID', 'Tệp ảnh không phải PNG hợp lệ.', 'not a PNG');
  }
  const colorType = b[25]!;
  const hasTrns = b.indexOf('tRNS', 33, 'latin1') > 0;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), hasAlpha: colorType === 4 || colorType === 6 || hasTrns };
}

/**
 * A form XObject drawing `png` scaled to width × height points. Decree 30 wants transparent PNGs
 * (the seal over the signature, the signature over the page), so opaque images are refused.
 */
export async function imageAppearance(doc: PDFDocument, png: Uint8Array, width: number, height: number): Promise<PDFRef> {
  if (png.byteLength > MAX_PNG) throw new AppError('INPUT_INVALID', 'Tệp ảnh quá lớn (trên 20 MB).', `png ${png.byteLength} bytes`);
  const info = pngInfo(png);
  if (!info.hasAlpha) throw new AppError('INPUT_INVALID', 'Ảnh chữ ký/con dấu phải là PNG nền trong suốt.', 'PNG without alpha channel');
  let image;
  try {
    image = await doc.embedPng(png);
  } catch (e) {
    throw new AppError('INPUT_INVALID', 'Không đọc được tệp ảnh PNG.', `embedPng: ${(e as Error).message}`, undefined, { cause: e });
  }
  const content = `q ${num(width)} 0 0 ${num(height)} 0 0 cm /Im0 Do Q`;
  return registerFormXObject(doc, content, width, height, { XObject: { Im0: image.ref } });
}
