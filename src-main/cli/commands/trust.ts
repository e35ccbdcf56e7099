import type { z } from 'zod';
import type { trustStatusDto } from '../../contract/trust';
import { settingsFromFlags, withBackend } from '../backend-client';
import { EXIT, flagString, parseArgs, type CliCommand, type CliIo } from '../io';

const USAGE = `Cách dùng: vanthu trust status [--json] | vanthu trust refresh [--crl-url URL[,URL…]] [--json]
  status    liệt kê chứng thư gốc, chứng thư trung gian và tuổi của từng danh sách thu hồi đã lưu
  refresh   tải trước danh sách thu hồi (CRL) của mọi tổ chức cấp chứng thư đã cấu hình để dùng khi mất mạng
  --crl-url thêm địa chỉ CRL (máy chủ nội bộ, kiểm thử)
Mã thoát: 0 thành công; 2 có danh sách không tải được hoặc không có địa chỉ nào; 64 sai cách dùng.`;

/** `vanthu trust`: trust.status and trust.refresh on the in-process backend, as the screens call them. */
const trust: CliCommand = async (args, io) => {
  const [sub, ...rest] = args;
  const { flags, positionals } = parseArgs(rest, ['json', 'help']);
  if (!sub || sub === '--help' || flags.has('help')) { io.out(USAGE); return sub ? EXIT.OK : EXIT.USAGE; }
  const unknown = [...flags.keys()].filter((k) => !['json', 'crl-url'].includes(k));
  if (!['status', 'refresh'].includes(sub) || positionals.length || unknown.length || (sub === 'status' && flags.has('crl-url'))) {
    io.err(USAGE);
    return EXIT.USAGE;
  }
  return withBackend(settingsFromFlags(new Map(), io), async (b) => {
    if (sub === 'status') {
      const status = await b.call('trust.status', {});
      if (flags.has('json')) io.out(JSON.stringify(status, null, 2));
      else printStatus(status, io);
      return EXIT.OK;
    }
    const extraUrls = (flagString(flags, 'crl-url') ?? '').split(',').map((u) => u.trim()).filter(Boolean);
    const results = await b.call('trust.refresh', { extraUrls });
    if (flags.has('json')) io.out(JSON.stringify(results, null, 2));
    else {
      if (results.length === 0) io.out('Không có địa chỉ danh sách thu hồi nào trong các chứng thư đã cấu hình.');
      for (const r of results) io.out(r.ok ? `Đã tải: ${r.issuer} — ${r.url}` : `Không tải được: ${r.url} (${r.detail})`);
    }
    return results.length > 0 && results.every((r) => r.ok) ? EXIT.OK : EXIT.INDETERMINATE;
  });
};

function printStatus(s: z.output<typeof trustStatusDto>, io: CliIo): void {
  io.out('Chứng thư gốc tin cậy:');
  for (const c of s.anchors) io.out(`  ${c.subject} — hết hạn ${c.notAfter.slice(0, 10)}${c.expired ? ' (ĐÃ HẾT HẠN)' : ''}`);
  if (s.anchors.length === 0) io.out('  (chưa có)');
  io.out('Chứng thư trung gian:');
  for (const c of s.intermediates) io.out(`  ${c.subject} — hết hạn ${c.notAfter.slice(0, 10)}${c.expired ? ' (ĐÃ HẾT HẠN)' : ''}`);
  if (s.intermediates.length === 0) io.out('  (chưa có)');
  io.out(`Dữ liệu thu hồi đã lưu (${s.cacheDir}):`);
  for (const r of s.revocation) {
    const hours = Math.round(r.ageSeconds / 360) / 10;
    io.out(`  ${r.kind.toUpperCase()} ${r.subject} — ${hours} giờ tuổi, ${r.state === 'fresh' ? 'còn hiệu lực' : 'ĐÃ CŨ, không dùng thay dữ liệu mới'}${r.nextUpdate ? `, cập nhật tiếp ${r.nextUpdate.slice(0, 16)}` : ''}`);
  }
  if (s.revocation.length === 0) io.out('  (chưa có — chạy "vanthu trust refresh" khi có mạng)');
}

export default trust;
