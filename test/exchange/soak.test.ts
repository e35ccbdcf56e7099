import { describe, expect, it } from 'vitest';
import { soak } from './soak-driver';

/**
 * The soak at CI size: 100 packages with 20 % injected faults. The full 1,000 runs in the bench
 * (`npm run bench -- exchange`), with the same driver.
 */
describe('soak', () => {
  it('100 packages, 20 % faults: every package registered exactly once, every status delivered, nothing stuck', async () => {
    const r = await soak(100, 0.2);
    expect(r).toMatchObject({ registeredOnce: true, everyStatusDelivered: true, stuck: 0 });
    // The faults really fired, each kind, on about a fifth of the calls, and the engine met them.
    expect(r.injected.e5xx).toBeGreaterThan(0);
    expect(r.injected.drop).toBeGreaterThan(0);
    expect(r.injected.duplicate).toBeGreaterThan(0);
    expect((r.injected.e5xx + r.injected.drop + r.injected.duplicate) / r.calls).toBeGreaterThan(0.15);
    expect(r.duplicatesSeen + r.reconciled + r.retries).toBeGreaterThan(10);
  }, 300_000);
});
