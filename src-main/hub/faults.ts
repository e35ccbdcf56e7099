import { readFileSync } from 'node:fs';
import * as z from 'zod';

/**
 * The faults the reference hub injects (docs/exchange.md §5), switchable per test: counters fire
 * on the next N matching requests; `random` draws each fault with a probability from a seeded
 * generator, so a soak run is reproducible.
 */
export const faultPlanSchema = z.strictObject({
  /** Hub-side deduplication of uploads (docs/exchange.md §5); off reproduces the real axis. */
  dedup: z.boolean().default(true),
  /** Freshness window for the signed timestamp; null = not enforced (like the real axis). */
  freshnessMs: z.number().int().positive().nullable().default(600_000),
  replayCheck: z.boolean().default(true),
  dropResponseAfterCommit: z.number().int().min(0).default(0),
  duplicateDelivery: z.number().int().min(0).default(0),
  reverseListing: z.boolean().default(false),
  fail5xx: z.number().int().min(0).default(0),
  failCode: z.strictObject({ code: z.enum(['10', '15', '18', '19', '20', '21', '22', '23']), count: z.number().int().min(1) }).nullable().default(null),
  /** The pitfall of docs/exchange.md §3: one acknowledgement clears every pending item of the organ. */
  confirmAll: z.boolean().default(false),
  delayMs: z.number().int().min(0).max(60_000).default(0),
  /** `burst`: a drawn 5xx is followed by this many more on the next requests (a hub having a bad minute). */
  random: z.strictObject({ seed: z.number().int(), drop: z.number().min(0).max(1), duplicate: z.number().min(0).max(1), e5xx: z.number().min(0).max(1), burst: z.number().int().min(0).max(50).default(0) }).nullable().default(null),
});
export type FaultPlan = z.output<typeof faultPlanSchema>;
export type FaultPlanInput = z.input<typeof faultPlanSchema>;

export function loadFaultFile(path: string): FaultPlan {
  return faultPlanSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** Decides, request by request, which fault fires; consumes the counters. */
export class Faults {
  plan: FaultPlan;
  /** How many of each fault fired (soak figures). */
  readonly fired = { e5xx: 0, drop: 0, duplicate: 0 };
  private state: number;
  constructor(plan: FaultPlanInput = {}) {
    this.plan = faultPlanSchema.parse(plan);
    this.state = (this.plan.random?.seed ?? 1) >>> 0 || 1;
  }

  set(plan: FaultPlanInput): void {
    this.plan = faultPlanSchema.parse(plan);
    this.state = (this.plan.random?.seed ?? 1) >>> 0 || 1;
  }

  /** xorshift32: small, seeded, good enough to spread faults. */
  private draw(p: number): boolean {
    if (p <= 0) return false;
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x1_0000_0000 < p;
  }

  private take(key: 'dropResponseAfterCommit' | 'duplicateDelivery' | 'fail5xx', p: number | undefined): boolean {
    if (this.plan[key] > 0) {
      this.plan[key]--;
      return true;
    }
    return this.draw(p ?? 0);
  }

  server5xx(): boolean {
    const counted = this.plan.fail5xx > 0;
    const fire = this.take('fail5xx', this.plan.random?.e5xx);
    if (fire && !counted && this.plan.random) this.plan.fail5xx = this.plan.random.burst;
    if (fire) this.fired.e5xx++;
    return fire;
  }
  dropAfterCommit(): boolean {
    const fire = this.take('dropResponseAfterCommit', this.plan.random?.drop);
    if (fire) this.fired.drop++;
    return fire;
  }
  duplicate(): boolean {
    const fire = this.take('duplicateDelivery', this.plan.random?.duplicate);
    if (fire) this.fired.duplicate++;
    return fire;
  }
  failCode(): string | null {
    const f = this.plan.failCode;
    if (!f) return null;
    f.count--;
    if (f.count <= 0) this.plan.failCode = null;
    return f.code;
  }
}
