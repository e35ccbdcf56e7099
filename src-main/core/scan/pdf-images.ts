import { IDENTITY, type Matrix } from '../pdf/parse/operators';
import { fullName, walkPaint } from '../verify/paint-walk';
import { inherited, pageContent } from '../pdf/parse/content';
import type { PdfFile } from '../pdf/parse/document';
import { dictOf, type PdfDict, PdfName, PdfStream, PdfString, type PdfObject } from '../pdf/parse/objects';

/** Colour class in pdfimages' vocabulary, so our figures can be compared with `pdfimages -list`. */
export type ColourSpace = 'rgb' | 'gray' | 'cmyk' | 'lab' | 'icc' | 'index' | 'sep' | 'devn' | 'jpx' | 'unknown';

export interface ImageFacts {
  width: number;
  height: number;
  colorSpace: ColourSpace;
  /** Colour components of the image's samples (for index: of its base space). */
  components: number;
  bitsPerComponent: number;
  imageMask: boolean;
  filter: string | null;
}

/** One image drawn on a page: its facts and where the current transformation put it. */
export interface ImagePlacement extends ImageFacts {
  inline: boolean;
  /** Drawn size in points along the image's own axes, and the page-space bounding box. */
  drawnWidthPt: number;
  drawnHeightPt: number;
  box: { x: number; y: number; width: number; height: number };
  xPpi: number;
  yPpi: number;
}

type M = Matrix;
const full = fullName;

/** Facts of an image dictionary (an XObject's or an inline image's, abbreviations expanded). */
export function imageFacts(file: PdfFile, dict: PdfDict, colourSpaces: PdfDict | null, jpxComponents: () => number | null): ImageFacts {
  const get = (k: string, short?: string): PdfObject | undefined => file.resolve(dict.get(k) ?? (short ? dict.get(short) : undefined));
  const num = (o: PdfObject | undefined, d: number) => (typeof o === 'number' ? o : d);
  const imageMask = get('ImageMask', 'IM') === true;
  const filters = get('Filter', 'F');
  const lastFilter = Array.isArray(filters) ? filters[filters.length - 1] : filters;
  const filter = lastFilter instanceof PdfName ? full(lastFilter.name) : null;
  let cs = classify(file, get('ColorSpace', 'CS'), colourSpaces, 0);
  if (imageMask) cs = { colorSpace: 'gray', components: 1 };
  else if (cs.colorSpace === 'unknown' && filter === 'JPXDecode') {
    const n = jpxComponents();
    cs = { colorSpace: 'jpx', components: n ?? 0 };
  }
  return {
    width: num(get('Width', 'W'), 0),
    height: num(get('Height', 'H'), 0),
    ...cs,
    bitsPerComponent: imageMask ? 1 : num(get('BitsPerComponent', 'BPC'), filter === 'JPXDecode' ? 8 : 0),
    imageMask,
    filter,
  };
}

function classify(file: PdfFile, o: PdfObject | undefined, named: PdfDict | null, depth: number): { colorSpace: ColourSpace; components: number } {
  const v = file.resolve(o);
  if (depth > 4 || v === undefined || v === null) return { colorSpace: 'unknown', components: 0 };
  if (v instanceof PdfName) {
    const n = full(v.name);
    if (n === 'DeviceRGB' || n === 'CalRGB') return { colorSpace: 'rgb', components: 3 };
    if (n === 'DeviceGray' || n === 'CalGray') return { colorSpace: 'gray', components: 1 };
    if (n === 'DeviceCMYK') return { colorSpace: 'cmyk', components: 4 };
    const fromResources = named ? named.get(v.name) : undefined;
    return fromResources !== undefined ? classify(file, fromResources, null, depth + 1) : { colorSpace: 'unknown', components: 0 };
  }
  if (!Array.isArray(v) || !(v[0] instanceof PdfName)) return { colorSpace: 'unknown', components: 0 };
  switch (full(v[0].name)) {
    case 'CalRGB': return { colorSpace: 'rgb', components: 3 };
    case 'CalGray': return { colorSpace: 'gray', components: 1 };
    case 'Lab': return { colorSpace: 'lab', components: 3 };
    case 'ICCBased': {
      const s = file.resolve(v[1]);
      const n = s instanceof PdfStream ? file.resolve(s.dict.get('N')) : undefined;
      return { colorSpace: 'icc', components: typeof n === 'number' ? n : 0 };
    }
    // A palette is as colourful as its entries: one of only greys (r = g = b) is a greyscale image.
    case 'Indexed': {
      const base = classify(file, v[1], named, depth + 1).components;
      const table = file.resolve(v[3]);
      const bytes = table instanceof PdfString ? table.bytes : table instanceof PdfStream ? file.streamData(table) : null;
      const grey = base === 3 && bytes !== null && bytes.length >= 3 && [...Array(Math.floor(bytes.length / 3)).keys()].every((k) => bytes[3 * k] === bytes[3 * k + 1] && bytes[3 * k + 1] === bytes[3 * k + 2]);
      return { colorSpace: 'index', components: grey ? 1 : base };
    }
    case 'Separation': return { colorSpace: 'sep', components: 1 };
    case 'DeviceN': { const names = file.resolve(v[1]); return { colorSpace: 'devn', components: Array.isArray(names) ? names.length : 0 }; }
    default: return { colorSpace: 'unknown', components: 0 };
  }
}

/** Number of components from a JPEG 2000 stream's SIZ marker (raw codestream or JP2 box). */
export function jpxComponentCount(data: Buffer): number | null {
  const siz = data.indexOf(Buffer.from([0xff, 0x51]));
  if (siz < 0 || siz + 40 > data.length) return null;
  return data.readUInt16BE(siz + 38);
}

/** Every image a page draws, with the transformation in force (form XObjects and inline images included). */
export function pageImages(file: PdfFile, page: PdfDict): ImagePlacement[] {
  const out: ImagePlacement[] = [];
  const rev = file.lastRevision;
  const res = dictOf(inherited(file, page, 'Resources', rev) ?? undefined);
  walkPaint(file, pageContent(file, page, rev), res, IDENTITY, rev, {
    image: ({ dict, stream, ctm, colourSpaces }) => {
      const jpx = () => stream ? jpxComponentCount(file.bytes.subarray(stream.dataStart, Math.min(stream.dataEnd, stream.dataStart + 4096))) : null;
      out.push(place(imageFacts(file, dict, colourSpaces, jpx), ctm, stream === null));
    },
    visible: () => undefined,
  });
  return out;
}

function place(facts: ImageFacts, ctm: M, inline: boolean): ImagePlacement {
  const w = Math.hypot(ctm[0], ctm[1]);
  const h = Math.hypot(ctm[2], ctm[3]);
  const xs = [ctm[4], ctm[4] + ctm[0], ctm[4] + ctm[2], ctm[4] + ctm[0] + ctm[2]];
  const ys = [ctm[5], ctm[5] + ctm[1], ctm[5] + ctm[3], ctm[5] + ctm[1] + ctm[3]];
  const x = Math.min(...xs), y = Math.min(...ys);
  return {
    ...facts,
    inline,
    drawnWidthPt: w,
    drawnHeightPt: h,
    box: { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y },
    xPpi: w > 0 ? facts.width / (w / 72) : 0,
    yPpi: h > 0 ? facts.height / (h / 72) : 0,
  };
}
