import { withExchange } from '../exchange-cli';
import { EXIT, parseArgs, type CliCommand } from '../io';

const USAGE = `vanthu sync — đồng bộ với trục liên thông

  sync once [--db PATH] [--config FILE]     gửi hàng chờ, nhận văn bản và trạng thái, một lượt
  sync status [--json] [--db PATH]          tình trạng hàng gửi, hộp đến, lần đồng bộ gần nhất`;

const sync: CliCommand = async (args, io) => {
  const [sub, ...rest] = args;
  const { flags } = parseArgs(rest, ['json']);
  if (sub !== 'once' && sub !== 'status') {
    io.err(USAGE);
    return EXIT.USAGE;
  }
  return withExchange(io, flags, async (b) => {
    if (sub === 'once') {
      const r = await b.call('exchange.syncNow', {});
      io.out(`Đã gửi ${r.sent}, gửi lỗi ${r.sendFailed}; nhận ${r.received} văn bản, ${r.duplicates} trùng, ${r.invalid} bị từ chối; ${r.statusesApplied} trạng thái; ${r.orphans} chờ đối chiếu.`);
      if (r.error) io.err(`Lỗi kết nối: ${(await b.call('exchange.status', {})).lastFailureVi ?? r.error}`);
      return r.error ? EXIT.FAILED : EXIT.OK;
    }
    const { configured: _configured, ...st } = await b.call('exchange.status', {});
    if (flags.has('json')) io.out(JSON.stringify(st, null, 2));
    else {
      io.out(`Hàng gửi: ${Object.entries(st.outbox).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      io.out(`Hộp đến: ${Object.entries(st.inbox).map(([k, v]) => `${k} ${v}`).join(', ') || 'trống'}`);
      io.out(`Đồng bộ thành công gần nhất: ${st.lastSuccessAt ?? 'chưa có'}`);
      if (st.lastFailureVi) io.out(`Lỗi gần nhất (${st.lastFailureAt}): ${st.lastFailureVi}`);
      io.out(`Nhật ký chứng cứ: ${st.evidence.records} bản ghi, ${st.evidence.ok ? 'toàn vẹn' : `${st.evidence.problems} vấn đề`}`);
    }
    return EXIT.OK;
  });
};
export default sync;
