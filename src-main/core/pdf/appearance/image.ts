import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PngEmbedder, type PDFRef } from '@cantoo/pdf-lib';
import { AppError } from '../../../contract/errors';
import { num, registerFormXObject } from './form-xobject';

const MAX_PNG = 20 * 1024 * 1024;
/** Decoded pixels are bounded too: a small PNG can inflate to gigabytes (a "PNG bomb"). */
const MAX_PIXELS = 25_000_000;

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

/** A PNG decoded and split into deflated colour and alpha planes, ready to be written as image XObjects. */
interface PreparedPng { width: number; height: number; bitsPerComponent: number; rgb: Uint8Array; alpha: Uint8Array | null }

/**
 * Decoded images by content hash. The seal and the leader's signature are the same few PNGs all day
 * long (four revisions per issue, a batch of hundreds), and decoding plus re-compressing one costs
 * tens of milliseconds in pdf-lib's pure-JS deflate; native zlib and this cache make it once.
 */
const prepared = new Map<string, PreparedPng>();
const PREPARED_MAX = 8;

async function preparePng(png: Uint8Array): Promise<PreparedPng> {
  const key = createHash('sha256').update(png).digest('hex');
  const hit = prepared.get(key);
  if (hit) {
    prepared.delete(key);
    prepared.set(key, hit); // most recently used last
    return hit;
  }
  const info = pngInfo(png);
  if (info.width * info.height > MAX_PIXELS) throw new AppError('INPUT_INVALID', 'Ảnh quá lớn (quá nhiều điểm ảnh).', `png ${info.width}x${info.height}`);
  let image: { width: number; height: number; bitsPerComponent: number; rgbChannel: Uint8Array; alphaChannel?: Uint8Array };
  try {
    // pdf-lib's decoder (UPNG + channel split); its `image` field is public in JS, private in the typings.
    image = (await PngEmbedder.for(png) as unknown as { image: typeof image }).image;
  } catch (e) {
    throw new AppError('INPUT_INVALID', 'Không đọc được tệp ảnh PNG.', `png decode: ${(e as Error).message}`, undefined, { cause: e });
  }
  const out: PreparedPng = {
    width: image.width, height: image.height, bitsPerComponent: image.bitsPerComponent,
    rgb: deflateSync(image.rgbChannel), alpha: image.alphaChannel ? deflateSync(image.alphaChannel) : null,
  };
  prepared.set(key, out);
  if (prepared.size > PREPARED_MAX) prepared.delete(prepared.keys().next().value!);
  return out;
}

/**
 * A form XObject drawing `png` scaled to width × height points. Decree 30 wants transparent PNGs
 * (the seal over the signature, the signature over the page), so opaque images are refused.
 */
export async function imageAppearance(doc: PDFDocument, png: Uint8Array, width: number, height: number): Promise<PDFRef> {
  if (png.byteLength > MAX_PNG) throw new AppError('INPUT_INVALID', 'Tệp ảnh quá lớn (trên 20 MB).', `png ${png.byteLength} bytes`);
  const info = pngInfo(png);
  if (!info.hasAlpha) throw new AppError('INPUT_INVALID', 'Ảnh chữ ký/con dấu phải là PNG nền trong suốt.', 'PNG without alpha channel');
  const img = await preparePng(png);
  const ctx = doc.context;
  const common = { Type: 'XObject', Subtype: 'Image', Width: img.width, Height: img.height, BitsPerComponent: img.bitsPerComponent, Filter: 'FlateDecode' };
  const smask = img.alpha ? ctx.register(ctx.stream(img.alpha, { ...common, ColorSpace: 'DeviceGray', Decode: [0, 1] })) : null;
  const rgb = ctx.stream(img.rgb, { ...common, ColorSpace: 'DeviceRGB' });
  if (smask) rgb.dict.set(PDFName.of('SMask'), smask);
  const imageRef = ctx.register(rgb);
  const content = `q ${num(width)} 0 0 ${num(height)} 0 0 cm /Im0 Do Q`;
  return registerFormXObject(doc, content, width, height, { XObject: { Im0: imageRef } });
}
