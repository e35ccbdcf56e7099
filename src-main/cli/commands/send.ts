import { withExchange } from '../exchange-cli';
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
  return withExchange(io, flags, async (b) => {
    const { outboxId } = await b.call('exchange.send', { registerDocId: id, to: to.map((o) => ({ OrganId: o })) });
    // The send starts at once; syncNow waits for that same sync (one at a time) and reports it.
    const report = await b.call('exchange.syncNow', {});
    const row = (await b.call('exchange.outbox', { registerDocId: id })).items.find((i) => i.id === outboxId)!;
    if (row.state === 'SENT') io.out(`Đã gửi: trục liên thông xác nhận lúc ${row.sentAt} (mã ${row.hubDocId}).`);
    else if (row.state === 'FAILED_PERMANENT') io.err(`Gửi lỗi: ${row.errorVi ?? ''}`);
    else io.out(`Đang chờ gửi (${row.stateVi}); sẽ tự thử lại khi đồng bộ. ${report.error ? `Lý do: ${report.error}` : ''}`.trim());
    return row.state === 'FAILED_PERMANENT' ? EXIT.FAILED : EXIT.OK;
  });
};
export default send;
