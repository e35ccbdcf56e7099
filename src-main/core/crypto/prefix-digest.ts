/**
 * One SHA-256 pass over an input, shared by every digest that starts at its first byte. A signed PDF
 * is hashed several times over in principle — the workspace checks a file against its SHA-256, the
 * verifier hashes each signature's ByteRange, the issuing signer hashes the whole input as the prefix
 * of its own revisions — and all of those begin with the same bytes, nearly the whole file (≈ 6 ms a
 * pass at 10 MB). Here one state runs forward over the file, saving a copy every CHECKPOINT_BYTES, and
 * every digest is a copy of a state plus at most a checkpoint's worth of bytes and its own tail.
 *
 * Shared by memory: the code that reads a file into a buffer of its own (the workspace, the signer's
 * reader of a path) registers it with `PrefixDigest.own`, and `PrefixDigest.of(bytes)` then hands
 * that instance to whoever hashes the same memory (same ArrayBuffer, offset and length) later: the
 * workspace's SHA-256 check, the verifier, the issuing signer. The owner vouches that the memory never
 * changes; memory a caller handed in is never registered, since a caller may refill a buffer with the
 * next file (a stale digest would then pass it): `of` gives such memory an instance of its own.
 */
import { createHash, type Hash } from 'node:crypto';

/** Distance between saved states: a range that ends before the shared state rehashes at most this. */
const CHECKPOINT_BYTES = 256 * 1024;

/** The registered instances, by the memory they hash (a pooled small Buffer shares its ArrayBuffer). */
const made = new WeakMap<ArrayBufferLike, PrefixDigest[]>();

export class PrefixDigest {
  private readonly state = createHash('sha256');
  private at = 0;
  /** checkpoints[i]: a state that has consumed bytes[0, (i + 1) · CHECKPOINT_BYTES). */
  private readonly checkpoints: Hash[] = [];

  private constructor(readonly bytes: Uint8Array) {}

  /** The instance its owner registered for this memory, else one of its own for this caller. */
  static of(bytes: Uint8Array): PrefixDigest {
    return PrefixDigest.registered(bytes) ?? new PrefixDigest(bytes);
  }

  /** Registers memory the caller allocated and will never change (a file it has just read). */
  static own(bytes: Uint8Array): PrefixDigest {
    const found = PrefixDigest.registered(bytes);
    if (found) return found;
    const p = new PrefixDigest(bytes);
    const same = made.get(bytes.buffer);
    if (same) same.push(p);
    else made.set(bytes.buffer, [p]);
    return p;
  }

  private static registered(bytes: Uint8Array): PrefixDigest | undefined {
    return made.get(bytes.buffer)?.find((p) => p.bytes.byteOffset === bytes.byteOffset && p.bytes.byteLength === bytes.byteLength);
  }

  /** Hashes on up to `end`, saving a state at every checkpoint. */
  private advance(end: number): void {
    const stop = Math.min(end, this.bytes.byteLength);
    while (this.at < stop) {
      const next = Math.min(stop, (Math.floor(this.at / CHECKPOINT_BYTES) + 1) * CHECKPOINT_BYTES);
      this.state.update(this.bytes.subarray(this.at, next));
      this.at = next;
      if (next % CHECKPOINT_BYTES === 0) this.checkpoints[next / CHECKPOINT_BYTES - 1] = this.state.copy();
    }
  }

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

  /** SHA-256 of the whole input, hex. */
  hex(): string {
    return this.whole().digest('hex');
  }

  /** A copy of a state that has consumed bytes[0, end): the shared one, or the last checkpoint before `end` moved on. */
  private upTo(end: number): Hash {
    if (end >= this.at) {
      this.advance(end);
      return this.state.copy();
    }
    const k = Math.floor(end / CHECKPOINT_BYTES);
    const from = k > 0 ? this.checkpoints[k - 1] : undefined;
    return (from ? from.copy() : createHash('sha256')).update(this.bytes.subarray(from ? k * CHECKPOINT_BYTES : 0, end));
  }
}
