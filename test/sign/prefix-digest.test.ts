import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PrefixDigest } from '../../src-main/core/crypto/prefix-digest';

const sha = (...parts: Uint8Array[]) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest('hex');

describe('PrefixDigest', () => {
  const bytes = randomBytes(100_000);

  it('gives the ByteRange digests and the whole-input state a direct hash would, in any order', () => {
    const p = new PrefixDigest(bytes);
    for (const [b, c] of [[40_000, 41_000], [90_000, 95_000], [10_000, 12_000], [90_000, 95_000]] as const) {
      const d = 100_000 - c;
      expect(p.rangeDigest([0, b, c, d], 'sha256')!.toString('hex')).toBe(sha(bytes.subarray(0, b), bytes.subarray(c)));
    }
    const whole = p.whole();
    expect(whole.update(Buffer.from('tail')).digest('hex')).toBe(sha(bytes, Buffer.from('tail')));
    // The shared state is not consumed by handing out a copy.
    expect(p.whole().digest('hex')).toBe(sha(bytes));
  });

  it('declines other hashes and ranges it cannot serve, so the verifier computes them itself', () => {
    const p = new PrefixDigest(bytes);
    expect(p.rangeDigest([0, 10, 20, 5], 'sha1')).toBeUndefined();
    expect(p.rangeDigest([5, 10, 20, 5], 'sha256')).toBeUndefined();
    expect(p.rangeDigest([0, 30, 20, 5], 'sha256')).toBeUndefined();
    expect(p.rangeDigest([0, 10, 99_990, 20], 'sha256')).toBeUndefined();
    // Not integers: declined, and the shared state is left where it was.
    expect(p.rangeDigest([0, Number.NaN, 20, 5], 'sha256')).toBeUndefined();
    expect(p.rangeDigest([0, 10.5, 20, 5], 'sha256')).toBeUndefined();
    expect(p.rangeDigest([0, 10, 20, 5], 'sha256')!.toString('hex')).toBe(sha(bytes.subarray(0, 10), bytes.subarray(20, 25)));
  });
});
