import type { ScanProgressDto } from '../../contract/scan';
import { PAPER_MM } from '../../core/scan/sane';
import { EXIT, flagString, parseArgs, type CliCommand } from '../io';
import { assembleAndSave, cliJobId, viaBackend } from './digitize';

const USAGE = `vanthu scan — quét văn bản giấy qua SANE

  vanthu scan --list
  vanthu scan --device <tên> [--dpi 300] [--mode color|gray] [--source flatbed|adf|adf-duplex]
              [--paper a4|a5|a3|letter] [--ocr] [--json] -o <tệp ra.pdf>
Mặc định: 300 dpi, màu, mặt kính phẳng, khổ A4 (giới hạn trong vùng quét của máy).
Mã thoát: 0 tệp đạt tiêu chuẩn số hóa; 1 không đạt; 64+ lỗi sử dụng, máy quét hoặc ghi tệp.`;

const MODES = ['color', 'gray'] as const;
const SOURCES = ['flatbed', 'adf', 'adf-duplex'] as const;
const oneOf = <T extends string>(list: readonly T[], v: string): v is T => (list as readonly string[]).includes(v);

/** `vanthu scan`: scan.acquire → digitize.assemble on the in-process backend, as the screen does. */
const scan: CliCommand = async (args, io) => {
  const { flags, positionals } = parseArgs(args, ['list', 'ocr', 'json', 'help']);
  if (flags.has('help')) { io.out(USAGE); return EXIT.OK; }
  const known = ['list', 'ocr', 'json', 'device', 'dpi', 'mode', 'source', 'paper', 'out'];
  if ([...flags.keys()].some((k) => !known.includes(k)) || positionals.length) { io.err(USAGE); return EXIT.USAGE; }
  if (flags.has('list')) {
    return viaBackend(io, async (b) => {
      const { devices } = await b.call('scan.devices', {});
      if (flags.has('json')) io.out(JSON.stringify(devices, null, 2));
      else if (devices.length === 0) io.out('Không tìm thấy máy quét nào.');
      else for (const d of devices) io.out(`${d.name}\t${d.vendor} ${d.model} (${d.type})`);
      return EXIT.OK;
    });
  }
  const device = flagString(flags, 'device');
  const out = flagString(flags, 'out');
  const dpi = Number(flagString(flags, 'dpi') ?? 300);
  const mode = flagString(flags, 'mode') ?? 'color';
  const source = flagString(flags, 'source') ?? 'flatbed';
  const paper = flagString(flags, 'paper') ?? 'a4';
  if (!device || !out || !Number.isInteger(dpi) || dpi < 50 || dpi > 4800 || !oneOf(MODES, mode) || !oneOf(SOURCES, source) || !oneOf(Object.keys(PAPER_MM) as Array<keyof typeof PAPER_MM>, paper)) {
    io.err('Tham số không hợp lệ.');
    io.err(USAGE);
    return EXIT.USAGE;
  }
  return viaBackend(io, async (b) => {
    const jobId = cliJobId();
    const off = b.subscribe((event, payload) => {
      const p = payload as ScanProgressDto;
      if (event === 'scan.progress' && p.jobId === jobId && p.stage === 'scan') io.err(`Đã quét trang ${p.page}`);
    });
    let pages: string[];
    try {
      ({ pages } = await b.call('scan.acquire', { jobId, device, dpi, mode, source, paper }));
    } finally {
      off();
    }
    return assembleAndSave(b, io, pages, { ocr: flags.has('ocr'), out, json: flags.has('json') });
  });
};

export default scan;
