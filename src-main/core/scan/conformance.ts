import { AppError } from '../../contract/errors';
import type { ConformanceProblemCode, ConformanceReportDto, PageConformanceDto } from '../../contract/scan';
import { catalog, pages, PdfFile, PdfName, PdfSyntaxError, rectOf, type PageInfo } from '../pdf/parse';
import { inherited } from '../pdf/parse/content';
import { pageImages, type ImagePlacement } from './pdf-images';
import { ptToMm, STANDARD, versionAtLeast } from './standard';

type Problem = { code: ConformanceProblemCode; vi: string };
const fmt = (n: number, d = 0) => n.toLocaleString('vi-VN', { maximumFractionDigits: d, minimumFractionDigits: 0 });

/** The version a reader applies: the header's, unless the catalog's /Version names a later one. */
export function pdfVersion(file: PdfFile): string {
  const head = /%PDF-(\d+\.\d+)/.exec(file.bytes.subarray(0, 1024).toString('latin1'))?.[1] ?? '0.0';
  const v = catalog(file, file.lastRevision)?.get('Version');
  const fromCatalog = v instanceof PdfName && /^\d+\.\d+$/.test(v.name) ? v.name : null;
  return fromCatalog && versionAtLeast(fromCatalog, head) ? fromCatalog : head;
}

/**
 * Checks a PDF against the digitisation standard (docs/digitization.md §1): version, and per page a
 * colour scan at ≥ 200 dpi drawn at 100 % (covering its page, scaled uniformly, no /UserUnit, on a
 * page no smaller than the smallest paper). Colour is judged from the image's colour space, never
 * from its pixels: a colour scan of a black-and-white letter is colour.
 */
export function checkConformance(bytes: Buffer): ConformanceReportDto {
  let file: PdfFile;
  try {
    file = new PdfFile(bytes);
  } catch (e) {
    if (e instanceof PdfSyntaxError) throw new AppError('PDF_INVALID', 'Tệp không phải PDF đọc được.', `conformance: ${e.message}`);
    throw e;
  }
  const version = pdfVersion(file);
  const problems: Problem[] = [];
  if (!versionAtLeast(version, STANDARD.minPdfVersion)) {
    problems.push({ code: 'PDF_VERSION', vi: `Phiên bản PDF ${version} thấp hơn ${STANDARD.minPdfVersion}.` });
  }
  const list = pages(file, file.lastRevision);
  if (list.length === 0) problems.push({ code: 'NO_PAGES', vi: 'Tệp không có trang nào.' });
  const pageReports = list.map((p) => checkPage(file, p));
  const failing = pageReports.filter((p) => !p.conforms);
  const conforms = problems.length === 0 && failing.length === 0;
  const summaryVi = conforms
    ? `Đạt tiêu chuẩn số hóa: PDF ${version}, ${list.length} trang ảnh màu, độ phân giải từ ${fmt(Math.min(...pageReports.map((p) => p.dpi ?? 0)))} dpi, tỷ lệ 100 %.`
    : `Không đạt tiêu chuẩn số hóa: ${[...problems.map((p) => p.vi), failing.length ? `${failing.length}/${list.length} trang không đạt (trang ${failing.slice(0, 10).map((p) => p.page).join(', ')}${failing.length > 10 ? ', …' : ''}).` : ''].filter(Boolean).join(' ')}`;
  return { conforms, version, pageCount: list.length, problems, pages: pageReports, summaryVi };
}

const MAX_PAGES_LISTED = 10;

/** The failing pages of a report as the clerk reads them: one line a page (at most ten, then "…"). */
export function failingPagesVi(report: ConformanceReportDto): string[] {
  const failing = report.pages.filter((p) => !p.conforms);
  const lines = failing.slice(0, MAX_PAGES_LISTED).map((p) => `Trang ${p.page}: ${p.problems.map((x) => x.vi).join('; ')}`);
  if (failing.length > MAX_PAGES_LISTED) lines.push(`… và ${failing.length - MAX_PAGES_LISTED} trang khác.`);
  return lines;
}

function checkPage(file: PdfFile, page: PageInfo): PageConformanceDto {
  const rev = file.lastRevision;
  const crop = inherited(file, page.dict, 'CropBox', rev);
  const box = rectOf(file, crop ?? inherited(file, page.dict, 'MediaBox', rev), rev);
  const unit = file.resolve(page.dict.get('UserUnit'), rev);
  const widthMm = ptToMm(box.width) * (typeof unit === 'number' ? unit : 1);
  const heightMm = ptToMm(box.height) * (typeof unit === 'number' ? unit : 1);
  const pageArea = box.width * box.height;
  const images = pageImages(file, page.dict);
  const scan = images.reduce<ImagePlacement | null>((a, b) => (!a || b.box.width * b.box.height > a.box.width * a.box.height ? b : a), null);
  const problems: Problem[] = [];
  const n = page.index + 1;

  if (!scan) {
    problems.push({ code: 'NO_IMAGE', vi: `Trang ${n} không có ảnh quét (trang tạo từ văn bản điện tử, không phải bản số hóa).` });
  } else {
    const notColour = images.filter((i) => i.box.width * i.box.height >= STANDARD.minorImageShare * pageArea && !isColour(i));
    if (notColour.length) problems.push({ code: 'NOT_COLOUR', vi: `Trang ${n}: ảnh ${describeColour(notColour[0]!)}, không phải ảnh màu.` });
    const dpi = Math.min(scan.xPpi, scan.yPpi);
    if (Math.round(dpi) < STANDARD.minDpi) problems.push({ code: 'LOW_DPI', vi: `Trang ${n}: độ phân giải ${fmt(Math.round(dpi))} dpi, thấp hơn ${STANDARD.minDpi} dpi.` });
    const coverX = Math.min(scan.box.x + scan.box.width, box.x + box.width) - Math.max(scan.box.x, box.x);
    const coverY = Math.min(scan.box.y + scan.box.height, box.y + box.height) - Math.max(scan.box.y, box.y);
    if (coverX < box.width * (1 - STANDARD.fillTolerance) || coverY < box.height * (1 - STANDARD.fillTolerance)) {
      const share = (Math.max(0, coverX) * Math.max(0, coverY)) / pageArea;
      problems.push({ code: 'NOT_FULL_PAGE', vi: `Trang ${n}: ảnh quét chỉ phủ ${fmt(share * 100)} % trang — ảnh đã bị thu nhỏ lên trang, không đúng tỷ lệ 100 %.` });
    }
    if (Math.abs(scan.xPpi - scan.yPpi) > STANDARD.aspectTolerance * Math.max(scan.xPpi, scan.yPpi)) {
      problems.push({ code: 'NON_UNIFORM_SCALE', vi: `Trang ${n}: ảnh bị kéo giãn (${fmt(Math.round(scan.xPpi))} × ${fmt(Math.round(scan.yPpi))} dpi), không đúng tỷ lệ 100 %.` });
    }
  }
  if (typeof unit === 'number' && unit !== 1) problems.push({ code: 'USER_UNIT', vi: `Trang ${n} khai báo đơn vị đo /UserUnit ${fmt(unit, 3)}: kích thước in khác kích thước thật, không đúng tỷ lệ 100 %.` });
  const short = Math.min(widthMm, heightMm);
  const slack = 1 - STANDARD.smallPageTolerance;
  if (short < STANDARD.minShortSideMm * slack || widthMm * heightMm < STANDARD.minAreaMm2 * slack) {
    problems.push({ code: 'PAGE_TOO_SMALL', vi: `Trang ${n} chỉ ${fmt(widthMm)} × ${fmt(heightMm)} mm, nhỏ hơn khổ giấy nhỏ nhất của văn bản (A5, 148 × 210 mm): ảnh đã bị thu nhỏ so với bản giấy, không đúng tỷ lệ 100 %.` });
  }
  return {
    page: n,
    widthMm: round1(widthMm),
    heightMm: round1(heightMm),
    image: scan ? {
      width: scan.width, height: scan.height, colorSpace: scan.colorSpace, components: scan.components,
      bitsPerComponent: scan.bitsPerComponent, filter: scan.filter, xPpi: round1(scan.xPpi), yPpi: round1(scan.yPpi),
    } : null,
    dpi: scan ? round1(Math.min(scan.xPpi, scan.yPpi)) : null,
    colour: scan ? isColour(scan) : false,
    conforms: problems.length === 0,
    problems,
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Three or more components (RGB, Lab, CMYK, a palette with a colour entry), and for direct samples more
 * than one bit each: judged from the colour space, never from the pixels.
 */
export function isColour(i: Pick<ImagePlacement, 'components' | 'imageMask' | 'bitsPerComponent' | 'colorSpace'>): boolean {
  return !i.imageMask && i.components >= 3 && (i.bitsPerComponent > 1 || i.colorSpace === 'index' || i.colorSpace === 'jpx');
}

function describeColour(i: ImagePlacement): string {
  if (i.imageMask || i.bitsPerComponent === 1) return 'đen trắng (1 bit)';
  if (i.components === 1) return 'thang xám';
  if (i.components === 0) return 'không rõ không gian màu';
  return `${i.components} kênh màu`;
}
