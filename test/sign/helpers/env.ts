import { rmSync } from 'node:fs';
import { afterAll } from 'vitest';
import { loadPki } from '../../helpers/pki';
import { tempDir } from './fixtures';
import { openTestTokens } from './token';

/**
 * What most signer tests start from: the test PKI, both SoftHSM tokens logged in, and a private temp
 * folder; both are released after the file's tests.
 */
export function useSignEnv(tag: string) {
  const pki = loadPki();
  const tokens = openTestTokens(pki);
  const dir = tempDir(tag);
  afterAll(() => {
    tokens.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { pki, tokens, dir };
}
