import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../helpers/pki';
import { makeSampleDocument, type SampleDocumentOptions } from '../../../src-main/core/pdf/sign/sample-document';

export const SIGNATURE_PNG = readFileSync(join(repoRoot, 'resources/images/sample-signature-blue.png'));
export const SEAL_PNG = readFileSync(join(repoRoot, 'resources/images/sample-seal-red.png'));

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `vanthu-sign-${tag}-`));
}

export async function writeSample(dir: string, name: string, opts: SampleDocumentOptions = {}): Promise<string> {
  const path = join(dir, name);
  writeFileSync(path, await makeSampleDocument(opts));
  return path;
}

export function isPrefix(prefix: Buffer, whole: Buffer): boolean {
  return whole.length > prefix.length && whole.subarray(0, prefix.length).equals(prefix);
}
