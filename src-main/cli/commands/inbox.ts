import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_LIMITS } from '../../core/exchange/edxml/limits';
import { withExchange } from '../exchange-cli';
import { EXIT, parseArgs, type CliCommand } from '../io';

const USAGE = `vanthu inbox — văn bản đến qua trục liên thông

  inbox import <gói.edxml> [--db PATH]   tiếp nhận gói tin nhận tay (USB) như gói tải từ trục: lưu, vào sổ đến (tiếp nhận)`;

const inbox: CliCommand = async (args, io) => {
  const [sub, ...rest] = args;
  const { flags, positionals } = parseArgs(rest);
  if (sub !== 'import' || positionals.length !== 1) {
    io.err(USAGE);
    return EXIT.USAGE;
  }
  const file = resolve(positionals[0]!);
  if (statSync(file).size > DEFAULT_LIMITS.maxPackageBytes) {
    io.err('Từ chối gói tin: Gói tin vượt quá dung lượng cho phép.');
    return EXIT.FAILED;
  }
  const base64 = readFileSync(file).toString('base64');
  return withExchange(io, flags, async (b) => {
    const { item, duplicate, duplicateOf } = await b.call('exchange.import', { base64 });
    if (item.state === 'INVALID') {
      io.err(`Từ chối gói tin: ${item.reason?.replace(/^[A-Z_]+: /, '') ?? ''}`);
      io.err(`[${item.reason?.split(':')[0] ?? ''}] package refused; kept as inbox row ${item.id}`);
      return EXIT.FAILED;
    }
    if (duplicate) {
      io.out(`Gói tin này đã được nhập trước đây (mục ${duplicateOf ?? item.id}); không đăng ký thêm.`);
      return EXIT.OK;
    }
    if (item.kind === 'status') {
      io.out(`Đã nhận gói trạng thái ${item.statusCode} của ${item.from} cho văn bản ${item.documentId} (${item.state === 'ORPHAN' ? 'chưa khớp văn bản nào, chờ đối chiếu' : 'đã cập nhật'}).`);
      return EXIT.OK;
    }
    if (item.registerDocId !== null) io.out(`Đã tiếp nhận văn bản ${item.documentId} từ ${item.from} vào sổ đến (mã văn bản trong sổ: ${item.registerDocId}).`);
    else io.out(`Đã lưu gói tin ${item.documentId} từ ${item.from}; chờ văn thư quyết định (thu hồi / cập nhật).`);
    return EXIT.OK;
  });
};
export default inbox;
