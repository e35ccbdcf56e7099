/**
 * The TSA request's nonce is a DER INTEGER a TSA accepts whatever the random bytes: a leading 0x00
 * (1 request in 256 before) made `openssl ts` reject the request with status 2 and the issue fail.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requestNonce, timestampRequest } from '../../src-main/core/cms/timestamp';
import { tempDir } from './helpers/fixtures';
import { requireTool } from './helpers/oracles';

describe('TSA request nonce', () => {
  it('is positive and minimally encoded for every first byte', () => {
    for (let b = 0; b < 256; b++) {
      const nonce = requestNonce(Buffer.concat([Buffer.from([b]), randomBytes(7)]));
      expect(nonce).toHaveLength(8);
      expect(nonce[0]! & 0x80).toBe(0);
      expect(nonce[0]).not.toBe(0);
    }
  });

  it('openssl ts parses the request for the first bytes that broke it and echoes the nonce', () => {
    requireTool('openssl');
    const dir = tempDir('tsa-nonce');
    const imprint = createHash('sha256').update('vanthu').digest();
    for (const b of [0x00, 0x01, 0x7f, 0x80, 0xff]) {
      const nonce = requestNonce(Buffer.from([b, 0x00, 2, 3, 4, 5, 6, 7]));
      const file = join(dir, `q${b}.tsq`);
      writeFileSync(file, timestampRequest(imprint, nonce));
      const r = spawnSync('openssl', ['ts', '-query', '-in', file, '-text'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain(`Nonce: 0x${nonce.toString('hex').toUpperCase()}`);
    }
  });
});
