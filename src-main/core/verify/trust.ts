import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { AppError } from '../../contract/errors';

const MAX_ANCHOR_FILES = 500;
const MAX_ANCHOR_FILE_BYTES = 1024 * 1024;

/** Splits PEM text into DER blobs; a file without PEM armour is taken as one DER certificate. */
export function certificatesFromFile(bytes: Buffer): Buffer[] {
  const text = bytes.toString('latin1');
  if (!text.includes('-----BEGIN CERTIFICATE-----')) return [bytes];
  const out: Buffer[] = [];
  const re = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
  return out;
}

/**
 * Trust anchors from a folder: every *.pem, *.crt, *.cer, *.der file (PEM bundles allowed). Files that
 * are not certificates are skipped with a reason in `skipped`; an unreadable folder is an IO_ERROR.
 */
export function loadTrustAnchors(dir: string, skipped: string[] = []): Buffer[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    throw new AppError('IO_ERROR', 'Không đọc được thư mục chứng thư tin cậy.', `cannot read trust dir ${dir}: ${(e as Error).message}`);
  }
  const out: Buffer[] = [];
  for (const name of names.slice(0, MAX_ANCHOR_FILES)) {
    if (!/\.(pem|crt|cer|der)$/i.test(name)) continue;
    const path = join(dir, name);
    if (!statSync(path).isFile() || statSync(path).size > MAX_ANCHOR_FILE_BYTES) { skipped.push(`${name}: not a file or too large`); continue; }
    for (const der of certificatesFromFile(readFileSync(path))) {
      try { new X509Certificate(der); out.push(der); } catch { skipped.push(`${name}: not a certificate`); }
    }
  }
  return out;
}
