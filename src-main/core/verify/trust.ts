import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { AppError } from '../../contract/errors';
import { certificatesFromFile } from '../trust/pem';
import { parseCert } from './certs';

const MAX_ANCHOR_FILES = 500;
const MAX_ANCHOR_FILE_BYTES = 1024 * 1024;

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
    const st = statSync(path);
    if (!st.isFile() || st.size > MAX_ANCHOR_FILE_BYTES) { skipped.push(`${name}: not a file or too large`); continue; }
    // parseCert keeps what it parsed (by SHA-256 of the DER): the folder is read again at every
    // verification and issue, its certificates parsed once per process.
    for (const der of certificatesFromFile(readFileSync(path))) {
      try { parseCert(der); out.push(der); } catch { skipped.push(`${name}: not a certificate`); }
    }
  }
  return out;
}

/**
 * Adds one anchor to a trust folder only if its SHA-256 fingerprint (of the DER) equals the one the
 * administrator confirmed from the official site: the "fingerprint-checked" way of resources/trust/README.md.
 * Accepts DER, PEM, or a PKCS#7 bundle already split by the caller. Returns the written file path.
 */
export function installTrustAnchor(dir: string, cert: Buffer, expectedSha256: string, name: string): string {
  const der = certificatesFromFile(cert)[0];
  if (!der) throw new AppError('INPUT_INVALID', 'Tệp không chứa chứng thư số.', 'no certificate in input');
  let x: X509Certificate;
  try { x = new X509Certificate(der); } catch {
    throw new AppError('INPUT_INVALID', 'Tệp không chứa chứng thư số hợp lệ.', 'certificate does not parse');
  }
  const actual = x.fingerprint256.replace(/:/g, '').toLowerCase();
  const expected = expectedSha256.replace(/[:\s]/g, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(expected) || actual !== expected) {
    throw new AppError('INPUT_INVALID', 'Dấu vân tay của chứng thư gốc không khớp với giá trị đã xác nhận; không thêm vào danh sách tin cậy.', `fingerprint ${actual} != ${expected}`);
  }
  if (!/^[a-z0-9][a-z0-9._-]{0,80}$/.test(name)) throw new AppError('INPUT_INVALID', 'Tên tệp chứng thư không hợp lệ.', `bad anchor name ${name}`);
  const path = join(dir, `${name}.pem`);
  const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  writeFileSync(path, pem);
  return path;
}
