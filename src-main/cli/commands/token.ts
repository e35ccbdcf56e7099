import { AppError, type ErrorCode } from '../../contract/errors';
import { compareVi } from '../../contract/text';
import { isoVietnam } from '../../contract/time';
import type { CertificateDto, TokenDto } from '../../contract/token';
import { loginWithPin, settingsFromFlags, withBackend, type CliBackend } from '../backend-client';
import { EXIT, flagString, parseArgs, type CliCommand, type CliIo } from '../io';

const USAGE = `vanthu token — token ký số (PKCS#11)

  vanthu token list [--module <thư viện PKCS#11>] [--login] [--json]

Không có --module: các thư viện trong cấu hình cơ quan (cấu hình để trống: mọi trình điều khiển tìm thấy trên máy).
--login: đăng nhập từng token (mã PIN từ VANTHU_PIN hoặc nhập khi được hỏi) để biết chứng thư nào có khóa bí mật.`;

/** Stable JSON shape of `token list --json` (version bumps on any breaking change). */
interface TokenListJson {
  version: 1;
  modules: Array<{ path: string; loaded: boolean; errorCode: string | null; errorMessage: string | null }>;
  tokens: Array<{
    ref: string; label: string; serial: string; manufacturer: string; model: string; module: string;
    loginRequired: boolean; pinCountLow: boolean; pinFinalTry: boolean; pinLocked: boolean;
    certificates: Array<Pick<CertificateDto,
      'keyId' | 'label' | 'commonName' | 'organisation' | 'title' | 'subject' | 'issuer' | 'serial' | 'notBefore' | 'notAfter'
      | 'keyAlgorithm' | 'keySize' | 'keyUsage' | 'alwaysAuthenticate' | 'expired' | 'notYetValid'> & { privateKeyStatus: CertificateDto['privateKey'] }>;
  }>;
}

const token: CliCommand = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub !== 'list') {
    io.out(USAGE);
    return sub === '--help' || sub === 'help' ? EXIT.OK : EXIT.USAGE;
  }
  const { flags, positionals } = parseArgs(rest, ['json', 'login']);
  const unknown = [...flags.keys()].filter((f) => !['json', 'login', 'module'].includes(f));
  if (positionals.length > 0 || unknown.length > 0 || flags.get('module') === true) {
    io.err(`Tham số không hợp lệ: ${[...positionals, ...unknown.map((f) => `--${f}`)].join(' ') || '--module cần đường dẫn'}\n${USAGE}`);
    return EXIT.USAGE;
  }
  const module = flagString(flags, 'module');
  const listing = await withBackend(settingsFromFlags(flags, io), async (b) => {
    const { modules } = await b.call('token.modules', {});
    // An explicit module that cannot load is the command's failure, with its own Vietnamese reason.
    const failed = module ? modules.find((m) => m.path === module && !m.loaded) : undefined;
    if (failed) throw new AppError((failed.errorCode ?? 'TOKEN_ERROR') as ErrorCode, failed.errorMessage ?? '', `load ${module}`);
    return { version: 1 as const, modules, tokens: await collect(b, io, flags.has('login')) };
  });
  if (flags.has('json')) io.out(JSON.stringify(listing, null, 2));
  else printHuman(listing, io);
  return listing.tokens.length > 0 ? EXIT.OK : EXIT.FAILED;
};

export default token;

async function collect(b: CliBackend, io: CliIo, login: boolean): Promise<TokenListJson['tokens']> {
  const tokens: TokenListJson['tokens'] = [];
  // One collator for all three keys: each ICU collator a process builds costs milliseconds at start.
  const byModuleThenLabel = (x: TokenDto, y: TokenDto) => compareVi(x.module, y.module) || compareVi(x.label, y.label) || compareVi(x.serial, y.serial);
  for (const t of (await b.call('token.list', {})).tokens.sort(byModuleThenLabel)) {
    if (login && !t.pinLocked) await loginWithPin(b, io, t);
    const { certificates } = await b.call('token.certificates', { token: t.ref });
    tokens.push({ ...pickToken(t), certificates: certificates.map(pickCert) });
  }
  return tokens;
}

function pickToken(t: TokenDto): Omit<TokenListJson['tokens'][number], 'certificates'> {
  const { ref, label, serial, manufacturer, model, module, loginRequired, pinCountLow, pinFinalTry, pinLocked } = t;
  return { ref, label, serial, manufacturer, model, module, loginRequired, pinCountLow, pinFinalTry, pinLocked };
}

function pickCert(c: CertificateDto): TokenListJson['tokens'][number]['certificates'][number] {
  const { keyId, label, commonName, organisation, title, subject, issuer, serial, notBefore, notAfter, keyAlgorithm, keySize, keyUsage, privateKey, alwaysAuthenticate, expired, notYetValid } = c;
  return { keyId, label, commonName, organisation, title, subject, issuer, serial, notBefore, notAfter, keyAlgorithm, keySize, keyUsage, privateKeyStatus: privateKey, alwaysAuthenticate, expired, notYetValid };
}

/** dd/mm/yyyy hh:mm in Vietnam time. */
function viDate(iso: string): string {
  const v = isoVietnam(new Date(iso));
  return `${v.slice(8, 10)}/${v.slice(5, 7)}/${v.slice(0, 4)} ${v.slice(11, 16)}`;
}

const KEY_STATUS_VI = { present: 'có', absent: 'không có', unknown: 'chưa rõ (cần đăng nhập: --login)' } as const;

function printHuman(list: TokenListJson, io: CliIo): void {
  for (const m of list.modules) {
    io.out(m.loaded ? `Thư viện: ${m.path}` : `Thư viện: ${m.path} — không dùng được: ${m.errorMessage ?? ''}`);
  }
  if (list.modules.length === 0) io.out('Không tìm thấy trình điều khiển token nào trên máy. Hãy cài phần mềm của nhà cung cấp chứng thư số hoặc dùng --module.');
  if (list.tokens.length === 0) {
    io.out('Không có token nào được cắm vào máy.');
    return;
  }
  for (const t of list.tokens) {
    io.out('');
    io.out(`Token "${t.label}" — số sê-ri ${t.serial}, hãng ${t.manufacturer}, loại ${t.model}`);
    io.out(`  Thư viện: ${t.module}`);
    if (t.pinLocked) io.out('  Cảnh báo: token đã bị khóa mã PIN.');
    else if (t.pinFinalTry) io.out('  Cảnh báo: chỉ còn một lần nhập mã PIN.');
    else if (t.pinCountLow) io.out('  Cảnh báo: đã có lần nhập sai mã PIN, số lần thử còn lại ít.');
    if (t.certificates.length === 0) io.out('  (không có chứng thư số)');
    for (const c of t.certificates) {
      const validity = c.expired ? ' (đã hết hạn)' : c.notYetValid ? ' (chưa có hiệu lực)' : '';
      io.out(`  Chứng thư [CKA_ID ${c.keyId || '—'}]: ${c.commonName}`);
      if (c.organisation) io.out(`    Tổ chức: ${c.organisation}`);
      if (c.title) io.out(`    Chức danh: ${c.title}`);
      io.out(`    Số sê-ri: ${c.serial}`);
      io.out(`    Hiệu lực: từ ${viDate(c.notBefore)} đến ${viDate(c.notAfter)}${validity}`);
      io.out(`    Khóa: ${c.keyAlgorithm} ${c.keySize} bit — khóa bí mật: ${KEY_STATUS_VI[c.privateKeyStatus]}`);
    }
  }
}

