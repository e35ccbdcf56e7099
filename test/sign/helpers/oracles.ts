import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestPki } from '../../helpers/pki';

/** Fails loudly when a system tool the oracle needs is absent. */
export function requireTool(tool: string): void {
  const r = spawnSync('which', [tool]);
  if (r.status !== 0) throw new Error(`system tool "${tool}" is missing: run bash native/install-system-packages.sh`);
}

export interface PdfsigEntry { index: number; signature: string; certificate: string; totalDocumentSigned: boolean; signerName: string }

/**
 * pdfsig exits 0 whatever the verdict (docs/signing.md, "What the reference validators show"): parse the per-signature lines. -no-ocsp because
 * the test certificates name an OCSP responder on 127.0.0.1 that these tests do not run; without it NSS
 * reports "Unknown issue with Certificate" for every signature.
 */
export function pdfsig(pki: TestPki, file: string): PdfsigEntry[] {
  requireTool('pdfsig');
  const r = spawnSync('pdfsig', ['-nssdir', pki.nssDb, '-no-ocsp', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pdfsig could not open ${file}: ${r.stderr}`);
  const blocks = r.stdout.split(/^Signature #/m).slice(1);
  return blocks.map((b) => ({
    index: Number(/^(\d+)/.exec(b)?.[1]),
    signature: /Signature Validation: (.*)/.exec(b)?.[1]?.trim() ?? '',
    certificate: /Certificate Validation: (.*)/.exec(b)?.[1]?.trim() ?? '',
    totalDocumentSigned: /Total document signed/.test(b),
    signerName: /Signer Certificate Common Name: (.*)/.exec(b)?.[1]?.trim() ?? '',
  }));
}

export function qpdfCheck(file: string): string {
  requireTool('qpdf');
  const r = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`qpdf --check failed (${r.status}): ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export interface SignatureBytes { byteRange: number[]; content: Buffer; cms: Buffer }

/** Every signature of a file: its covered bytes and its padded /Contents (docs/signing.md, "What the reference validators show"). */
export function extractSignatures(pdf: Buffer): SignatureBytes[] {
  const out: SignatureBytes[] = [];
  const text = pdf.toString('latin1');
  const re = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const [a, b, c, d] = m.slice(1, 5).map(Number) as [number, number, number, number];
    const content = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
    const hex = text.slice(b + 1, c - 1);
    out.push({ byteRange: [a, b, c, d], content, cms: Buffer.from(hex, 'hex') });
  }
  return out;
}

/** `openssl cms -verify` of one signature against the test chain; returns OpenSSL's message. */
export function opensslVerify(pki: TestPki, sig: SignatureBytes, opts: { attime?: number } = {}): { ok: boolean; output: string } {
  requireTool('openssl');
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-cms-'));
  try {
    writeFileSync(join(dir, 'sig.der'), sig.cms);
    writeFileSync(join(dir, 'content.bin'), sig.content);
    const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'sig.der'), '-content', join(dir, 'content.bin'),
      '-CAfile', join(pki.certs, 'chain.pem'), '-purpose', 'any', '-out', '/dev/null'];
    if (opts.attime !== undefined) args.push('-attime', String(opts.attime));
    const r = spawnSync('openssl', args, { encoding: 'utf8' });
    const output = `${r.stdout}${r.stderr}`;
    return { ok: r.status === 0 && /Verification successful/.test(output), output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function cmsPrint(sig: SignatureBytes): string {
  return execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER'], { input: sig.cms, encoding: 'utf8' });
}

export function pdftotext(file: string, page = 1): string {
  requireTool('pdftotext');
  return execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-layout', file, '-'], { encoding: 'utf8' });
}
