import { readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { DEFAULT_LIMITS } from '../../core/exchange/edxml/limits';
import { cliSession } from '../exchange-cli';
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
  const raw = readFileSync(file);
  const s = cliSession(io, flags);
  try {
    // The same id for the same bytes: importing the file again is recognised, not registered twice.
    const r = await s.engine.accept(`manual:${createHash('sha256').update(raw).digest('hex')}`, undefined, raw);
    const row = r.row;
    if (row.state === 'INVALID') {
      io.err(`Từ chối gói tin: ${row.reason?.replace(/^[A-Z_]+: /, '') ?? ''}`);
      io.err(`[${row.reason?.split(':')[0] ?? ''}] package refused; kept as inbox row ${row.id}`);
      return EXIT.FAILED;
    }
    if (r.duplicate) {
      io.out(`Gói tin này đã được nhập trước đây (mục ${row.duplicate_of ?? row.id}); không đăng ký thêm.`);
      return EXIT.OK;
    }
    if (row.messagetype === 'status') {
      io.out(`Đã nhận gói trạng thái ${row.status_code} của ${row.from_organ} cho văn bản ${row.document_id} (${row.state === 'ORPHAN' ? 'chưa khớp văn bản nào, chờ đối chiếu' : 'đã cập nhật'}).`);
      return EXIT.OK;
    }
    if (row.register_doc_id !== null) io.out(`Đã tiếp nhận văn bản ${row.document_id} từ ${row.from_organ} vào sổ đến (mã văn bản trong sổ: ${row.register_doc_id}).`);
    else io.out(`Đã lưu gói tin ${row.document_id} từ ${row.from_organ}; chờ văn thư quyết định (thu hồi / cập nhật).`);
    return EXIT.OK;
  } finally {
    s.close();
  }
};
export default inbox;
