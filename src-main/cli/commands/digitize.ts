import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AppError, isAppError } from '../../contract/errors';
import type { ConformanceReportDto } from '../../contract/scan';
import { MAX_PDF_BYTES } from '../../contract/limits';
import { loadSettings, registerDbPath } from '../../core/config';
import { writeFileAtomic } from '../../core/fsx/atomic-write';
import { isSameFile } from '../../core/fsx/same-file';
import { checkConformance } from '../../core/scan/conformance';
import { digitize, type DigitizeResult, type InputFile } from '../../core/scan/digitize';
import { recordDigitizedAt, sha256Hex } from '../../core/scan/provenance';
import { watchFolder } from '../../core/scan/watch';
import { EXIT, flagString, parseArgs, type CliCommand, type CliIo } from '../io';

const USAGE = `vanthu digitize — số hóa văn bản giấy

  vanthu digitize <ảnh|pdf>… -o <tệp ra.pdf> [--ocr] [--dpi N] [--json]
      ghép ảnh (JPEG, PNG, TIFF nhiều trang) và trang PDF thành một tệp PDF tỷ lệ 100 %, không lấy mẫu lại;
      --ocr thêm lớp chữ ẩn tiếng Việt; --dpi chỉ dùng cho ảnh không ghi độ phân giải
  vanthu digitize check <tệp.pdf> [--json]
      kiểm tra tiêu chuẩn số hóa: PDF ≥ 1.4, ảnh màu, ≥ 200 dpi, tỷ lệ 100 %
  vanthu digitize watch <thư mục> --out-dir <thư mục ra> [--ocr] [--dpi N]
      theo dõi thư mục máy quét mạng ghi tệp vào; mỗi tệp mới thành một tệp PDF (dừng: Ctrl+C)
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

function readInput(path: string): InputFile {
  if (statSync(path).size > MAX_PDF_BYTES) throw new AppError('PDF_TOO_LARGE', `Tệp "${path}" quá lớn.`, `input ${path} over ${MAX_PDF_BYTES} bytes`);
  return { name: basename(path), bytes: readFileSync(path) };
}

function readOrFail(path: string, io: CliIo): InputFile | number {
  try {
    return readInput(path);
  } catch (e) {
    if (isAppError(e)) { io.err(`Lỗi: ${e.vi}`); return EXIT.DATA; }
    io.err(`Lỗi: không đọc được tệp "${path}".`);
    io.err(`[IO_ERROR] ${(e as Error).message}`);
    return EXIT.IO;
  }
}

const check = async (args: string[], io: CliIo): Promise<number> => {
  const { flags, positionals } = parseArgs(args, ['json']);
  if (positionals.length !== 1 || [...flags.keys()].some((k) => k !== 'json')) { io.err(USAGE); return EXIT.USAGE; }
  const input = readOrFail(positionals[0]!, io);
  if (typeof input === 'number') return input;
  try {
    return printReport(checkConformance(input.bytes), io, flags.has('json'));
  } catch (e) {
    if (isAppError(e) && e.code === 'PDF_INVALID') { io.err(`Lỗi: ${e.vi}`); return EXIT.DATA; }
    throw e;
  }
};

/** `vanthu digitize watch`: each file a network scanner drops becomes its own checked, recorded PDF. */
const watch = async (args: string[], io: CliIo): Promise<number> => {
  const { flags, positionals } = parseArgs(args, ['ocr']);
  const outDir = flagString(flags, 'out-dir');
  const dpi = flagString(flags, 'dpi') === undefined ? undefined : Number(flagString(flags, 'dpi'));
  if (positionals.length !== 1 || !outDir || [...flags.keys()].some((k) => !['ocr', 'out-dir', 'dpi'].includes(k)) || (dpi !== undefined && !(Number.isInteger(dpi) && dpi >= 50 && dpi <= 4800))) {
    io.err(USAGE);
    return EXIT.USAGE;
  }
  if (isSameFile(positionals[0]!, outDir)) { io.err('Lỗi: thư mục ra phải khác thư mục đang theo dõi.'); return EXIT.USAGE; }
  const ocr = flags.has('ocr');
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  io.err(`Đang theo dõi thư mục ${positionals[0]} (Ctrl+C để dừng).`);
  try {
    await watchFolder(positionals[0]!, async (f) => {
      const out = join(outDir, `${f.name.replace(/\.[^.]*$/, '')}.pdf`);
      if (existsSync(out)) { io.err(`Bỏ qua ${f.name}: đã có ${out}.`); return; }
      io.err(`Tệp mới: ${f.name}`);
      saveAndReport(io, out, await digitize([{ name: f.name, bytes: f.bytes }], { fallbackDpi: dpi, ocr }), { source: 'import', ocr, json: false });
    }, { signal: stop.signal, onError: (name, e) => io.err(`Lỗi với ${name}: ${isAppError(e) ? e.vi : (e as Error).message}`) });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return EXIT.OK;
};

/** `vanthu digitize`: assemble (and OCR) into -o, record it as digitised here, print the check. */
const digitizeCommand: CliCommand = async (args, io) => {
  if (args[0] === 'check') return check(args.slice(1), io);
  if (args[0] === 'watch') return watch(args.slice(1), io);
  const { flags, positionals } = parseArgs(args, ['ocr', 'json', 'help']);
  if (flags.has('help')) { io.out(USAGE); return EXIT.OK; }
  const unknown = [...flags.keys()].filter((k) => !['ocr', 'json', 'dpi', 'out'].includes(k));
  const out = flagString(flags, 'out');
  const dpiText = flagString(flags, 'dpi');
  const dpi = dpiText === undefined ? undefined : Number(dpiText);
  if (unknown.length || !out || positionals.length === 0 || (dpi !== undefined && !(Number.isInteger(dpi) && dpi >= 50 && dpi <= 4800))) {
    io.err(unknown.length ? `Tham số không hợp lệ: --${unknown.join(', --')}` : !out || positionals.length === 0 ? 'Cần ít nhất một tệp vào và -o <tệp ra.pdf>.' : '--dpi phải là số nguyên từ 50 đến 4800.');
    io.err(USAGE);
    return EXIT.USAGE;
  }
  if (positionals.some((p) => isSameFile(p, out))) { io.err('Lỗi: tệp ra phải khác các tệp vào (bản gốc không bao giờ bị sửa).'); return EXIT.USAGE; }
  const inputs: InputFile[] = [];
  for (const p of positionals) {
    const f = readOrFail(p, io);
    if (typeof f === 'number') return f;
    inputs.push(f);
  }
  const ocr = flags.has('ocr');
  let result;
  try {
    result = await digitize(inputs, {
      fallbackDpi: dpi, ocr,
      onOcrProgress: (p) => io.err(`Nhận dạng chữ: xong trang ${p.page} (${p.done}/${p.pageCount})`),
    });
  } catch (e) {
    if (isAppError(e) && (e.code === 'INPUT_INVALID' || e.code === 'PDF_INVALID' || e.code === 'PDF_TOO_LARGE')) { io.err(`Lỗi: ${e.vi}`); io.err(`[${e.code}] ${e.message}`); return EXIT.DATA; }
    throw e;
  }
  return saveAndReport(io, out, result, { source: 'import', ocr, json: flags.has('json') });
};

/**
 * The common end of `scan` and `digitize`: write -o atomically, record the bytes as digitised on this
 * workstation (the register database of the data folder), print the check; exit 0 only if it conforms.
 */
export function saveAndReport(io: CliIo, out: string, result: DigitizeResult, o: { source: 'scan' | 'import'; ocr: boolean; json: boolean }): number {
  try {
    writeFileAtomic(out, [result.pdf]);
  } catch (e) {
    io.err(`Lỗi: ${isAppError(e) ? e.vi : `không ghi được tệp "${out}".`}`);
    return EXIT.IO;
  }
  recordDigitizedAt(registerDbPath(loadSettings(io.env).dataDir), {
    sha256: sha256Hex(result.pdf), source: o.source, pageCount: result.report.pageCount, conforms: result.report.conforms, ocr: o.ocr, actor: 'cli',
  });
  if (!o.json) io.out(`Đã ghi ${out} (${result.report.pageCount} trang).`);
  return printReport(result.report, io, o.json);
}

export default digitizeCommand;
