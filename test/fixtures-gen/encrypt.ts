import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The four standard-handler variants qpdf writes: RC4 40 (R2), RC4 128 (R3), AES-128 (R4), AES-256 (R6). */
export type Encryption = 'rc4-40' | 'rc4-128' | 'aes-128' | 'aes-256';
const ARGS: Record<Encryption, string[]> = { 'rc4-40': ['40'], 'rc4-128': ['128', '--use-aes=n'], 'aes-128': ['128', '--use-aes=y'], 'aes-256': ['256'] };

/** Encrypts with qpdf: an empty user password (permissions only, the "protected" PDF) unless one is given. */
export function encryptWithQpdf(pdf: Buffer, how: Encryption, userPassword = ''): Buffer {
  if (spawnSync('which', ['qpdf']).status !== 0) throw new Error('qpdf is not installed: run bash native/install-system-packages.sh');
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-encrypt-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), pdf);
    execFileSync('qpdf', ['--allow-weak-crypto', '--encrypt', userPassword, 'owner-secret', ...ARGS[how], '--', join(dir, 'in.pdf'), join(dir, 'out.pdf')], { stdio: 'pipe' });
    return readFileSync(join(dir, 'out.pdf'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
