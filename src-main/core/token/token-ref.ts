import { AppError } from '../../contract/errors';

/**
 * A token is named by its module, label and serial, never by slot id: SoftHSM renumbers slots at
 * every --init-token and USB readers change order. The string form is an RFC 7512 PKCS#11 URI.
 */
export interface TokenAddress { module: string; label: string; serial: string }

const MAX_REF = 2048;

export function formatTokenRef(a: TokenAddress): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/[;?&=]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `pkcs11:token=${enc(a.label)};serial=${enc(a.serial)}?module-path=${enc(a.module)}`;
}

export function parseTokenRef(ref: string): TokenAddress {
  const invalid = () => new AppError('INPUT_INVALID', 'Tham chiếu token không hợp lệ.', 'malformed token reference');
  if (ref.length > MAX_REF || !ref.startsWith('pkcs11:')) throw invalid();
  const [pathPart = '', query = ''] = ref.slice('pkcs11:'.length).split('?', 2);
  const attrs = new Map<string, string>();
  try {
    for (const kv of [...pathPart.split(';'), ...query.split('&')]) {
      if (!kv) continue;
      const eq = kv.indexOf('=');
      if (eq <= 0) throw invalid();
      attrs.set(kv.slice(0, eq), decodeURIComponent(kv.slice(eq + 1)));
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw invalid();
  }
  const module = attrs.get('module-path');
  const label = attrs.get('token');
  if (!module || label === undefined) throw invalid();
  return { module, label, serial: attrs.get('serial') ?? '' };
}
