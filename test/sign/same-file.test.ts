/**
 * Originals are never overwritten: every signing entry point refuses an output that names the input,
 * whatever the spelling (relative path, "./", symbolic link to the file or to its folder, hard link),
 * and leaves the input byte-for-byte and inode-for-inode as it was, with no temp file behind.
 */
import { linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPki, type TestPki } from '../helpers/pki';
import { approvePdf, issuePdf, signAttachment, signBatch, signCopy } from '../../src-main/core/pdf/sign/index';
import { isSameFile } from '../../src-main/core/fsx/same-file';
import type { KeySigner } from '../../src-main/core/crypto/signer';
import { pemSigner } from './helpers/software-signer';
import { SEAL_PNG, SIGNATURE_PNG, tempDir, writeSample } from './helpers/fixtures';

let pki: TestPki;
let dir: string;
let input: string;
let signer: KeySigner;
const MESSAGE = 'Tệp kết quả trùng với tệp gốc; tệp gốc không bao giờ bị ghi đè. Hãy chọn tên hoặc thư mục khác cho tệp kết quả.';

beforeAll(async () => {
  pki = loadPki();
  signer = pemSigner(pki, 'agency');
  dir = tempDir('same');
  mkdirSync(join(dir, 'docs'));
  input = await writeSample(join(dir, 'docs'), 'orig.pdf');
  symlinkSync(join(dir, 'docs', 'orig.pdf'), join(dir, 'link.pdf'));
  symlinkSync(join(dir, 'docs'), join(dir, 'docs-link'));
  linkSync(input, join(dir, 'hard.pdf'));
  symlinkSync(join(dir, 'docs', 'gone.pdf'), join(dir, 'dangling.pdf'));
});
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

const spellings = () => ({
  'the same path': input,
  'a relative path': relative(process.cwd(), input),
  'a path through "./" and ".."': join(dir, 'docs', '.', '..', 'docs', 'orig.pdf').replace(dir, `${dir}/./`),
  'a symbolic link to the file': join(dir, 'link.pdf'),
  'a symbolic link to its folder': join(dir, 'docs-link', 'orig.pdf'),
  'a hard link': join(dir, 'hard.pdf'),
});

const calls: Record<string, (out: string) => Promise<unknown>> = {
  approvePdf: (out) => approvePdf(input, out, signer, { image: SIGNATURE_PNG, page: 0, rect: { x: 100, y: 100, width: 100, height: 40 } }),
  issuePdf: (out) => issuePdf(input, out, signer, { number: 3, notation: 'QĐ-UBND', stamp: SEAL_PNG, jobType: 'digitized', signerName: 'Nguyễn Văn An' }),
  signAttachment: (out) => signAttachment(input, out, signer, { ref: '05/QĐ-UBND' }),
  signCopy: (out) => signCopy(input, out, signer, { form: 'SAO Y', agency: 'UBND tỉnh Thử Nghiệm' }),
};

function snapshot() {
  const st = statSync(input);
  return { bytes: readFileSync(input), ino: st.ino, mtimeMs: st.mtimeMs, files: readdirSync(join(dir, 'docs')).sort(), top: readdirSync(dir).sort() };
}

describe('the output may never be the input', () => {
  it('isSameFile sees through every spelling, and not through a different file', () => {
    for (const [how, out] of Object.entries(spellings())) expect(isSameFile(input, out), how).toBe(true);
    expect(isSameFile(input, join(dir, 'docs', 'other.pdf'))).toBe(false);
    expect(isSameFile(input, join(dir, 'docs-link', 'other.pdf'))).toBe(false);
    expect(isSameFile(join(dir, 'missing.pdf'), join(dir, 'missing.pdf'))).toBe(true);
    expect(isSameFile(input, join(dir, 'no-such-dir', 'orig.pdf'))).toBe(false);
    expect(isSameFile(input, join(dir, 'dangling.pdf')), 'a link to nothing is replaced, not followed').toBe(false);
    expect(isSameFile(input, join(dir, 'docs', 'orig.pdf', 'x.pdf')), 'a file used as a folder').toBe(false);
  });

  for (const [name, call] of Object.entries(calls)) {
    it(`${name} refuses in Vietnamese and leaves the input and its folder untouched`, async () => {
      const before = snapshot();
      for (const [how, out] of Object.entries(spellings())) {
        await expect(call(out), how).rejects.toMatchObject({ code: 'INPUT_INVALID', vi: MESSAGE });
      }
      expect(snapshot()).toEqual(before);
    });
  }

  it('signBatch reports the job as failed with the same sentence and signs the others', async () => {
    const before = snapshot();
    const other = join(dir, 'docs', 'signed.pdf');
    const results = await signBatch([
      { kind: 'appendix', input, output: join(dir, 'hard.pdf'), options: { ref: '05/QĐ-UBND' } },
      { kind: 'copy', input, output: join(dir, 'link.pdf'), options: { form: 'SAO Y', agency: 'UBND tỉnh Thử Nghiệm' } },
      { kind: 'appendix', input, output: other, options: { ref: '05/QĐ-UBND' } },
    ], signer);
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed', 'signed']);
    expect(results[0]!.error).toEqual({ code: 'INPUT_INVALID', message: MESSAGE });
    rmSync(other);
    expect(snapshot()).toEqual(before);
  });
});
