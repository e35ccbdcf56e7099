/**
 * The signature PIN of a CKA_ALWAYS_AUTHENTICATE key, typed once for one batch and replayed to each
 * context-specific login of that batch (an issue alone makes four signatures; a batch of 50 issues,
 * 200). Held in one Buffer in memory for the batch only: never logged, never stored, wiped when the
 * batch ends (signBatch and the services call wipe() in a finally) and at once when the token refuses
 * it, so a mistyped PIN is never replayed into the token's retry counter.
 *
 * Which tokens allow it is in docs/signing.md ("Signature PIN"): a token whose signature PIN is its user
 * PIN can be given the login PIN itself (`BatchPin.of`), one prompt for the whole batch; a token with a
 * separate signature PIN asks for it once per batch (`new BatchPin(ask)`).
 */
export class BatchPin {
  private pin: Buffer | null = null;
  private wiped = false;

  /** `ask` prompts the clerk; called at the first signature, and again only after a refused PIN. */
  constructor(private readonly ask: () => Promise<Buffer>) {}

  /** A PIN already typed (the login PIN on a token that signs with it), copied: the caller wipes its own. */
  static of(pin: Buffer): BatchPin {
    const held = new BatchPin(() => Promise.reject(new Error('the batch PIN was refused by the token; not asked again')));
    held.pin = Buffer.from(pin);
    return held;
  }

  /** A copy of the PIN for one context login (the token layer wipes the copy after C_Login). */
  async next(): Promise<Buffer> {
    if (this.wiped) throw new Error('batch PIN used after the batch ended');
    if (!this.pin) {
      const typed = await this.ask();
      this.pin = Buffer.from(typed);
      typed.fill(0);
    }
    return Buffer.from(this.pin);
  }

  /** The token refused the PIN: forget it (the next signature asks again, or fails). */
  refused(): void {
    this.pin?.fill(0);
    this.pin = null;
  }

  /** The batch is over. */
  wipe(): void {
    this.refused();
    this.wiped = true;
  }
}
