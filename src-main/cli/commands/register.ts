import { createReadStream, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { z } from 'zod';
import { createDispatcher, type Dispatch, type DispatchLog } from '../../contract/dispatch';
import { AppError, type ErrorCode } from '../../contract/errors';
import { IMPORT_SLICE, registerMethods } from '../../contract/register';
import { defaultDataDir, loadSettings, registerDbPath } from '../../core/config';
import { checksOutputs } from '../../core/paths';
import type { AgencyInfo } from '../../core/register/index';
import { EXIT, flagString, parseArgs, type CliCommand, type CliIo } from '../io';

const USAGE = `vanthu register — sổ đăng ký văn bản (ngoại tuyến)

  register import <records.jsonl>                    nhập văn bản (mỗi dòng một bản ghi JSON, xem RECORDS.md)
  register search "<từ khóa>" [--book B] [--year N] [--page N] [--json]
  register print --book den|di|<sổ> --year YYYY -o <out.pdf> [--kind so|theo-doi|bao-cao] [--quyen N]
  register close --book <sổ> --until YYYY-MM-DD      đóng sổ đến ngày
  register audit verify [--checkpoint <số mục>:<mã băm>]
                                                     kiểm tra nhật ký hệ thống, sổ và các điểm kiểm tra
  register backup <tệp>                              sao lưu trực tuyến
  register restore <tệp>                             khôi phục từ bản sao lưu đã kiểm tra
Tùy chọn chung: --db <đường dẫn> (mặc định: thư mục dữ liệu người dùng/vanthu/register.db)`;

const MAX_LINE = 1_000_000;
const PRINT_FLAGS = ['so', 'theo-doi', 'bao-cao'] as const;

type Methods = typeof registerMethods;
type Call = <M extends keyof Methods>(method: M, input: z.input<Methods[M]['input']>) => Promise<z.output<Methods[M]['output']>>;

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

/**
 * The CLI is a client of the contract like the UI: the same register handlers behind the same dispatch
 * (input validation, errors), in-process since this process has no UI thread to keep free.
 */
async function contractClient(dbPath: string, io: CliIo, sub: string): Promise<{ call: Call; close: () => void }> {
  let detail = '';
  const log = (l: { msg: string; detail?: string }) => { detail = l.detail ?? l.msg; };
  // A search of a register already at the current schema needs none of the rest (register-search.ts).
  const fast = sub === 'search' ? (await import('../register-search')).openSearchOnly(dbPath, log) : null;
  const { dispatch, close } = fast ?? await openFull(dbPath, io, log);
  const call: Call = async (method, input) => {
    const r = await dispatch(method, input, { transport: 'cli' });
    if (!r.ok) throw new AppError(r.error.code as ErrorCode, r.error.message, `${method}: ${detail}`, r.error.data);
    return r.value as never;
  };
  return { call, close };
}

async function openFull(dbPath: string, io: CliIo, log: DispatchLog): Promise<{ dispatch: Dispatch; close: () => void }> {
  const { openRegister, registerApi } = await import('../../core/register/index');
  const reg = openRegister(dbPath, { agency: agencyFrom(io), actor: io.env.USER ? `cli:${io.env.USER}` : 'cli' });
  return { dispatch: createDispatcher(registerMethods, registerApi(reg), { log, checkOutputs: checksOutputs }), close: () => reg.dispose() };
}

async function importFile(call: Call, file: string): Promise<{ imported: number; failed: Array<{ line: number; code: string; message: string }>; duplicates: number }> {
  const total = { imported: 0, failed: [] as Array<{ line: number; code: string; message: string }>, duplicates: 0 };
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let records: Array<Record<string, never>> = [];
  let lineNumbers: number[] = [];
  const flush = async () => {
    const r = await call('register.import', { records, lineNumbers });
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
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      total.failed.push({ line, code: 'INPUT_INVALID', message: 'Dòng không phải JSON hợp lệ.' });
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      total.failed.push({ line, code: 'INPUT_INVALID', message: 'Dòng không phải một bản ghi JSON.' });
      continue;
    }
    records.push(parsed as Record<string, never>);
    lineNumbers.push(line);
    if (records.length >= IMPORT_SLICE) await flush();
  }
  if (records.length) await flush();
  total.failed.sort((a, b) => a.line - b.line);
  return total;
}

const register: CliCommand = async (args, io) => {
  const { flags, positionals } = parseArgs(args, ['json']);
  const [sub, ...rest] = positionals;
  if (!sub || sub === 'help' || flags.has('help')) return usage(io);
  const dbPath = resolve(flagString(flags, 'db') ?? defaultDbPath(io.env));
  const json = flags.has('json');

  if (sub === 'restore') {
    // Restoring replaces the database file itself, so it runs with no register open (not a contract call).
    const file = rest[0];
    if (!file) return usage(io, 'Thiếu tệp sao lưu.');
    const check = (await import('../../core/register/index')).restoreDatabase(resolve(file), dbPath);
    io.out(json ? JSON.stringify(check) : `Đã khôi phục cơ sở dữ liệu từ ${file} (phiên bản ${check.version}, ${check.audit.count} mục nhật ký).`);
    return EXIT.OK;
  }
  if (!['import', 'search', 'print', 'close', 'audit', 'backup'].includes(sub)) return usage(io, `Lệnh con không hợp lệ: ${sub}`);
  if (sub === 'import' && (!rest[0] || !existsSync(rest[0]))) return usage(io, `Không tìm thấy tệp: ${rest[0] ?? ''}`);
  if (sub === 'audit' && rest[0] !== 'verify') return usage(io, 'Dùng: register audit verify');

  const { call, close } = await contractClient(dbPath, io, sub);
  try {
    switch (sub) {
      case 'import': {
        const r = await importFile(call, rest[0]!);
        if (json) io.out(JSON.stringify(r));
        else {
          io.out(`Đã nhập ${r.imported} văn bản; ${r.failed.length} dòng lỗi; ${r.duplicates} văn bản có cảnh báo trùng.`);
          for (const f of r.failed.slice(0, 100)) io.out(`  Dòng ${f.line}: ${f.message}`);
        }
        return r.failed.length ? EXIT.DATA : EXIT.OK;
      }
      case 'search': {
        const year = flagString(flags, 'year');
        const page = flagString(flags, 'page');
        const book = flagString(flags, 'book');
        const r = await call('register.search', { text: rest.join(' '), ...(book ? { book } : {}), ...(year ? { year: Number(year) } : {}), ...(page ? { page: Number(page) } : {}) });
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
        const kindFlag = (flagString(flags, 'kind') ?? 'so') as (typeof PRINT_FLAGS)[number];
        if (!book || !Number.isInteger(year) || !out || !PRINT_FLAGS.includes(kindFlag)) return usage(io, 'Cần --book, --year và -o.');
        const direction = (await call('register.books', {})).books.find((b) => b.id === book)?.direction;
        if (!direction) throw new AppError('NOT_FOUND', `Không có sổ văn bản "${book}".`, `book ${book}`);
        const kind = kindFlag === 'so' ? (`so-${direction}` as const) : kindFlag === 'theo-doi' ? 'theo-doi' : (`bao-cao-${direction}` as const);
        const quyen = flagString(flags, 'quyen');
        const r = await call('register.print', { kind, book, year, ...(quyen ? { quyenSo: Number(quyen) } : {}) });
        const path = resolve(out);
        mkdirSync(dirname(path), { recursive: true });
        // Loaded here: its node:crypto (random temp names) cost every register command ~2 ms, searches included.
        (await import('../../core/fsx/atomic-write')).writeFileAtomic(path, [Buffer.from(r.base64, 'base64')]);
        io.out(json ? JSON.stringify({ path, pages: r.pages, rows: r.rows }) : `Đã in ${r.rows} văn bản, ${r.pages} trang: ${path}`);
        return EXIT.OK;
      }
      case 'close': {
        const book = flagString(flags, 'book');
        const until = flagString(flags, 'until');
        if (!book || !until) return usage(io, 'Cần --book và --until.');
        const r = await call('register.close', { book, until });
        io.out(json ? JSON.stringify(r) : `Đã đóng sổ "${r.book}" đến ngày ${r.until} (${r.entries} văn bản).`);
        if (!json && r.checkpoint) io.out(`Điểm kiểm tra: ${r.checkpoint.count}:${r.checkpoint.head}`);
        return EXIT.OK;
      }
      case 'audit': {
        const checkpoint = flagString(flags, 'checkpoint');
        const r = await call('register.auditVerify', checkpoint ? { checkpoint } : {});
        if (json) io.out(JSON.stringify(r));
        else {
          const all = [...r.problems, ...r.entities, ...r.checkpoints.filter((c) => !c.ok)];
          io.out(r.ok ? `Nhật ký hệ thống toàn vẹn (${r.count} mục).` : `Nhật ký hệ thống KHÔNG toàn vẹn: ${all.length} vấn đề.`);
          for (const p of all) io.out(`  ${p.messageVi}`);
          for (const c of r.checkpoints.filter((x) => x.ok)) io.out(`  ${c.messageVi}`);
        }
        return r.ok ? EXIT.OK : EXIT.FAILED;
      }
      case 'backup': {
        const file = rest[0];
        if (!file) return usage(io, 'Thiếu tệp đích.');
        const r = await call('register.backup', { path: resolve(file) });
        io.out(json ? JSON.stringify(r) : `Đã sao lưu ${r.bytes} byte vào ${r.path}.`);
        if (!json && r.checkpoint) io.out(`Điểm kiểm tra (kèm bản sao lưu): ${r.checkpoint.count}:${r.checkpoint.head}`);
        return EXIT.OK;
      }
    }
    return EXIT.USAGE;
  } finally {
    close();
  }
};

export default register;
