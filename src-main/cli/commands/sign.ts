import { readFileSync } from 'node:fs';
import { AppError } from '../../contract/errors';
import { approvePdf, assertIssuable, issuePdf, signAttachment, signCopy, COPY_FORMS, type CopyForm, type SignResult } from '../../core/pdf/sign/index';
import type { KeySigner } from '../../core/crypto/signer';
import { loadSettings } from '../../core/config';
import { EXIT, flagString, parseArgs, type CliCommand, type CliIo } from '../io';

const USAGE = `vanthu sign — ký số văn bản PDF

  vanthu sign approve  <in.pdf> -o <out.pdf> --image <png> [--page N] [--rect x,y,w,h] [tùy chọn token]
  vanthu sign issue    <in.pdf> -o <out.pdf> --number <n> --notation <ký hiệu> [--date YYYY-MM-DD]
                       --stamp <png> [--seal-mm 36] [--trust <thư mục>] [--digitized] [tùy chọn token]
  vanthu sign appendix <in.pdf> -o <out.pdf> --ref "<số/ký hiệu>" [tùy chọn token]
  vanthu sign copy     <in.pdf> -o <out.pdf> --form "SAO Y|SAO LỤC|TRÍCH SAO" --agency "<tên cơ quan>" [tùy chọn token]

Tùy chọn token: [--module <thư viện PKCS#11>] --token <nhãn token> [--key-id <hex>] [--tsa <url>]
                [--chain <chứng thư trung gian .pem>] [--json]
Mã PIN: biến môi trường VANTHU_PIN hoặc nhập khi được hỏi.
Mặc định (thư mục tin cậy, cỡ dấu, TSA, thư viện token) lấy từ cấu hình cơ quan (VANTHU_CONFIG).`;

const sign: CliCommand = async (args, io) => {
  const [sub, ...rest] = args;
  if (!sub || sub === '--help' || sub === 'help') {
    io.out(USAGE);
    return sub ? EXIT.OK : EXIT.USAGE;
  }
  const { flags, positionals } = parseArgs(rest, ['json', 'digitized']);
  const input = positionals[0];
  const output = flagString(flags, 'out');
  if (!input || !output) return usage(io, 'Cần tệp vào và -o <tệp ra>.');
  if (input === output) return usage(io, 'Tệp ra phải khác tệp vào (tệp gốc không bao giờ bị sửa).');
  // Agency settings give the defaults (trust roots, seal size, TSA, token library); flags win.
  const settings = loadSettings(io.env);
  if (settings.softhsm2Conf && !io.env.SOFTHSM2_CONF) process.env.SOFTHSM2_CONF = settings.softhsm2Conf;
  const tsaUrl = flagString(flags, 'tsa') ?? settings.tsaUrl;
  const chainFile = flagString(flags, 'chain');
  const common = {
    ...(tsaUrl ? { tsa: { url: tsaUrl } } : {}),
    ...(chainFile ? { intermediates: readPemCertificates(chainFile) } : {}),
  };

  let run: (signer: KeySigner) => Promise<SignResult>;
  /** Checks that need only the signer's certificate, run before the PIN is asked. */
  let beforeLogin: (certificate: Buffer) => Promise<void> = async () => {};
  switch (sub) {
    case 'approve': {
      const image = readBytes(need(flags, 'image'));
      const page = flagString(flags, 'page');
      const rect = flagString(flags, 'rect');
      run = (s) => approvePdf(input, output, s, {
        ...common, image,
        ...(page ? { page: positiveInt(page, 'page') - 1 } : {}),
        ...(rect ? { rect: parseRect(rect) } : {}),
      });
      break;
    }
    case 'issue': {
      const stamp = readBytes(need(flags, 'stamp'));
      const date = flagString(flags, 'date');
      const sealMm = flagString(flags, 'seal-mm');
      const trust = flagString(flags, 'trust');
      const jobType = flags.has('digitized') ? 'digitized' as const : 'issue' as const;
      beforeLogin = async (cert) => { await assertIssuable(input, cert, { jobType, trust: { trustDir: trust ?? settings.trustDir } }); };
      run = (s) => issuePdf(input, output, s, {
        ...common, stamp,
        number: positiveInt(need(flags, 'number'), 'number'),
        notation: need(flags, 'notation'),
        jobType,
        ...(date ? { date: parseDate(date) } : {}),
        sealMm: sealMm ? Number(sealMm) : settings.sealMm,
        trust: { trustDir: trust ?? settings.trustDir },
      });
      break;
    }
    case 'appendix':
      run = (s) => signAttachment(input, output, s, { ...common, ref: need(flags, 'ref') });
      break;
    case 'copy': {
      const form = need(flags, 'form');
      if (!COPY_FORMS.includes(form as CopyForm)) return usage(io, '--form phải là "SAO Y", "SAO LỤC" hoặc "TRÍCH SAO".');
      run = (s) => signCopy(input, output, s, { ...common, form: form as CopyForm, agency: need(flags, 'agency') });
      break;
    }
    default:
      return usage(io, `Không có lệnh con "${sub}".`);
  }

  const result = await withTokenSigner(flags, io, settings.pkcs11Modules[0], beforeLogin, run);
  if (flags.has('json')) io.out(JSON.stringify(result));
  else io.out(`Đã ký: ${result.output} (${result.signatures.length} chữ ký, lúc ${result.signingTime}).`);
  return EXIT.OK;
};

/** One token session for the whole command: load module, find the token by label, log in, sign, close. */
async function withTokenSigner<T>(
  flags: Map<string, string | true>, io: CliIo, defaultModule: string | undefined,
  beforeLogin: (certificate: Buffer) => Promise<void>, run: (s: KeySigner) => Promise<T>,
): Promise<T> {
  const module = flagString(flags, 'module') ?? defaultModule;
  if (!module) throw new AppError('INPUT_INVALID', 'Thiếu tham số --module (thư viện PKCS#11 của token).', 'missing --module');
  const label = need(flags, 'token');
  const { openTokenService } = await import('../../core/token/index');
  const service = openTokenService({ modules: [module], pollIntervalMs: 60_000 });
  try {
    service.loadModule(module);
    const token = service.findToken(label);
    // Certificates are public objects: choose the key and run the checks before asking for the PIN.
    const certs = service.listCertificates(token.ref).filter((c) => c.privateKeyStatus !== 'absent');
    const wanted = flagString(flags, 'key-id')?.toLowerCase();
    const chosen = wanted ? certs.filter((c) => c.keyId === wanted) : certs;
    if (chosen.length !== 1) {
      throw new AppError('INPUT_INVALID', wanted
        ? `Token không có chứng thư số với mã khóa ${wanted}.`
        : `Token có ${chosen.length} chứng thư số; hãy chọn bằng --key-id.`, `${chosen.length} candidate certificates`);
    }
    await beforeLogin(Buffer.from(chosen[0]!.certificate, 'base64'));
    const pin = await io.readPin(`Mã PIN của token "${label}": `);
    service.login(token.ref, pin); // login wipes the PIN buffer
    return await run(service.createTokenSigner(token.ref, chosen[0]!.keyId));
  } finally {
    service.close();
  }
}

function need(flags: Map<string, string | true>, name: string): string {
  const v = flagString(flags, name);
  if (!v) throw new AppError('INPUT_INVALID', `Thiếu tham số --${name}.`, `missing --${name}`);
  return v;
}

function readBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new AppError('NOT_FOUND', `Không đọc được tệp ${path}.`, `read ${path}`);
  }
}

/** Intermediate certificates (PEM, several per file) that complete the chain embedded in the signature. */
function readPemCertificates(path: string): Buffer[] {
  const text = readBytes(path).toString('latin1');
  const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g)].slice(0, 16);
  if (blocks.length === 0) throw new AppError('INPUT_INVALID', `Tệp ${path} không chứa chứng thư số dạng PEM.`, `no PEM certificate in ${path}`);
  return blocks.map((m) => Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
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

function parseDate(v: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const d = m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!)) : null;
  if (!m || !d || d.getUTCDate() !== +m[3]! || d.getUTCMonth() !== +m[2]! - 1) {
    throw new AppError('INPUT_INVALID', '--date phải có dạng YYYY-MM-DD và là ngày có thật.', `--date ${v}`);
  }
  return { year: +m[1]!, month: +m[2]!, day: +m[3]! };
}

function usage(io: CliIo, msg: string): number {
  io.err(`${msg}\n${USAGE}`);
  return EXIT.USAGE;
}

export default sign;
