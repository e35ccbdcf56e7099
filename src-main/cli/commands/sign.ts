import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppError } from '../../contract/errors';
import {
  approvePdf, assertCertificateUsable, assertIssuable, issuePdf, parseJobLines, signAttachment, signBatch, signCopy, toBatchJobs,
  COPY_FORMS, type BatchItemResult, type CopyForm, type SignResult,
} from '../../core/pdf/sign/index';
import type { KeySigner } from '../../core/crypto/signer';
import type { PinStatus, TokenCertificateDto } from '../../core/token/index';
import { isSameFile } from '../../core/fsx/same-file';
import { loadSettings } from '../../core/config';
import { EXIT, flagString, parseArgs, type CliCommand, type CliIo } from '../io';

const USAGE = `vanthu sign — ký số văn bản PDF

  vanthu sign approve  <in.pdf> -o <out.pdf> --image <png> [--page N] [--rect x,y,w,h] [tùy chọn token]
  vanthu sign issue    <in.pdf> -o <out.pdf> --number <n> --notation <ký hiệu> [--date YYYY-MM-DD]
                       --stamp <png> [--seal-mm 36] [--trust <thư mục>] [--digitized] [--signer-name "<họ tên in>"] [tùy chọn token]
                       (--digitized: văn bản do cơ quan tự số hóa, không kiểm tra chữ ký lãnh đạo — Điều 17.4.c)
  vanthu sign appendix <in.pdf> -o <out.pdf> --ref "<số/ký hiệu>" [tùy chọn token]
  vanthu sign copy     <in.pdf> -o <out.pdf> --form "SAO Y|SAO LỤC|TRÍCH SAO" --agency "<tên cơ quan>" [tùy chọn token]
  vanthu sign batch    <jobs.jsonl> [--resume] [--trust <thư mục>] [tùy chọn token]
                       mỗi dòng một việc, ví dụ:
                       {"kind":"issue","input":"a.pdf","output":"a.ky.pdf","number":5,"notation":"QĐ-UBND","stamp":"dau.png"}
                       {"kind":"appendix","input":"pl.pdf","output":"pl.ky.pdf","ref":"05/QĐ-UBND"}
                       {"kind":"copy","input":"b.pdf","output":"b.sao.pdf","form":"SAO Y","agency":"UBND tỉnh …"}
                       (đường dẫn tương đối tính từ thư mục của tệp danh sách; --resume bỏ qua tệp đã ký xong)

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
  const { flags, positionals } = parseArgs(rest, ['json', 'digitized', 'resume']);
  if (sub === 'batch') return batch(positionals[0], flags, io);
  const input = positionals[0];
  const output = flagString(flags, 'out');
  if (!input || !output) return usage(io, 'Cần tệp vào và -o <tệp ra>.');
  if (isSameFile(input, output)) return usage(io, 'Tệp ra phải khác tệp vào (tệp gốc không bao giờ bị sửa).');
  const { settings, common } = signingContext(flags, io);

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
      const stamp = readBytes(flagString(flags, 'stamp') ?? settings.sealImage ?? need(flags, 'stamp'));
      const date = flagString(flags, 'date');
      const sealMm = flagString(flags, 'seal-mm');
      const trust = flagString(flags, 'trust');
      const jobType = flags.has('digitized') ? 'digitized' as const : 'issue' as const;
      const signerName = flagString(flags, 'signer-name');
      if (jobType === 'digitized') warnDigitized(io, input);
      beforeLogin = async (cert) => { await assertIssuable(input, cert, { jobType, trust: { trustDir: trust ?? settings.trustDir } }); };
      run = async (s) => ({ ...(await issuePdf(input, output, s, {
        ...common, stamp,
        number: positiveInt(need(flags, 'number'), 'number'),
        notation: need(flags, 'notation'),
        jobType,
        ...(signerName ? { signerName } : {}),
        ...(date ? { date: parseDate(date) } : {}),
        sealMm: sealMm ? Number(sealMm) : settings.sealMm,
        trust: { trustDir: trust ?? settings.trustDir },
      })), digitized: jobType === 'digitized' });
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

/**
 * One token session for the whole command: load module, find the token by label, choose the key among
 * the certificates that can sign today, run the checks that need only the certificate, warn about the
 * PIN counter (refuse a locked token before asking), log in once, sign, close.
 */
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
    const chosen = chooseCertificate(service.listCertificates(token.ref), flagString(flags, 'key-id')?.toLowerCase());
    const certificate = Buffer.from(chosen.certificate, 'base64');
    await beforeLogin(certificate);
    warnPinCounter(io, label, service.pinStatus(token.ref));
    const pin = await io.readPin(`Mã PIN của token "${label}": `);
    service.login(token.ref, pin); // login wipes the PIN buffer
    // Private keys are private objects: only now can the token say whether this certificate has one.
    const after = service.listCertificates(token.ref).find((c) => c.keyId === chosen.keyId);
    if (after?.privateKeyStatus === 'absent') {
      throw new AppError('TOKEN_KEY_NOT_FOUND', `Chứng thư số ${chosen.keyId} trên token không kèm khóa bí mật, không ký được.`, `no private key for ${chosen.keyId}`);
    }
    // Keys marked CKA_ALWAYS_AUTHENTICATE ask for the signature PIN before every signature.
    const signer = service.createTokenSigner(token.ref, chosen.keyId, { pinCallback: () => io.readPin('PIN ký: ') });
    return await run(signer);
  } finally {
    service.close();
  }
}

/**
 * The certificate to sign with: the one named by --key-id (refused here, before the PIN, when it is
 * out of validity), or else the only one valid today that may have a private key. Tokens keep
 * expired and renewed certificates side by side; those are no choice.
 */
export function chooseCertificate(certs: readonly TokenCertificateDto[], wanted: string | undefined): TokenCertificateDto {
  if (wanted) {
    const hit = certs.find((c) => c.keyId === wanted);
    if (!hit) throw new AppError('INPUT_INVALID', `Token không có chứng thư số với mã khóa ${wanted}.`, `no certificate ${wanted}`);
    assertCertificateUsable({ certificate: Buffer.from(hit.certificate, 'base64') }, new Date());
    return hit;
  }
  const usable = certs.filter((c) => !c.outOfValidity && c.privateKeyStatus !== 'absent');
  if (usable.length === 1) return usable[0]!;
  if (usable.length === 0) {
    throw new AppError('TOKEN_KEY_NOT_FOUND', `Token không có chứng thư số nào còn hiệu lực kèm khóa bí mật (có ${certs.length} chứng thư số).`, `${certs.length} certificates, none usable`);
  }
  const list = usable.map((c) => `${c.keyId} (${c.commonName || c.label}, hết hạn ${c.notAfter.slice(0, 10)})`).join('; ');
  throw new AppError('INPUT_INVALID', `Token có ${usable.length} chứng thư số còn hiệu lực; hãy chọn bằng --key-id: ${list}.`, `${usable.length} usable certificates`);
}

export function warnPinCounter(io: CliIo, label: string, st: PinStatus): void {
  if (st.pinLocked) {
    throw new AppError('TOKEN_LOCKED', `Token "${label}" đã bị khóa mã PIN; không nhập PIN nữa. Hãy liên hệ người quản trị để mở khóa.`, 'CKF_USER_PIN_LOCKED');
  }
  if (st.pinFinalTry) io.err(`Cảnh báo: token "${label}" chỉ còn MỘT lần nhập mã PIN; nhập sai lần này token sẽ bị khóa.`);
  else if (st.pinCountLow) io.err(`Cảnh báo: token "${label}" báo đã có lần nhập sai mã PIN; số lần thử còn lại ít.`);
}

function warnDigitized(io: CliIo, file: string): void {
  io.err(`Cảnh báo: ${file}: ký phát hành văn bản do cơ quan tự số hóa, KHÔNG kiểm tra chữ ký của người có thẩm quyền (Điều 17.4.c).`);
}

/** Agency settings give the defaults (trust roots, seal, TSA, token library, intermediates); flags win. */
function signingContext(flags: Map<string, string | true>, io: CliIo) {
  const settings = loadSettings(io.env);
  if (settings.softhsm2Conf && !io.env.SOFTHSM2_CONF) process.env.SOFTHSM2_CONF = settings.softhsm2Conf;
  const tsaUrl = flagString(flags, 'tsa') ?? settings.tsaUrl;
  const chainFile = flagString(flags, 'chain');
  const common = {
    ...(tsaUrl ? { tsa: { url: tsaUrl } } : {}),
    ...(chainFile ? { intermediates: readPemCertificates(chainFile) } : {}),
  };
  return { settings, common };
}

/** `vanthu sign batch <jobs.jsonl>`: one login, progress on stderr, per-file results, resumable. */
async function batch(jobsFile: string | undefined, flags: Map<string, string | true>, io: CliIo): Promise<number> {
  if (!jobsFile) return usage(io, 'Cần tệp danh sách việc (jobs.jsonl).');
  const { settings, common } = signingContext(flags, io);
  let text: string;
  try {
    if (statSync(jobsFile).size > 16 * 1024 * 1024) throw new AppError('INPUT_INVALID', 'Tệp danh sách việc quá lớn.', 'jobs file > 16 MB');
    text = readFileSync(jobsFile, 'utf8');
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('NOT_FOUND', `Không đọc được tệp danh sách việc ${jobsFile}.`, `read ${jobsFile}`);
  }
  const descriptions = parseJobLines(text);
  if (descriptions.length === 0) return usage(io, 'Tệp danh sách không có việc nào.');
  const trust = flagString(flags, 'trust') ?? settings.trustDir;
  const jobs = toBatchJobs(descriptions, dirname(resolve(jobsFile)), {
    ...common, trust: { trustDir: trust }, sealMm: settings.sealMm, ...(settings.sealImage ? { stamp: settings.sealImage } : {}),
  });
  const resume = flags.has('resume');
  if (!resume) {
    const existing = jobs.filter((j) => existsSync(j.output)).map((j) => j.output);
    if (existing.length > 0) {
      return usage(io, `Đã có ${existing.length} tệp kết quả (ví dụ ${existing[0]}); dùng --resume để bỏ qua các tệp đã ký xong, hoặc xóa chúng.`);
    }
  }
  jobs.forEach((j) => { if (j.kind === 'issue' && j.options.jobType === 'digitized') warnDigitized(io, j.input); });
  const results = await withTokenSigner(flags, io, settings.pkcs11Modules[0], async () => {}, (signer) => signBatch(jobs, signer, {
    trust: { trustDir: trust },
    onProgress: (p) => io.err(`[${p.done}/${p.total}] ${progressLine(p.item)}`),
  }));
  const counts = { signed: 0, skipped: 0, failed: 0 };
  for (const r of results) counts[r.status]++;
  const notRun = jobs.length - results.length;
  io.err(`Xong: ${counts.signed} tệp đã ký, ${counts.skipped} tệp bỏ qua (đã ký trước đó), ${counts.failed} tệp lỗi${notRun ? `, ${notRun} tệp chưa làm (dừng vì lỗi token)` : ''}.`);
  if (flags.has('json')) io.out(JSON.stringify({ results, ...counts, notRun }));
  return counts.failed === 0 && notRun === 0 ? EXIT.OK : EXIT.FAILED;
}

function progressLine(item: BatchItemResult): string {
  switch (item.status) {
    case 'signed': return `Đã ký: ${item.output}`;
    case 'skipped': return `Bỏ qua (đã ký trước đó): ${item.output}`;
    case 'failed': return `Lỗi: ${item.input}: ${item.error?.message ?? 'không rõ'}`;
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
