import { isAppError } from '../../contract/errors';
import type { VerificationReportDto } from '../../contract/verify';
import { settingsFromFlags, withBackend } from '../backend-client';
import { EXIT, flagString, parseArgs, type CliCommand, type CliIo } from '../io';

const USAGE = `Cách dùng: vanthu verify <tệp.pdf> [--trust THƯ_MỤC] [--offline] [--json]
  --trust DIR     thư mục chứng thư gốc tin cậy (mặc định: theo cấu hình của cơ quan)
  --offline       không truy cập mạng; chỉ dùng dữ liệu thu hồi có sẵn trong tệp hoặc bộ nhớ đệm
  --json          in báo cáo dạng JSON (lược đồ: src-main/core/verify/REPORT.md)
  --ocsp-url URL, --crl-url URL   thay địa chỉ OCSP/CRL ghi trong chứng thư (máy chủ nội bộ, kiểm thử)
Mã thoát: 0 hợp lệ; 1 không hợp lệ hoặc bị sửa sau khi ký; 2 không xác định; 64+ lỗi sử dụng hoặc đọc tệp.`;

const KNOWN = new Set(['trust', 'offline', 'json', 'ocsp-url', 'crl-url', 'help']);

/**
 * `vanthu verify`: the screens' verify.file through the in-process backend (same trust anchors,
 * revocation cache and mirrors), printed as the Vietnamese verdict or the JSON report, mapped to the exit code.
 */
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
  const ocsp = flagString(flags, 'ocsp-url');
  const crl = flagString(flags, 'crl-url');
  const settings = { ...settingsFromFlags(flags, io), ...(ocsp ? { ocspUrlOverride: ocsp } : {}), ...(crl ? { crlUrlOverride: crl } : {}) };
  return withBackend(settings, async (b) => {
    let fileId: string;
    try {
      fileId = b.putFile(path).fileId;
    } catch (e) {
      if (!isAppError(e)) throw e;
      io.err(e.code === 'PDF_TOO_LARGE' ? 'Lỗi: tệp PDF quá lớn để kiểm tra.' : `Lỗi: không đọc được tệp "${path}".`);
      io.err(`[${e.code}] ${e.message}`);
      return e.code === 'PDF_TOO_LARGE' ? EXIT.DATA : EXIT.IO;
    }
    const report = await b.call('verify.file', { fileId, offline: flags.has('offline') });
    if (flags.has('json')) io.out(JSON.stringify(report, null, 2));
    else printHuman(report, io);
    return exitCode(report);
  }, { filesInMemory: true });
};

export function exitCode(r: VerificationReportDto): number {
  if (r.overall === 'TOTAL_FAILED' || r.disallowedChange) return EXIT.FAILED;
  if (r.overall === 'INDETERMINATE' || r.signatures.length === 0) return EXIT.INDETERMINATE;
  return EXIT.OK;
}

function printHuman(r: VerificationReportDto, io: CliIo): void {
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
