import { config as zodConfig } from 'zod';
import { isAppError } from '../contract/errors';
import { COMMANDS } from './commands';
import { defaultIo, EXIT, type CliIo } from './io';

const USAGE = `vanthu — trạm làm việc văn thư

Cách dùng: vanthu <nhóm lệnh> [tham số]
  start                         mở giao diện (Electron nếu có, nếu không thì chế độ trình duyệt)
  token list [--module PATH] [--json]
  sign approve|issue|appendix|copy …
  verify <in.pdf> [--trust DIR] [--offline] [--json]
  trust status [--json] | trust refresh [--crl-url URL]
  register import|search|print|close|audit|backup|restore …
  scan --list | --device NAME [--dpi 300] [--mode color|gray] [--source flatbed|adf] -o out.pdf
  digitize <ảnh|pdf>… -o out.pdf [--ocr] [--dpi N] | digitize check <tệp.pdf> [--json]
  edxml parse <gói.edxml> [--json] | edxml build <mô-tả.json> -o <gói.edxml>
  inbox import <gói.edxml> [--db PATH]
  send <mã văn bản> --to <OrganId>… [--db PATH] [--config FILE]
  sync once|status [--json] [--db PATH] [--config FILE]
  hub [--port N] [--data DIR] [--tls-cert F --tls-key F] [--client-ca F] [--faults FILE]`;

// A command parses a handful of values once: zod's compiled object parsers (built with new Function on
// first use, per shape) cost more than they save. Set before any schema exists: schemas read it when built.
zodConfig({ jitless: true });

/** Each command group lives in commands/<group>.ts, default-exports a CliCommand and is listed in commands/index.ts. */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const [group, ...rest] = argv;
  if (!group || group === '--help' || group === '-h' || group === 'help') {
    io.out(USAGE);
    return group ? EXIT.OK : EXIT.USAGE;
  }
  if (!/^[a-z][a-z0-9-]*$/.test(group)) {
    io.err(`Lệnh không hợp lệ: ${group}\n${USAGE}`);
    return EXIT.USAGE;
  }
  const load = Object.hasOwn(COMMANDS, group) ? COMMANDS[group] : undefined;
  if (!load) {
    io.err(`Không có lệnh "${group}".\n${USAGE}`);
    return EXIT.USAGE;
  }
  try {
    const mod = await load();
    return await mod.default(rest, io);
  } catch (e) {
    if (isAppError(e)) {
      io.err(`Lỗi: ${e.vi}`);
      io.err(`[${e.code}] ${e.message}`);
      return e.code === 'INPUT_INVALID' ? EXIT.USAGE : EXIT.SOFTWARE;
    }
    io.err('Lỗi nội bộ. Xem chi tiết bên dưới.');
    io.err(e instanceof Error ? (e.stack ?? e.message) : String(e));
    return EXIT.SOFTWARE;
  }
}
