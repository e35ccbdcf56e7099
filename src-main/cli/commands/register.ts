import { createReadStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { AppError } from '../../contract/errors';
import { defaultDataDir, loadSettings, registerDbPath } from '../../core/config';
import { openRegister, restoreDatabase, type AgencyInfo, type ImportReport, type PrintKind, type RegisterService } from '../../core/register/index';
import { EXIT, flagString, parseArgs, type CliCommand, type CliIo } from '../io';

const USAGE = `vanthu register — sổ đăng ký văn bản (ngoại tuyến)

  register import <records.jsonl>                    nhập văn bản (mỗi dòng một bản ghi JSON, xem RECORDS.md)
  register search "<từ khóa>" [--book B] [--year N] [--page N] [--json]
  register print --book den|di|<sổ> --year YYYY -o <out.pdf> [--kind so|theo-doi|bao-cao] [--quyen N]
  register close --book <sổ> --until YYYY-MM-DD      đóng sổ đến ngày
  register audit verify                              kiểm tra toàn vẹn nhật ký hệ thống
  register backup <tệp>                              sao lưu trực tuyến
  register restore <tệp>                             khôi phục từ bản sao lưu đã kiểm tra
Tùy chọn chung: --db <đường dẫn> (mặc định: thư mục dữ liệu người dùng/vanthu/register.db)`;

const MAX_LINE = 1_000_000;
const CHUNK = 1000;


/** The workstation's own register: the configured data folder, else the user's (never the demo provisioning). */
export function defaultDbPath(env: NodeJS.ProcessEnv): string {
  return registerDbPath(env.VANTHU_CONFIG ? loadSettings(env).dataDir : defaultDataDir(env));
}

/** The agency from the administrator's settings; without them, a neutral placeholder. */
function agencyFrom(io: CliIo): AgencyInfo {
  if (!io.env.VANTHU_CONFIG) return { name: 'Cơ quan chưa cấu hình', code: '', abbr: io.env.VANTHU_AGENCY_ABBR || 'VP' };
  const s = loadSettings(io.env);
  return { name: s.agency.name, code: s.agency.code, abbr: io.env.VANTHU_AGENCY_ABBR || s.agency.abbr };
}

function usage(io: CliIo, msg?: string): number {
  if (msg) io.err(msg);
  io.err(USAGE);
  return EXIT.USAGE;
}

async function importFile(reg: RegisterService, file: string, io: CliIo): Promise<ImportReport> {
  const total: ImportReport = { imported: 0, failed: [], duplicates: 0 };
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let records: unknown[] = [];
  let lineNumbers: number[] = [];
  const flush = () => {
    const r = reg.importRecords(records, { lineNumbers });
    total.imported += r.imported;
    total.duplicates += r.duplicates;
    total.failed.push(...r.failed);
    records = [];
    lineNumbers = [];
  };
  let line = 0;
  for await (const text of rl) {
    line++;
    if (text.trim() === '') continue;
    if (text.length > MAX_LINE) {
      total.failed.push({ line, code: 'INPUT_INVALID', message: 'Dòng quá dài.' });
      continue;
    }
    try {
      records.push(JSON.parse(text));
      lineNumbers.push(line);
    } catch {
      total.failed.push({ line, code: 'INPUT_INVALID', message: 'Dòng không phải JSON hợp lệ.' });
    }
    if (records.length >= CHUNK) flush();
  }
  if (records.length) flush();
  total.failed.sort((a, b) => a.line - b.line);
  return total;
}

const PRINT_KINDS = ['so', 'theo-doi', 'bao-cao'] as const;

const register: CliCommand = async (args, io) => {
  const { flags, positionals } = parseArgs(args, ['json']);
  const [sub, ...rest] = positionals;
  if (!sub || sub === 'help' || flags.has('help')) return usage(io);
  const dbPath = resolve(flagString(flags, 'db') ?? defaultDbPath(io.env));
  const json = flags.has('json');

  if (sub === 'restore') {
    const file = rest[0];
    if (!file) return usage(io, 'Thiếu tệp sao lưu.');
    const check = restoreDatabase(resolve(file), dbPath);
    io.out(json ? JSON.stringify(check) : `Đã khôi phục cơ sở dữ liệu từ ${file} (phiên bản ${check.version}, ${check.audit.count} mục nhật ký).`);
    return EXIT.OK;
  }
  if (!['import', 'search', 'print', 'close', 'audit', 'backup'].includes(sub)) return usage(io, `Lệnh con không hợp lệ: ${sub}`);
  if (sub === 'import' && (!rest[0] || !existsSync(rest[0]))) return usage(io, `Không tìm thấy tệp: ${rest[0] ?? ''}`);

  const reg = openRegister(dbPath, { agency: agencyFrom(io), actor: io.env.USER ? `cli:${io.env.USER}` : 'cli' });
  try {
    switch (sub) {
      case 'import': {
        const r = await importFile(reg, rest[0]!, io);
        if (json) io.out(JSON.stringify(r));
        else {
          io.out(`Đã nhập ${r.imported} văn bản; ${r.failed.length} dòng lỗi; ${r.duplicates} văn bản có cảnh báo trùng.`);
          for (const f of r.failed.slice(0, 100)) io.out(`  Dòng ${f.line}: ${f.message}`);
        }
        return r.failed.length ? EXIT.DATA : EXIT.OK;
      }
      case 'search': {
        const text = rest.join(' ');
        const year = flagString(flags, 'year');
        const page = flagString(flags, 'page');
        const book = flagString(flags, 'book');
        const r = reg.search({ text, ...(book ? { book } : {}), ...(year ? { year: Number(year) } : {}), ...(page ? { page: Number(page) } : {}) });
        if (json) io.out(JSON.stringify(r));
        else {
          io.out(`${r.total}${r.totalCapped ? '+' : ''} kết quả (trang ${r.page}):`);
          for (const d of r.items) io.out(`  [${d.book} ${d.number ?? '-'}] ${d.code ?? ''} ${d.IssuedDate ?? ''} — ${d.TypeName}: ${d.Subject}`);
        }
        return EXIT.OK;
      }
      case 'print': {
        const book = flagString(flags, 'book');
        const year = Number(flagString(flags, 'year'));
        const out = flagString(flags, 'out');
        const kindFlag = (flagString(flags, 'kind') ?? 'so') as (typeof PRINT_KINDS)[number];
        if (!book || !Number.isInteger(year) || !out || !PRINT_KINDS.includes(kindFlag)) return usage(io, 'Cần --book, --year và -o.');
        const direction = reg.books().find((b) => b.id === book)?.direction;
        if (!direction) throw new AppError('NOT_FOUND', `Không có sổ văn bản "${book}".`, `book ${book}`);
        const kind: PrintKind = kindFlag === 'so' ? `so-${direction}` : kindFlag === 'theo-doi' ? 'theo-doi' : `bao-cao-${direction}`;
        const quyen = flagString(flags, 'quyen');
        const r = await reg.print({ kind, book, year, out: resolve(out), ...(quyen ? { quyenSo: Number(quyen) } : {}) });
        io.out(json ? JSON.stringify(r) : `Đã in ${r.rows} văn bản, ${r.pages} trang: ${r.path}`);
        return EXIT.OK;
      }
      case 'close': {
        const book = flagString(flags, 'book');
        const until = flagString(flags, 'until');
        if (!book || !until) return usage(io, 'Cần --book và --until.');
        const r = reg.closeBook(book, until);
        io.out(json ? JSON.stringify(r) : `Đã đóng sổ "${r.book}" đến ngày ${r.until} (${r.entries} văn bản).`);
        return EXIT.OK;
      }
      case 'audit': {
        if (rest[0] !== 'verify') return usage(io, 'Dùng: register audit verify');
        const r = reg.auditVerify();
        if (json) io.out(JSON.stringify(r));
        else if (r.ok) io.out(`Nhật ký hệ thống toàn vẹn (${r.count} mục).`);
        else {
          io.out(`Nhật ký hệ thống KHÔNG toàn vẹn: ${r.problems.length} vấn đề.`);
          for (const p of r.problems) io.out(`  Mục ${p.id}: ${p.kind === 'edited' ? 'bị sửa' : p.kind === 'deleted' ? 'bị xóa' : 'đứt chuỗi'}`);
        }
        return r.ok ? EXIT.OK : EXIT.FAILED;
      }
      case 'backup': {
        const file = rest[0];
        if (!file) return usage(io, 'Thiếu tệp đích.');
        const r = await reg.backup(resolve(file));
        io.out(json ? JSON.stringify(r) : `Đã sao lưu ${r.bytes} byte vào ${r.path}.`);
        return EXIT.OK;
      }
    }
    return EXIT.USAGE;
  } finally {
    reg.dispose();
  }
};

export default register;
