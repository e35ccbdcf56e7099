import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PrefixDigest } from '../../src-main/core/crypto/prefix-digest';

const sha = (...parts: Uint8Array[]) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest('hex');

describe('PrefixDigest', () => {
  const bytes = randomBytes(100_000);

  it('gives the ByteRange digests and the whole-input state a direct hash would, in any order', () => {
    const p = PrefixDigest.of(Buffer.from(bytes));
    for (const [b, c] of [[40_000, 41_000], [90_000, 95_000], [10_000, 12_000], [90_000, 95_000]] as const) {
      const d = 100_000 - c;
      expect(p.rangeDigest([0, b, c, d], 'sha256')!.toString('hex')).toBe(sha(bytes.subarray(0, b), bytes.subarray(c)));
    }
    const whole = p.whole();
    expect(whole.update(Buffer.from('tail')).digest('hex')).toBe(sha(bytes, Buffer.from('tail')));
    // The shared state is not consumed by handing out a copy.
    expect(p.whole().digest('hex')).toBe(sha(bytes));
    expect(p.hex()).toBe(sha(bytes));
  });

  it('serves ranges that end behind the shared state from its saved states, on and off their boundaries', () => {
    const big = randomBytes(3 * 1024 * 1024 + 12_345);
    const p = PrefixDigest.of(big);
    expect(p.hex()).toBe(sha(big));
    const q = 256 * 1024;
    for (const b of [0, 1, q - 1, q, q + 1, 5 * q, 7 * q + 99, 12 * q, big.byteLength - 10]) {
      const c = Math.min(big.byteLength, b + 7);
      expect(p.rangeDigest([0, b, c, big.byteLength - c], 'sha256')!.toString('hex'), `b=${b}`).toBe(sha(big.subarray(0, b), big.subarray(c)));
    }
  });

  it('is shared by memory its owner registered, and only that: another view, or memory a caller handed in, is hashed afresh', () => {
    const buf = Buffer.from(bytes);
    const p = PrefixDigest.own(buf);
    expect(PrefixDigest.of(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength))).toBe(p);
    expect(PrefixDigest.own(buf)).toBe(p);
    expect(PrefixDigest.of(buf.subarray(1))).not.toBe(p);
    expect(PrefixDigest.of(buf.subarray(1)).hex()).toBe(sha(bytes.subarray(1)));
    // A caller's buffer refilled with the next file must not meet the first file's digest.
    const scratch = Buffer.from(randomBytes(600_000));
    const first = PrefixDigest.of(scratch).rangeDigest([0, 500_000, 500_100, 99_900], 'sha256')!.toString('hex');
    scratch.fill(7, 0, 300_000);
    expect(PrefixDigest.of(scratch)).not.toBe(PrefixDigest.of(scratch));
    const second = PrefixDigest.of(scratch).rangeDigest([0, 500_000, 500_100, 99_900], 'sha256')!.toString('hex');
    expect(second).not.toBe(first);
    expect(second).toBe(sha(scratch.subarray(0, 500_000), scratch.subarray(500_100)));
  });

  it('declines other hashes and ranges it cannot serve, so the verifier computes them itself', () => {
    const p = PrefixDigest.of(Buffer.from(bytes));
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
