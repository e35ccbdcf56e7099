import { inflateSync } from 'node:zlib';
import { AppError } from '../../contract/errors';
import { requireSuccess, runTool } from './run-tool';

/** The most pixels one page image may have: A3 at 1200 dpi is ~280 million. */
export const MAX_PAGE_PIXELS = 300_000_000;
/** Frames read from one multi-page TIFF. */
export const MAX_TIFF_FRAMES = 1000;

export type ImageKind = 'jpeg' | 'png' | 'tiff' | 'pdf';

/** An image ready to embed as one page: encoded data the PDF takes as-is, and its real resolution. */
export interface PageImage {
  kind: 'jpeg' | 'png';
  /** The whole file (JPEG) — or the concatenated IDAT data (PNG), both passed through unchanged. */
  data: Buffer;
  width: number;
  height: number;
  /** Colour components of the samples (1 grey, 3 colour, 4 CMYK); 1 for a palette. */
  components: number;
  bitsPerComponent: number;
  /** PNG palette (RGB triplets) for colour type 3. */
  palette: Buffer | null;
  /** Adobe-inverted CMYK JPEG. */
  invertedCmyk: boolean;
  /** Dots per inch declared by the file, or null when it declares none. */
  dpi: { x: number; y: number } | null;
  /** The source file's bytes (OCR reads them). */
  source: Buffer;
}

export function sniff(bytes: Buffer): ImageKind | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47 && bytes.readUInt32BE(4) === 0x0d0a1a0a) return 'png';
  if (bytes.length >= 4 && (bytes.readUInt32BE(0) === 0x49492a00 || bytes.readUInt32BE(0) === 0x4d4d002a)) return 'tiff';
  if (bytes.subarray(0, 1024).indexOf('%PDF-', 0, 'latin1') >= 0) return 'pdf';
  return null;
}

/** 11811 pixels a metre is how PNG says 300 dpi; snap such near-integers instead of carrying 299.9994. */
const snap = (dpi: number) => (Math.abs(dpi - Math.round(dpi)) < 0.05 ? Math.round(dpi) : dpi);
const bad = (what: string, detail: string) => new AppError('INPUT_INVALID', `Tệp ảnh ${what} bị hỏng hoặc không đọc được.`, detail);

function checkSize(width: number, height: number, name: string): void {
  if (width < 1 || height < 1 || width * height > MAX_PAGE_PIXELS) {
    throw new AppError('INPUT_INVALID', `Ảnh "${name}" có kích thước ${width} × ${height} điểm ảnh, ngoài giới hạn cho phép.`, `image ${width}x${height} outside 1..${MAX_PAGE_PIXELS} pixels`);
  }
}

export function readJpeg(bytes: Buffer, name: string): PageImage {
  let pos = 2;
  let sof: { width: number; height: number; components: number; bits: number } | null = null;
  let jfif: { x: number; y: number } | null = null;
  let exif: { x: number; y: number } | null = null;
  let adobe = false;
  while (pos + 4 <= bytes.length && !sof) {
    if (bytes[pos] !== 0xff) throw bad(name, `JPEG marker expected at ${pos}`);
    const marker = bytes[pos + 1]!;
    if (marker === 0xff) { pos++; continue; }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { pos += 2; continue; }
    const len = bytes.readUInt16BE(pos + 2);
    const seg = bytes.subarray(pos + 4, pos + 2 + len);
    if (pos + 2 + len > bytes.length || len < 2) throw bad(name, `JPEG segment at ${pos} runs past the end`);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc && seg.length >= 6) {
      sof = { bits: seg[0]!, height: seg.readUInt16BE(1), width: seg.readUInt16BE(3), components: seg[5]! };
    } else if (marker === 0xe0 && seg.length >= 12 && seg.toString('latin1', 0, 5) === 'JFIF\0') {
      const units = seg[7]!, x = seg.readUInt16BE(8), y = seg.readUInt16BE(10);
      if (units === 1 && x > 0 && y > 0) jfif = { x, y };
      if (units === 2 && x > 0 && y > 0) jfif = { x: x * 2.54, y: y * 2.54 };
    } else if (marker === 0xe1 && seg.length > 14 && seg.toString('latin1', 0, 6) === 'Exif\0\0') {
      exif = exifResolution(seg.subarray(6));
    } else if (marker === 0xee && seg.toString('latin1', 0, 5) === 'Adobe') {
      adobe = true;
    }
    pos += 2 + len;
  }
  if (!sof) throw bad(name, 'no JPEG frame header');
  checkSize(sof.width, sof.height, name);
  // The data is passed through undecoded, so a cut-off transfer must be caught here: no end marker.
  if (bytes.subarray(Math.max(0, bytes.length - 4096)).lastIndexOf(Buffer.from([0xff, 0xd9])) < 0) throw bad(name, 'JPEG without end-of-image marker (truncated)');
  const d = jfif ?? exif;
  return {
    kind: 'jpeg', data: bytes, width: sof.width, height: sof.height, components: sof.components, bitsPerComponent: sof.bits,
    palette: null, invertedCmyk: adobe && sof.components === 4, dpi: d ? { x: snap(d.x), y: snap(d.y) } : null, source: bytes,
  };
}

/** XResolution / YResolution / ResolutionUnit of EXIF IFD0. */
function exifResolution(t: Buffer): { x: number; y: number } | null {
  if (t.length < 8) return null;
  const le = t.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) => (le ? t.readUInt16LE(o) : t.readUInt16BE(o));
  const u32 = (o: number) => (le ? t.readUInt32LE(o) : t.readUInt32BE(o));
  const ifd = u32(4);
  if (ifd + 2 > t.length) return null;
  const n = Math.min(u16(ifd), 512);
  let x = 0, y = 0, unit = 2;
  for (let i = 0; i < n; i++) {
    const e = ifd + 2 + i * 12;
    if (e + 12 > t.length) break;
    const tag = u16(e);
    const rational = () => { const o = u32(e + 8); return o + 8 <= t.length && u32(o + 4) ? u32(o) / u32(o + 4) : 0; };
    if (tag === 0x011a) x = rational();
    else if (tag === 0x011b) y = rational();
    else if (tag === 0x0128) unit = u16(e + 8);
  }
  if (!(x > 0 && y > 0) || (unit !== 2 && unit !== 3)) return null;
  return unit === 3 ? { x: x * 2.54, y: y * 2.54 } : { x, y };
}

/** A PNG the PDF can carry as-is: non-interlaced grey, RGB or palette at ≤ 16 bits. */
export function readPng(bytes: Buffer, name: string): PageImage | 'needs-conversion' {
  let pos = 8;
  let ihdr: Buffer | null = null;
  let palette: Buffer | null = null;
  let dpi: { x: number; y: number } | null = null;
  const idat: Buffer[] = [];
  while (pos + 8 <= bytes.length) {
    const len = bytes.readUInt32BE(pos);
    const type = bytes.toString('latin1', pos + 4, pos + 8);
    if (pos + 12 + len > bytes.length) throw bad(name, `PNG chunk ${type} runs past the end`);
    const data = bytes.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') ihdr = data;
    else if (type === 'PLTE') palette = data;
    else if (type === 'pHYs' && data.length >= 9 && data[8] === 1) {
      dpi = { x: snap(data.readUInt32BE(0) * 0.0254), y: snap(data.readUInt32BE(4) * 0.0254) };
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  if (!ihdr || ihdr.length < 13 || idat.length === 0) throw bad(name, 'PNG without IHDR or IDAT');
  const width = ihdr.readUInt32BE(0), height = ihdr.readUInt32BE(4), bits = ihdr[8]!, colourType = ihdr[9]!, interlace = ihdr[12]!;
  checkSize(width, height, name);
  if (interlace !== 0 || colourType === 4 || colourType === 6) return 'needs-conversion';
  if (colourType === 3 && !palette) throw bad(name, 'palette PNG without PLTE');
  if (![1, 2, 4, 8, 16].includes(bits) || ![0, 2, 3].includes(colourType)) throw bad(name, `PNG bit depth ${bits} colour type ${colourType}`);
  const data = Buffer.concat(idat);
  // Passed through undecoded: inflate once (bounded) to know the rows are all there.
  const rowBytes = Math.ceil((width * bits * (colourType === 2 ? 3 : 1)) / 8);
  const expected = height * (rowBytes + 1);
  let inflated: number;
  try {
    inflated = inflateSync(data, { maxOutputLength: expected + 1 }).length;
  } catch (e) {
    throw bad(name, `PNG image data does not inflate: ${(e as Error).message}`);
  }
  if (inflated !== expected) throw bad(name, `PNG image data holds ${inflated} bytes, ${expected} expected`);
  return {
    kind: 'png', data, width, height, components: colourType === 2 ? 3 : 1, bitsPerComponent: bits,
    palette: colourType === 3 ? palette : null, invertedCmyk: false, dpi, source: bytes,
  };
}

/**
 * Images in a form we cannot pass through (multi-page TIFF, interlaced PNG, PNG with alpha) become
 * plain PNGs through ImageMagick: lossless, alpha laid on white paper, resolution carried over.
 */
export async function convertToPngs(bytes: Buffer, name: string, signal?: AbortSignal): Promise<Buffer[]> {
  const info = requireSuccess('identify', await runTool('identify', ['-format', '%w %h\\n', '-'], { input: bytes, signal }), `Không đọc được ảnh "${name}".`);
  const frames = info.toString('latin1').trim().split('\n').filter(Boolean);
  if (frames.length === 0 || frames.length > MAX_TIFF_FRAMES) throw bad(name, `${frames.length} frames`);
  for (const f of frames) { const [w = 0, h = 0] = f.split(' ').map(Number); checkSize(w, h, name); }
  const out: Buffer[] = [];
  for (let i = 0; i < frames.length; i++) {
    const r = await runTool('convert', [`-[${i}]`, '-background', 'white', '-alpha', 'remove', '-alpha', 'off', '-interlace', 'none', '-units', 'PixelsPerInch', 'png:-'], { input: bytes, signal });
    out.push(requireSuccess('convert', r, `Không chuyển được trang ${i + 1} của ảnh "${name}".`));
  }
  return out;
}

/** Every page image of an image file (a TIFF may hold many). */
export async function readImageFile(bytes: Buffer, name: string, signal?: AbortSignal): Promise<PageImage[]> {
  const kind = sniff(bytes);
  if (kind === 'jpeg') return [readJpeg(bytes, name)];
  if (kind === 'png') { const p = readPng(bytes, name); if (p !== 'needs-conversion') return [p]; }
  if (kind === 'png' || kind === 'tiff') {
    return (await convertToPngs(bytes, name, signal)).map((png) => {
      const p = readPng(png, name);
      if (p === 'needs-conversion') throw bad(name, 'converted PNG still not embeddable');
      return p;
    });
  }
  throw new AppError('INPUT_INVALID', `Tệp "${name}" không phải ảnh JPEG, PNG, TIFF hay tệp PDF.`, `unsupported input ${name}`);
}

/**
 * A lossless colour page image (PNG, TIFF page) as a JPEG at `quality`, its resolution kept: the one
 * place pages are re-encoded, and only when the clerk asks (photos, where lossless is needlessly large).
 * Grey, palette and JPEG pages are left as they are.
 */
export async function asJpeg(image: PageImage, quality: number, name: string, signal?: AbortSignal): Promise<PageImage> {
  if (image.kind !== 'png' || image.palette || image.components !== 3) return image;
  const density = image.dpi ? ['-density', `${image.dpi.x}x${image.dpi.y}`, '-units', 'PixelsPerInch'] : [];
  const r = await runTool('convert', ['png:-', '-quality', String(quality), '-sampling-factor', '1x1', ...density, 'jpeg:-'], { input: image.source, signal });
  const jpeg = readJpeg(requireSuccess('convert', r, `Không nén được ảnh "${name}" sang JPEG.`), name);
  return { ...jpeg, dpi: image.dpi };
}
