import { AppError } from '../../contract/errors';
import type { SignResultDto } from '../../contract/sign';
import { dateInVietnam } from '../../contract/time';
import { COPY_FORMS, type CopyForm } from '../../contract/vocabulary';
import { isSameFile } from '../../core/fsx/same-file';
import { settingsFromFlags, withBackend, type CliBackend } from '../backend-client';
import { EXIT, flagString, parseArgs, type CliCommand, type CliIo } from '../io';
import { batch } from '../sign/batch';
import { acceptUnknown, ACCEPT_UNKNOWN, ALLOW_UNTRUSTED_CHAIN, loginForSigning, need, UNKNOWN_ACCEPTED_VI, warnDigitized, type Flags } from '../sign/session';

const USAGE = `vanthu sign — ký số văn bản PDF

  vanthu sign approve  <in.pdf> -o <out.pdf> --image <png> [--page N] [--rect x,y,w,h] [tùy chọn token]
  vanthu sign issue    <in.pdf> -o <out.pdf> --book <sổ đi> [--db <register.db>] [--to "<nơi nhận>" …] [--date YYYY-MM-DD]
                       [--notation <ký hiệu>] [--number <n>] [--type "<loại văn bản>"] [--subject "<trích yếu>"]
                       [--stamp <png>] [--seal-mm 36] [--trust <thư mục>] [--digitized] [--signer-name "<họ tên in>"] [tùy chọn token]
                       [--accept-unknown-revocation]
                       (cấp số tiếp theo của sổ đi cho năm của văn bản, ký, rồi vào sổ văn bản đi kèm tệp đã ký;
                        --number: lấy đúng số này nếu sổ chưa cấp; ký hiệu, loại và trích yếu mặc định đọc từ trang đầu)
                       (--digitized: văn bản do cơ quan tự số hóa, không kiểm tra chữ ký lãnh đạo — Điều 17.4.c)
                       (--accept-unknown-revocation: vẫn ký khi chưa kiểm tra được chứng thư của lãnh đạo
                        có bị thu hồi hay không — chỉ khi đã xác nhận rõ; lựa chọn này được ghi lại)
  vanthu sign appendix <in.pdf> -o <out.pdf> --ref "<số/ký hiệu>" [tùy chọn token]
  vanthu sign copy     <in.pdf> -o <out.pdf> --form "${COPY_FORMS.join('|')}" --agency "<tên cơ quan>" [tùy chọn token]
  vanthu sign batch    <jobs.jsonl> [--resume] [--trust <thư mục>] [--accept-unknown-revocation] [tùy chọn token]
                       mỗi dòng một việc, ví dụ:
                       {"kind":"issue","input":"a.pdf","output":"a.ky.pdf","number":5,"notation":"QĐ-UBND","stamp":"dau.png"}
                       {"kind":"appendix","input":"pl.pdf","output":"pl.ky.pdf","ref":"05/QĐ-UBND"}
                       {"kind":"copy","input":"b.pdf","output":"b.sao.pdf","form":"SAO Y","agency":"UBND tỉnh …"}
                       (đường dẫn tương đối tính từ thư mục của tệp danh sách; --resume bỏ qua tệp đã ký xong)

Tùy chọn token: [--module <thư viện PKCS#11>] --token <nhãn token> [--key-id <hex>] [--tsa <url>]
                [--chain <chứng thư trung gian .pem>] [--allow-untrusted-chain] [--json]
                (--allow-untrusted-chain: chỉ để thử nghiệm — ký cả khi chuỗi chứng thư không tới gốc tin cậy)
Mã PIN: biến môi trường VANTHU_PIN hoặc nhập khi được hỏi.
Mặc định (thư mục tin cậy, ảnh và cỡ dấu, TSA, thư viện token) lấy từ cấu hình cơ quan (VANTHU_CONFIG).`;

/**
 * `vanthu sign …`: each subcommand is one contract call (sign.approve / issue / appendix / copy /
 * batch) through the in-process backend, after the key check and the login the screens also use.
 */
const sign: CliCommand = async (args, io) => {
  const [sub, ...rest] = args;
  if (!sub || sub === '--help' || sub === 'help') {
    io.out(USAGE);
    return sub ? EXIT.OK : EXIT.USAGE;
  }
  const { flags, positionals } = parseArgs(rest, ['json', 'digitized', 'resume', ACCEPT_UNKNOWN, ALLOW_UNTRUSTED_CHAIN]);
  if (sub === 'batch') return batch(positionals[0], flags, io, USAGE);
  if (!['approve', 'issue', 'appendix', 'copy'].includes(sub)) return usage(io, `Không có lệnh con "${sub}".`);
  const input = positionals[0];
  const output = flagString(flags, 'out');
  if (!input || !output) return usage(io, 'Cần tệp vào và -o <tệp ra>.');
  if (isSameFile(input, output)) return usage(io, 'Tệp ra phải khác tệp vào (tệp gốc không bao giờ bị sửa).');
  if (sub === 'copy' && !COPY_FORMS.includes(need(flags, 'form') as CopyForm)) return usage(io, `--form phải là ${COPY_FORMS.map((f) => `"${f}"`).join(', ')}.`);
  const digitized = sub === 'issue' && flags.has('digitized');
  if (digitized) warnDigitized(io, input);

  const settings = settingsFromFlags(flags, io);
  const db = flagString(flags, 'db');
  const result = await withBackend(settings, async (b) => {
    const fileId = b.putFile(input).fileId;
    const call = await prepare(sub, b, flags, fileId, settings.sealMm, digitized, repeated(rest, 'to'));
    // The leader's signature is checked before the PIN: a refusal must not cost a PIN try.
    const signer = await loginForSigning(b, flags, io, async () => {
      if (sub !== 'issue' || digitized) return;
      const { leader } = await b.call('sign.inspect', { fileId, ...acceptUnknown(flags) });
      if (!leader.verified) throw new AppError('SIGN_REFUSED', leader.summaryVi, 'leader signature not verified');
    });
    const r = await call(signer);
    b.writeFile(r.fileId, output);
    return r;
  }, db ? { registerDb: db } : {});
  // Said when the clerk made the choice here; the demo profile's standing acceptance (docs/signing.md) is in the result and the log.
  if (result.issued?.unknownRevocationAccepted && flags.has(ACCEPT_UNKNOWN)) io.err(UNKNOWN_ACCEPTED_VI);
  if (flags.has('json')) io.out(JSON.stringify({ output, ...result }));
  else {
    const entry = result.registered ? `, số ${result.registered.code} vào sổ ${result.registered.book}` : '';
    io.out(`Đã ký: ${output} (${result.verification.signatures.length} chữ ký trong tệp${entry}, lúc ${result.signingTime}).`);
  }
  return EXIT.OK;
};

type Signer = { token: string; keyId: string; contextPin?: string; allowUntrustedChain?: true };

/** The contract call of a subcommand, its flags read and checked before any token work. */
async function prepare(sub: string, b: CliBackend, flags: Flags, fileId: string, sealMm: number, digitized: boolean, to: string[]): Promise<(s: Signer) => Promise<SignResultDto>> {
  switch (sub) {
    case 'approve': {
      const image = b.putFile(need(flags, 'image')).fileId;
      const page = flagString(flags, 'page');
      const rect = flagString(flags, 'rect');
      const extra = { ...(page ? { page: positiveInt(page, 'page') - 1 } : {}), ...(rect ? { rect: parseRect(rect) } : {}) };
      return (s) => b.call('sign.approve', { fileId, ...s, image, ...extra });
    }
    case 'issue': {
      // The number comes from the sổ (cấp số); --number only asks for a particular one of its series.
      const number = flagString(flags, 'number');
      const optional = { notation: 'notation', signerName: 'signer-name', typeName: 'type', subject: 'subject' } as const;
      const given = Object.fromEntries(Object.entries(optional).flatMap(([k, flag]) => (flagString(flags, flag) ? [[k, flagString(flags, flag)]] : [])));
      const fields = {
        fileId, book: need(flags, 'book'), ...(number ? { number: positiveInt(number, 'number') } : {}), ...given,
        date: flagString(flags, 'date') ?? dateInVietnam(), sealMm, digitized, ...(to.length ? { recipients: to } : {}), ...acceptUnknown(flags),
      };
      return (s) => b.call('sign.issue', { ...fields, ...s });
    }
    case 'appendix': {
      const ref = need(flags, 'ref');
      return (s) => b.call('sign.appendix', { fileId, ref, ...s });
    }
    default: {
      const form = need(flags, 'form') as CopyForm;
      const agency = need(flags, 'agency');
      return (s) => b.call('sign.copy', { fileId, form, agency, ...s });
    }
  }
}

/** Every value of a flag that may be given more than once (--to A --to B). */
function repeated(args: readonly string[], name: string): string[] {
  return args.flatMap((a, i) => (a === `--${name}` && i + 1 < args.length ? [args[i + 1]!] : a.startsWith(`--${name}=`) ? [a.slice(name.length + 3)] : []));
}

function positiveInt(v: string, name: string): number {
  if (!/^\d{1,9}$/.test(v) || Number(v) < 1) throw new AppError('INPUT_INVALID', `--${name} phải là số nguyên dương.`, `--${name} ${v}`);
  return Number(v);
}

function parseRect(v: string): { x: number; y: number; width: number; height: number } {
  const n = v.split(',').map(Number);
  if (n.length !== 4 || n.some((x) => !Number.isFinite(x)) || n[2]! <= 0 || n[3]! <= 0) {
    throw new AppError('INPUT_INVALID', '--rect phải có dạng x,y,rộng,cao (đơn vị point).', `--rect ${v}`);
  }
  return { x: n[0]!, y: n[1]!, width: n[2]!, height: n[3]! };
}

export function usage(io: CliIo, msg: string, text = USAGE): number {
  io.err(`${msg}\n${text}`);
  return EXIT.USAGE;
}

export default sign;
