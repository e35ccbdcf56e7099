/**
 * What every `vanthu sign` command does around its contract call: agency settings with the command's
 * flags on top, the in-process backend, and the token session (token found by label, key chosen by the
 * contract before the PIN, PIN counter warnings, one login).
 */
import { AppError } from '../../contract/errors';
import type { TokenDto } from '../../contract/token';
import { nfc } from '../../contract/text';
import { TOKEN_VI } from '../../core/token/index';
import { loginWithPin, type CliBackend } from '../backend-client';
import { flagString, type CliIo } from '../io';

export type Flags = Map<string, string | true>;

/**
 * Logs in to the token named by --token with the key the contract chooses (sign.key: the named one, or
 * the only usable one); `beforePin` runs the checks that need no PIN. Returns the fields every sign
 * call takes. The PIN goes to token.login once and its Buffer is wiped.
 */
export async function loginForSigning(b: CliBackend, flags: Flags, io: CliIo, beforePin: () => Promise<void> = async () => {}): Promise<{ token: string; keyId: string; contextPin?: string; allowUntrustedChain?: true }> {
  const label = need(flags, 'token');
  const token = await findToken(b, label);
  const keyIdFlag = flagString(flags, 'key-id');
  const untrusted = flags.has(ALLOW_UNTRUSTED_CHAIN) ? { allowUntrustedChain: true as const } : {};
  const key = await b.call('sign.key', { token: token.ref, ...(keyIdFlag ? { keyId: keyIdFlag } : {}), ...untrusted });
  await beforePin();
  warnPinCounter(io, label, token);
  if (!token.loggedIn) await loginWithPin(b, io, token);
  // Keys marked CKA_ALWAYS_AUTHENTICATE ask for a second PIN before each signature (known after login).
  const { certificates } = await b.call('token.certificates', { token: token.ref });
  const always = certificates.find((c) => c.keyId === key.keyId)?.alwaysAuthenticate === true;
  if (!always) return { token: token.ref, keyId: key.keyId, ...untrusted };
  const contextPin = await io.readPin('PIN ký: ');
  try {
    return { token: token.ref, keyId: key.keyId, contextPin: contextPin.toString('utf8'), ...untrusted };
  } finally {
    contextPin.fill(0);
  }
}

async function findToken(b: CliBackend, label: string): Promise<TokenDto> {
  const want = nfc(label);
  const hit = (await b.call('token.list', {})).tokens.find((t) => t.label === want);
  if (!hit) throw new AppError('TOKEN_ABSENT', TOKEN_VI.TOKEN_ABSENT, `no token labelled ${JSON.stringify(want)}`);
  return hit;
}

export function warnPinCounter(io: CliIo, label: string, st: Pick<TokenDto, 'pinCountLow' | 'pinFinalTry' | 'pinLocked'>): void {
  if (st.pinLocked) {
    throw new AppError('TOKEN_LOCKED', `Token "${label}" đã bị khóa mã PIN; không nhập PIN nữa. Hãy liên hệ người quản trị để mở khóa.`, 'CKF_USER_PIN_LOCKED');
  }
  if (st.pinFinalTry) io.err(`Cảnh báo: token "${label}" chỉ còn MỘT lần nhập mã PIN; nhập sai lần này token sẽ bị khóa.`);
  else if (st.pinCountLow) io.err(`Cảnh báo: token "${label}" báo đã có lần nhập sai mã PIN; số lần thử còn lại ít.`);
}

export function warnDigitized(io: CliIo, file: string): void {
  io.err(`Cảnh báo: ${file}: ký phát hành văn bản do cơ quan tự số hóa, KHÔNG kiểm tra chữ ký của người có thẩm quyền (Điều 17.4.c).`);
}

export function need(flags: Flags, name: string): string {
  const v = flagString(flags, name);
  if (!v) throw new AppError('INPUT_INVALID', `Thiếu tham số --${name}.`, `missing --${name}`);
  return v;
}

/** The clerk's explicit choice to issue although the leader's revocation status is unknown (Điều 3.2). */
export const ACCEPT_UNKNOWN = 'accept-unknown-revocation';
export const UNKNOWN_ACCEPTED_VI = 'Cảnh báo: đã ký phát hành khi chưa kiểm tra được chứng thư số của lãnh đạo có bị thu hồi hay không (theo lựa chọn của văn thư); lựa chọn này được ghi vào kết quả ký, nhật ký của máy và nhật ký của sổ văn bản đi cùng văn bản.';

export function acceptUnknown(flags: Flags): { acceptUnknownRevocation?: true } {
  return flags.has(ACCEPT_UNKNOWN) ? { acceptUnknownRevocation: true } : {};
}

/** Test set-ups only: sign although the chain does not reach a configured trust anchor. */
export const ALLOW_UNTRUSTED_CHAIN = 'allow-untrusted-chain';
