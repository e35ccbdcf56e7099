import { isAppError } from '../../contract/errors';
import { digitize } from '../../core/scan/digitize';
import { listScanners, PAPER_MM, scanPages, type ScanMode, type ScanSource } from '../../core/scan/sane';
import { EXIT, flagString, parseArgs, type CliCommand } from '../io';
import { saveAndReport } from './digitize';

const USAGE = `vanthu scan — quét văn bản giấy qua SANE

  vanthu scan --list
  vanthu scan --device <tên> [--dpi 300] [--mode color|gray] [--source flatbed|adf|adf-duplex]
              [--paper a4|a5|a3|letter] [--ocr] [--json] -o <tệp ra.pdf>
Mặc định: 300 dpi, màu, mặt kính phẳng, khổ A4 (giới hạn trong vùng quét của máy).
Mã thoát: 0 tệp đạt tiêu chuẩn số hóa; 1 không đạt; 64+ lỗi sử dụng, máy quét hoặc ghi tệp.`;

const MODES: readonly ScanMode[] = ['color', 'gray'];
const SOURCES: readonly ScanSource[] = ['flatbed', 'adf', 'adf-duplex'];

/** `vanthu scan`: scan → PDF at 100 % → (OCR) → check, recorded as digitised on this workstation. */
const scan: CliCommand = async (args, io) => {
  const { flags, positionals } = parseArgs(args, ['list', 'ocr', 'json', 'help']);
  if (flags.has('help')) { io.out(USAGE); return EXIT.OK; }
  const known = ['list', 'ocr', 'json', 'device', 'dpi', 'mode', 'source', 'paper', 'out'];
  const unknown = [...flags.keys()].filter((k) => !known.includes(k));
  if (unknown.length || positionals.length) { io.err(USAGE); return EXIT.USAGE; }
  if (flags.has('list')) {
    const devices = await listScanners(io.env);
    if (flags.has('json')) io.out(JSON.stringify(devices, null, 2));
    else if (devices.length === 0) io.out('Không tìm thấy máy quét nào.');
    else for (const d of devices) io.out(`${d.name}\t${d.vendor} ${d.model} (${d.type})`);
    return EXIT.OK;
  }
  const device = flagString(flags, 'device');
  const out = flagString(flags, 'out');
  const dpi = Number(flagString(flags, 'dpi') ?? 300);
  const mode = (flagString(flags, 'mode') ?? 'color') as ScanMode;
  const source = (flagString(flags, 'source') ?? 'flatbed') as ScanSource;
  const paper = (flagString(flags, 'paper') ?? 'a4') as keyof typeof PAPER_MM;
  if (!device || !out || !Number.isInteger(dpi) || dpi < 50 || dpi > 4800 || !MODES.includes(mode) || !SOURCES.includes(source) || !(paper in PAPER_MM)) {
    io.err('Tham số không hợp lệ.');
    io.err(USAGE);
    return EXIT.USAGE;
  }
  const ocr = flags.has('ocr');
  let result;
  try {
    const pages = await scanPages({ device, dpi, mode, source, widthMm: PAPER_MM[paper][0], heightMm: PAPER_MM[paper][1] }, {
      env: io.env, onPage: (p) => io.err(`Đã quét trang ${p.index + 1}`),
    });
    result = await digitize(pages.map((p) => ({ name: `trang-${p.index + 1}.png`, bytes: p.png })), {
      ocr, onOcrProgress: (p) => io.err(`Nhận dạng chữ: xong trang ${p.page} (${p.done}/${p.pageCount})`),
    });
  } catch (e) {
    if (!isAppError(e)) throw e;
    io.err(`Lỗi: ${e.vi}`);
    io.err(`[${e.code}] ${e.message}`);
    return e.code === 'IO_ERROR' ? EXIT.IO : EXIT.USAGE;
  }
  return saveAndReport(io, out, result, { source: 'scan', ocr, json: flags.has('json') });
};

export default scan;
