import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_PDF_BYTES } from '../../src-main/contract/limits';
import { isAppError } from '../../src-main/contract/errors';
import { readInput } from '../../src-main/core/pdf/sign/read-input';

const dir = mkdtempSync(join(tmpdir(), 'vanthu-read-input-'));

function refusal(path: string): { code: string; vi: string; detail: string } {
  try {
    readInput(path);
  } catch (e) {
    if (isAppError(e)) return { code: e.code, vi: e.vi, detail: e.message };
    throw e;
  }
  throw new Error(`${path} was read`);
}

describe('reading a file the clerk named (sign, verify, digitize, images)', () => {
  it('says what went wrong with the read and names the file, never "to sign" or "destination"', () => {
    expect(refusal(join(dir, 'thiếu.pdf'))).toEqual({ code: 'NOT_FOUND', vi: 'Không tìm thấy tệp “thiếu.pdf”.', detail: `read ${join(dir, 'thiếu.pdf')}: ENOENT` });
    writeFileSync(join(dir, 'a-file'), 'x');
    expect(refusal(join(dir, 'a-file', 'inside.pdf'))).toMatchObject({ code: 'NOT_FOUND', vi: 'Không tìm thấy tệp “inside.pdf”.' });
    expect(refusal(dir)).toMatchObject({ code: 'IO_ERROR', vi: expect.stringMatching(/^“vanthu-read-input-[^”]+” là một thư mục, không phải một tệp\.$/) });
    const big = join(dir, 'lớn.pdf');
    writeFileSync(big, '');
    truncateSync(big, MAX_PDF_BYTES + 1); // sparse: nothing is written
    expect(refusal(big)).toMatchObject({ code: 'PDF_TOO_LARGE', vi: expect.stringMatching(/^Tệp “lớn\.pdf” quá lớn \(trên .+\)\.$/) });
  });

  it('reads a file whole', () => {
    writeFileSync(join(dir, 'ok.pdf'), '%PDF-1.7\n');
    expect(Buffer.from(readInput(join(dir, 'ok.pdf'))).toString()).toBe('%PDF-1.7\n');
  });
});
