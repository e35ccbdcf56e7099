import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PDFDocument, rgb } from '@cantoo/pdf-lib';
import fontkit from '@cantoo/fontkit';

/** Known Vietnamese text of the kind a clerk scans (administrative prose, every tone mark, đ/Đ). */
export const VIETNAMESE_TEXT = [
  'Ủy ban nhân dân tỉnh đề nghị các sở, ban, ngành và Ủy ban nhân dân các huyện, thị xã, thành phố',
  'khẩn trương rà soát, tổng hợp danh mục hồ sơ, tài liệu cần số hóa trong năm, gửi về Sở Nội vụ',
  'trước ngày mười lăm tháng chín. Việc lưu trữ văn bản điện tử phải bảo đảm tính xác thực, toàn vẹn',
  'và khả năng truy cập lâu dài; mọi thay đổi đều được ghi nhận đầy đủ trong sổ đăng ký văn bản đến.',
  'Đồng chí Giám đốc Sở chịu trách nhiệm hướng dẫn, kiểm tra, đôn đốc việc thực hiện quyết định này.',
];

export const FONTS = {
  'Liberation Serif': '/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf',
  'Liberation Sans': '/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf',
  'DejaVu Serif': '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf',
} as const;

/** An A4 page with the lines set in `font` at `sizePt`, wrapped inside 2 cm margins. */
export async function textPage(font: string, sizePt: number, lines: readonly string[] = VIETNAMESE_TEXT): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const f = await doc.embedFont(readFileSync(font), { subset: true });
  const page = doc.addPage([595.28, 841.89]);
  const margin = 57;
  let y = 841.89 - margin - sizePt;
  for (const line of lines) {
    let current = '';
    for (const word of line.split(' ')) {
      const next = current ? `${current} ${word}` : word;
      if (f.widthOfTextAtSize(next, sizePt) > 595.28 - 2 * margin && current) {
        page.drawText(current, { x: margin, y, size: sizePt, font: f, color: rgb(0.05, 0.05, 0.15) });
        y -= sizePt * 1.5;
        current = word;
      } else current = next;
    }
    page.drawText(current, { x: margin, y, size: sizePt, font: f, color: rgb(0.05, 0.05, 0.15) });
    y -= sizePt * 1.5;
  }
  return Buffer.from(await doc.save());
}

/**
 * The page as a colour scan at `dpi`: rendered by poppler, then (when asked) mild Gaussian noise and a
 * small skew, cropped back to the page; PNG truecolour with its resolution.
 */
export function scanOf(pdfPath: string, dpi: number, out: string, opts: { noise?: boolean; skewDeg?: number; topPt?: number } = {}): string {
  // `topPt`: only the top of the page (where the text is), which keeps the noise and skew work small.
  const crop = opts.topPt ? ['-x', '0', '-y', '0', '-W', String(Math.round((595.28 / 72) * dpi)), '-H', String(Math.round((opts.topPt / 72) * dpi))] : [];
  execFileSync('pdftoppm', ['-r', String(dpi), ...crop, '-png', '-singlefile', pdfPath, out.replace(/\.png$/, '')]);
  const args = [out];
  if (opts.noise) args.push('-attenuate', '0.25', '+noise', 'Gaussian');
  if (opts.skewDeg) {
    const size = execFileSync('identify', ['-format', '%wx%h', out], { encoding: 'utf8' });
    args.push('-background', 'white', '-rotate', String(opts.skewDeg), '-gravity', 'center', '-extent', size);
  }
  args.push('-define', 'png:color-type=2', '-depth', '8', '-density', String(dpi), '-units', 'PixelsPerInch', out);
  execFileSync('convert', args);
  return out;
}

/** Character error rate: Levenshtein distance over the reference length, whitespace runs as one space, NFC. */
export function cer(reference: string, hypothesis: string): number {
  const norm = (s: string) => [...s.normalize('NFC').replace(/\s+/g, ' ').trim()];
  const a = norm(reference), b = norm(hypothesis);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]! / Math.max(1, a.length);
}

