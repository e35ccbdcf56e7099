import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isAppError, type ErrorCode } from '../../contract/errors';
import { JPEG_QUALITY, type ConformanceReportDto, type ScanProgressDto } from '../../contract/scan';
import { loadSettings } from '../../core/config';
import { isSameFile } from '../../core/fsx/same-file';
import { watchFolder } from '../../core/scan/watch';
import { withBackend, type CliBackend } from '../backend-client';
import { EXIT, flagString, parseArgs, type CliCommand, type CliIo } from '../io';

const USAGE = `vanthu digitize — số hóa văn bản giấy

  vanthu digitize <ảnh|pdf>… -o <tệp ra.pdf> [--ocr] [--dpi N] [--jpeg-quality Q] [--json]
      ghép ảnh (JPEG, PNG, TIFF nhiều trang) và trang PDF thành một tệp PDF tỷ lệ 100 %, không lấy mẫu lại;
      --ocr thêm lớp chữ ẩn tiếng Việt; --dpi chỉ dùng cho ảnh không ghi độ phân giải;
      --jpeg-quality Q (50–100) lưu ảnh màu không nén mất dữ liệu (PNG, TIFF, ví dụ ảnh chụp) thành JPEG chất lượng Q
  vanthu digitize check <tệp.pdf> [--json]
      kiểm tra tiêu chuẩn số hóa: PDF ≥ 1.4, ảnh màu, ≥ 200 dpi, tỷ lệ 100 %
  vanthu digitize watch <thư mục> --out-dir <thư mục ra> [--ocr] [--dpi N]
      theo dõi thư mục máy quét mạng ghi tệp vào; mỗi tệp mới thành một tệp PDF (dừng: Ctrl+C)
  vanthu digitize register <tệp.pdf> --subject <trích yếu> [--type <loại>] [--organ <cơ quan>] [--book den]
                           [--arrival YYYY-MM-DD] [--note <ghi chú>] [--json]
      vào sổ văn bản đến dưới dạng số hóa: kiểm tra tiêu chuẩn trước (không đạt: từ chối, mã 1), đính kèm tệp
      (lớp chữ OCR tìm kiếm được), ghi chú nguồn gốc: do máy này số hóa hay không
Mã thoát: 0 đạt; 1 không đạt (kèm các trang và lý do); 64+ lỗi sử dụng hoặc đọc/ghi tệp.`;

/** Prints a conformance report in Vietnamese (or as JSON) and returns the exit code it means. */
export function printReport(report: ConformanceReportDto, io: CliIo, json: boolean): number {
  if (json) io.out(JSON.stringify(report, null, 2));
  else {
    io.out(report.summaryVi);
    for (const p of report.pages) {
      const img = p.image ? `${p.image.width} × ${p.image.height} điểm ảnh, ${p.image.colorSpace}, ${p.dpi} dpi` : 'không có ảnh';
      io.out(`  Trang ${p.page}: ${p.conforms ? 'đạt' : 'KHÔNG ĐẠT'} — ${p.widthMm} × ${p.heightMm} mm, ${img}`);
      for (const pr of p.problems) io.out(`    - ${pr.vi}`);
    }
  }
  return report.conforms ? EXIT.OK : EXIT.FAILED;
}

const EXIT_OF: Partial<Record<ErrorCode, number>> = { INPUT_INVALID: EXIT.DATA, PDF_INVALID: EXIT.DATA, PDF_TOO_LARGE: EXIT.DATA, NOT_FOUND: EXIT.IO, IO_ERROR: EXIT.IO };

/**
 * The scan and digitize commands run on the in-process backend (the same contract methods the screen
 * calls); a refusal prints its Vietnamese sentence and becomes an exit code: bad input 65, I/O 74.
 */
export async function viaBackend(io: CliIo, run: (b: CliBackend) => Promise<number>): Promise<number> {
  try {
    return await withBackend(loadSettings(io.env), run);
  } catch (e) {
    if (!isAppError(e)) throw e;
    io.err(`Lỗi: ${e.vi}`);
    io.err(`[${e.code}] ${e.message}`);
    return EXIT_OF[e.code] ?? EXIT.SOFTWARE;
  }
}

/** Each path must be a readable file before the backend takes it (its own messages speak of signing). */
function missing(paths: readonly string[], io: CliIo): number | null {
  for (const p of paths) {
    try {
      if (statSync(p).isFile()) continue;
    } catch { /* reported below */ }
    io.err(`Lỗi: không đọc được tệp "${p}".`);
    return EXIT.IO;
  }
  return null;
}

export const cliJobId = (): string => `cli-${randomBytes(6).toString('hex')}`;

/**
 * digitize.assemble on workspace files, OCR progress on stderr, the PDF written to `out` atomically;
 * the backend has recorded it as digitised here. Exit 0 only if it conforms.
 */
export async function assembleAndSave(b: CliBackend, io: CliIo, files: string[], o: { ocr: boolean; dpi?: number; jpegQuality?: number; out: string; json: boolean }): Promise<number> {
  const jobId = cliJobId();
  const off = b.subscribe((event, payload) => {
    const p = payload as ScanProgressDto;
    if (event === 'scan.progress' && p.jobId === jobId && p.stage === 'ocr') io.err(`Nhận dạng chữ: xong trang ${p.page} (${p.done}/${p.pageCount})`);
  });
  let r;
  try {
    r = await b.call('digitize.assemble', { jobId, files, ocr: o.ocr, name: basename(o.out), ...(o.dpi ? { dpi: o.dpi } : {}), ...(o.jpegQuality ? { jpegQuality: o.jpegQuality } : {}) });
  } finally {
    off();
  }
  b.writeFile(r.fileId, o.out);
  if (!o.json) io.out(`Đã ghi ${o.out} (${r.report.pageCount} trang).`);
  return printReport(r.report, io, o.json);
}

const check = async (args: string[], io: CliIo): Promise<number> => {
  const { flags, positionals } = parseArgs(args, ['json']);
  if (positionals.length !== 1 || [...flags.keys()].some((k) => k !== 'json')) { io.err(USAGE); return EXIT.USAGE; }
  const bad = missing(positionals, io);
  if (bad !== null) return bad;
  return viaBackend(io, async (b) => printReport(await b.call('digitize.check', { fileId: b.putFile(positionals[0]!).fileId }), io, flags.has('json')));
};

const dpiFlag = (flags: Map<string, string | true>): number | undefined | null => {
  const v = flagString(flags, 'dpi');
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= 50 && n <= 4800 ? n : null;
};

/** `vanthu digitize watch`: each file a network scanner drops becomes its own checked, recorded PDF. */
const watch = async (args: string[], io: CliIo): Promise<number> => {
  const { flags, positionals } = parseArgs(args, ['ocr']);
  const outDir = flagString(flags, 'out-dir');
  const dpi = dpiFlag(flags);
  if (positionals.length !== 1 || !outDir || dpi === null || [...flags.keys()].some((k) => !['ocr', 'out-dir', 'dpi'].includes(k))) {
    io.err(USAGE);
    return EXIT.USAGE;
  }
  if (isSameFile(positionals[0]!, outDir)) { io.err('Lỗi: thư mục ra phải khác thư mục đang theo dõi.'); return EXIT.USAGE; }
  const ocr = flags.has('ocr');
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await viaBackend(io, async (b) => {
      io.err(`Đang theo dõi thư mục ${positionals[0]} (Ctrl+C để dừng).`);
      await watchFolder(positionals[0]!, async (f) => {
        const out = join(outDir, `${f.name.replace(/\.[^.]*$/, '')}.pdf`);
        if (existsSync(out)) { io.err(`Bỏ qua ${f.name}: đã có ${out}.`); return; }
        io.err(`Tệp mới: ${f.name}`);
        await assembleAndSave(b, io, [b.putFile(f.path).fileId], { ocr, dpi, out, json: false });
      }, { signal: stop.signal, onError: (name, e) => io.err(`Lỗi với ${name}: ${isAppError(e) ? e.vi : (e as Error).message}`) });
      return EXIT.OK;
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
};

/** Flags of `digitize register` and the Phụ lục VI fields they fill. */
const RECORD_FLAGS: Record<string, string> = { subject: 'Subject', type: 'TypeName', organ: 'OrganName', book: 'book', arrival: 'ArrivalDate', note: 'Description' };

/** `vanthu digitize register`: digitize.register, as the screen's "Vào sổ"; a failing file exits 1 with its pages. */
const registerCommand = async (args: string[], io: CliIo): Promise<number> => {
  const { flags, positionals } = parseArgs(args, ['json']);
  const unknown = [...flags.keys()].filter((k) => k !== 'json' && !(k in RECORD_FLAGS));
  if (positionals.length !== 1 || unknown.length || !flagString(flags, 'subject')) { io.err(USAGE); return EXIT.USAGE; }
  const bad = missing(positionals, io);
  if (bad !== null) return bad;
  const record: Record<string, string> = { book: 'den', TypeName: 'Công văn' };
  for (const [flag, field] of Object.entries(RECORD_FLAGS)) { const v = flagString(flags, flag); if (v !== undefined) record[field] = v; }
  return viaBackend(io, async (b) => {
    let r;
    try {
      r = await b.call('digitize.register', { fileId: b.putFile(positionals[0]!).fileId, record });
    } catch (e) {
      if (!isAppError(e) || e.data?.conforms !== false) throw e;
      io.err(`Lỗi: ${e.vi}`);
      return EXIT.FAILED;
    }
    if (flags.has('json')) io.out(JSON.stringify({ document: r.document, attachment: r.attachment, digitizedHere: r.digitizedHere, source: r.source }, null, 2));
    else io.out(`Đã vào sổ ${r.document.book}: số đến ${r.document.number ?? '—'} (mã ${r.document.id}), đính kèm ${r.attachment.name}. ${r.digitizedHere ? 'Văn bản do máy này số hóa.' : 'Văn bản không do máy này số hóa.'}`);
    return EXIT.OK;
  });
};

/** `vanthu digitize`: assemble (and OCR) into -o, recorded as digitised here, and print the check. */
const digitizeCommand: CliCommand = async (args, io) => {
  if (args[0] === 'check') return check(args.slice(1), io);
  if (args[0] === 'watch') return watch(args.slice(1), io);
  if (args[0] === 'register') return registerCommand(args.slice(1), io);
  const { flags, positionals } = parseArgs(args, ['ocr', 'json', 'help']);
  if (flags.has('help')) { io.out(USAGE); return EXIT.OK; }
  const unknown = [...flags.keys()].filter((k) => !['ocr', 'json', 'dpi', 'jpeg-quality', 'out'].includes(k));
  const out = flagString(flags, 'out');
  const dpi = dpiFlag(flags);
  const q = flagString(flags, 'jpeg-quality');
  const jpegQuality = q === undefined ? undefined : Number(q);
  if (unknown.length || !out || positionals.length === 0 || dpi === null || (jpegQuality !== undefined && !(Number.isInteger(jpegQuality) && jpegQuality >= JPEG_QUALITY.min && jpegQuality <= JPEG_QUALITY.max))) {
    io.err(unknown.length ? `Tham số không hợp lệ: --${unknown.join(', --')}` : !out || positionals.length === 0 ? 'Cần ít nhất một tệp vào và -o <tệp ra.pdf>.' : '--dpi phải là số nguyên từ 50 đến 4800.');
    io.err(USAGE);
    return EXIT.USAGE;
  }
  if (positionals.some((p) => isSameFile(p, out))) { io.err('Lỗi: tệp ra phải khác các tệp vào (bản gốc không bao giờ bị sửa).'); return EXIT.USAGE; }
  const bad = missing(positionals, io);
  if (bad !== null) return bad;
  return viaBackend(io, (b) => assembleAndSave(b, io, positionals.map((p) => b.putFile(p).fileId), { ocr: flags.has('ocr'), dpi, jpegQuality, out, json: flags.has('json') }));
};

export default digitizeCommand;
