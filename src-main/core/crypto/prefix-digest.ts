/**
 * One SHA-256 pass over an input shared by every digest that starts at its first byte. Issuing reads
 * a leader-signed file twice in principle — the verifier hashes the leader's ByteRange, the signer
 * hashes the whole input as the prefix of its own revisions — and both ranges begin with the same
 * bytes up to the leader's /Contents, nearly all of the file. Hashing that prefix once and copying the
 * hash state saves a full pass (≈ 5 ms at 10 MB). The verifier likewise hashes a file's shared prefix
 * once for all its signatures. The shared state only moves forward, so ranges asked in order of their
 * first gap cost one pass; one asked out of order is hashed from the start (correct, just slower).
 */
import { createHash, type Hash } from 'node:crypto';

export class PrefixDigest {
  private readonly state = createHash('sha256');
  private at = 0;

  constructor(readonly bytes: Uint8Array) {}

  /**
   * SHA-256 of bytes[a, a+b) ‖ bytes[c, c+d) for a = 0 (a ByteRange), or undefined for another hash
   * or a range this cannot serve; shaped as VerifyOptions.rangeDigest.
   */
  readonly rangeDigest = (range: readonly [number, number, number, number], hashName: string): Buffer | undefined => {
    const [a, b, c, d] = range;
    if (hashName !== 'sha256' || !range.every(Number.isSafeInteger) || a !== 0 || b < 0 || c < b || d < 0 || c + d > this.bytes.byteLength) return undefined;
    return this.upTo(b).update(this.bytes.subarray(c, c + d)).digest();
  };

  /** A fresh state that has consumed the whole input (the signer keeps appending to it). */
  whole(): Hash {
    return this.upTo(this.bytes.byteLength);
  }

  /** A copy of a state that has consumed bytes[0, end); the shared state only moves forward. */
  private upTo(end: number): Hash {
    if (end < this.at) return createHash('sha256').update(this.bytes.subarray(0, end));
    this.state.update(this.bytes.subarray(this.at, end));
    this.at = end;
    return this.state.copy();
  }
}
