import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../contract/errors';
import { loadSettings } from '../../core/config';
import { MAX_VERIFY_BYTES, verifyPdf, type VerificationReport } from '../../core/verify/index';
import { EXIT, flagString, parseArgs, type CliCommand, type CliIo } from '../io';

const USAGE = `Cách dùng: vanthu verify <tệp.pdf> [--trust THƯ_MỤC] [--offline] [--json]
  --trust DIR     thư mục chứng thư gốc tin cậy (mặc định: theo cấu hình của cơ quan)
  --offline       không truy cập mạng; chỉ dùng dữ liệu thu hồi có sẵn trong tệp hoặc bộ nhớ đệm
  --json          in báo cáo dạng JSON (lược đồ: src-main/core/verify/REPORT.md)
  --ocsp-url URL, --crl-url URL   thay địa chỉ OCSP/CRL ghi trong chứng thư (máy chủ nội bộ, kiểm thử)
Mã thoát: 0 hợp lệ; 1 không hợp lệ hoặc bị sửa sau khi ký; 2 không xác định; 64+ lỗi sử dụng hoặc đọc tệp.`;

const KNOWN = new Set(['trust', 'offline', 'json', 'ocsp-url', 'crl-url', 'help']);

/** `vanthu verify`: prints the Vietnamese verdict (or the JSON report) and maps it to the exit code. */
const verify: CliCommand = async (args, io) => {
  const { flags, positionals } = parseArgs(args, ['offline', 'json', 'help']);
  if (flags.has('help')) { io.out(USAGE); return EXIT.OK; }
  const unknown = [...flags.keys()].filter((k) => !KNOWN.has(k));
  if (positionals.length !== 1 || unknown.length) {
    io.err(unknown.length ? `Tham số không hợp lệ: --${unknown.join(', --')}` : 'Cần đúng một tệp PDF.');
    io.err(USAGE);
    return EXIT.USAGE;
  }
  const path = positionals[0]!;
  let bytes: Buffer;
  try {
    if (statSync(path).size > MAX_VERIFY_BYTES) { io.err('Lỗi: tệp PDF quá lớn để kiểm tra.'); return EXIT.DATA; }
    bytes = readFileSync(path);
  } catch (e) {
    io.err(`Lỗi: không đọc được tệp "${path}".`);
    io.err(`[IO_ERROR] ${(e as Error).message}`);
    return EXIT.IO;
  }
  let trustDir = flagString(flags, 'trust');
  let cacheDir: string | undefined;
  if (!trustDir) {
    const settings = loadSettings(io.env);
    trustDir = settings.trustDir;
    cacheDir = join(settings.dataDir, 'revocation-cache');
  }
  let report: VerificationReport;
  try {
    report = await verifyPdf(bytes, {
      trustDir,
      offline: flags.has('offline'),
      ...(cacheDir ? { revocationCacheDir: cacheDir } : {}),
      ...(flagString(flags, 'ocsp-url') ? { ocspUrlOverride: flagString(flags, 'ocsp-url') } : {}),
      ...(flagString(flags, 'crl-url') ? { crlUrlOverride: flagString(flags, 'crl-url') } : {}),
    });
  } catch (e) {
    if (e instanceof AppError && e.code === 'IO_ERROR') { io.err(`Lỗi: ${e.vi}`); return EXIT.IO; }
    throw e;
  }
  if (flags.has('json')) io.out(JSON.stringify(report, null, 2));
  else printHuman(report, io);
  return exitCode(report);
};

export function exitCode(r: VerificationReport): number {
  if (r.overall === 'TOTAL_FAILED' || r.disallowedChange) return EXIT.FAILED;
  if (r.overall === 'INDETERMINATE' || r.signatures.length === 0) return EXIT.INDETERMINATE;
  return EXIT.OK;
}

function printHuman(r: VerificationReport, io: CliIo): void {
  io.out(`Kết luận: ${r.summaryVi}`);
  r.signatures.forEach((s) => {
    io.out('');
    io.out(`Chữ ký ${s.index + 1}${s.isDocTimestamp ? ' (dấu thời gian văn bản)' : ''} — ô "${s.fieldName}": ${s.summaryVi}`);
    if (s.signerName) io.out(`  Người ký: ${s.signerName}${s.signerIsOrganisation ? ' (cơ quan, tổ chức)' : ''}`);
    if (s.issuerName) io.out(`  Chứng thư do: ${s.issuerName}`);
    if (s.signingTime) io.out(`  Thời điểm ký: ${s.signingTime} (${s.signingTimeSource === 'timestamp' ? 'theo dấu thời gian' : 'do người ký tự khai'})`);
    if (s.revocation) io.out(`  Tình trạng thu hồi: ${revocationVi(s.revocation.status)}`);
    if (s.changesAfter.length) {
      io.out('  Thay đổi sau khi ký:');
      for (const c of s.changesAfter) io.out(`   - [${c.allowed ? 'được phép' : 'KHÔNG được phép'}] ${c.descriptionVi}`);
    }
  });
}

function revocationVi(s: 'good' | 'revoked' | 'unknown' | 'not-checked'): string {
  return { good: 'chưa bị thu hồi', revoked: 'đã bị thu hồi', unknown: 'chưa xác định được', 'not-checked': 'không kiểm tra' }[s];
}

export default verify;
