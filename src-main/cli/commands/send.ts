import { cliSession } from '../exchange-cli';
import { EXIT, parseArgs, type CliCommand } from '../io';

const USAGE = `vanthu send <mã văn bản trong sổ> --to <OrganId> [--to <OrganId>…] [--db PATH] [--config FILE]
  xếp văn bản đi đã phát hành vào hàng gửi và gửi ngay một lần qua trục liên thông`;

const send: CliCommand = async (args, io) => {
  const to: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--to' && i + 1 < args.length) to.push(args[++i]!);
    else rest.push(args[i]!);
  }
  const { flags, positionals } = parseArgs(rest);
  const id = Number(positionals[0]);
  if (positionals.length !== 1 || !Number.isInteger(id) || id <= 0 || to.length === 0) {
    io.err(USAGE);
    return EXIT.USAGE;
  }
  const s = cliSession(io, flags);
  try {
    const known = s.reg.reading.get(id).recipients;
    const outId = s.engine.queueDocument(id, to.map((o) => ({ OrganId: o, OrganName: known.find((r) => r.OrganId === o)?.OrganName ?? o })));
    const report = await s.engine.syncOnce();
    const row = s.engine.outbox.get(outId)!;
    if (row.state === 'SENT') io.out(`Đã gửi: trục liên thông xác nhận lúc ${row.hub_ack_at} (mã ${row.hub_doc_id}).`);
    else if (row.state === 'FAILED_PERMANENT') io.err(`Gửi lỗi: ${row.last_error ?? ''}`);
    else io.out(`Đang chờ gửi (${row.state}); sẽ tự thử lại khi đồng bộ. ${report.error ? `Lý do: ${report.error}` : ''}`.trim());
    return row.state === 'FAILED_PERMANENT' ? EXIT.FAILED : EXIT.OK;
  } finally {
    s.close();
  }
};
export default send;
