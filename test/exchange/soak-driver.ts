import type { Hub } from '../../src-main/hub/server';
import { AGENCY_A, AGENCY_B } from './samples';
import { testHub } from './helpers';
import { issuedDocument, workstation } from './workstation';

export interface SoakResult {
  packages: number;
  rounds: number;
  registeredOnce: boolean;
  everyStatusDelivered: boolean;
  stuck: number;
  duplicatesSeen: number;
  reconciled: number;
  retries: number;
  /** Faults the hub injected: 5xx answers, responses dropped after commit, duplicate deliveries. */
  injected: { e5xx: number; drop: number; duplicate: number };
  /** Hub calls made by both workstations (the base the faults are a share of). */
  calls: number;
  ms: number;
}

/**
 * A sends `n` documents to B through a hub injecting faults on `faultRate` of the calls (dropped
 * responses after commit, duplicate deliveries, 5xx bursts) with statuses listed in reverse order and
 * hub dedup off; B registers each arrival (03 back). Rounds run until everything settles.
 */
export async function soak(n: number, faultRate: number, seed = 20260310, size = 2048): Promise<SoakResult> {
  const started = performance.now();
  const third = faultRate / 3;
  // Drops and duplicates can only hit uploads (a third of the calls); 5xx hit any call, in bursts of
  // four: together about `faultRate` of all calls (the result counts them).
  const burst = 3;
  const hub: Hub = await testHub({ faults: { dedup: false, reverseListing: true, random: { seed, drop: third, duplicate: third, e5xx: (faultRate * 0.8) / (burst + 1), burst } } });
  let clock = Date.now();
  const now = () => new Date(clock);
  const a = workstation(hub, AGENCY_A, { now, random: Math.random });
  const b = workstation(hub, AGENCY_B, { now, random: Math.random });
  try {
    const docs: number[] = [];
    for (let i = 0; i < n; i++) {
      const id = await issuedDocument(a, [AGENCY_B], { subject: `Văn bản thử số ${i + 1}`, priority: i % 10 === 0 ? 2 : 0, size });
      a.engine.queueDocument(id, [AGENCY_B]);
      docs.push(id);
    }
    let rounds = 0;
    let reconciled = 0;
    const done = () =>
      a.engine.outbox.counts().SENT === n &&
      b.engine.outbox.counts().SENT === 2 * n &&
      docs.every((d) => a.reg.reading.get(d).recipients[0]!.statusCode === '03');
    while (!done() && rounds < 200) {
      rounds++;
      reconciled += a.engine.outbox.list().filter((r) => r.state === 'NEEDS_RECONCILE').length;
      await a.engine.syncOnce();
      await b.engine.syncOnce();
      for (const row of b.engine.inbox.list({ state: 'RECEIVED' })) {
        if (b.reg.reading.get(row.register_doc_id!).document.state === 'received') b.reg.handling.transition(row.register_doc_id!, 'register');
      }
      // Let every backoff expire: the engines' clock moves, the network does not wait.
      clock += 3_600_000;
    }
    const inRows = b.engine.inbox.list({ messagetype: 'edoc' }).filter((r) => r.state !== 'DUPLICATE');
    const ids = new Set(inRows.map((r) => r.document_id));
    const stuck = ['QUEUED', 'SENDING', 'RETRY_WAIT', 'NEEDS_RECONCILE', 'FAILED_PERMANENT'].reduce((s, k) => s + a.engine.outbox.counts()[k as 'QUEUED'] + b.engine.outbox.counts()[k as 'QUEUED'], 0);
    return {
      packages: n,
      rounds,
      registeredOnce: inRows.length === n && ids.size === n && b.reg.handling.queue({ direction: 'den', limit: 1000 }).length === n,
      everyStatusDelivered: done(),
      stuck,
      duplicatesSeen: b.engine.inbox.list({ state: 'DUPLICATE' }).length,
      reconciled,
      retries: a.engine.outbox.list().reduce((s, r) => s + r.attempts - 1, 0) + b.engine.outbox.list().reduce((s, r) => s + r.attempts - 1, 0),
      injected: { ...hub.faults.fired },
      calls: [a, b].reduce((n, w) => n + (w.engine.ctx.port.db.prepare("SELECT count(*) AS n FROM exchange_evidence WHERE kind LIKE 'call/%'").get() as { n: number }).n, 0),
      ms: performance.now() - started,
    };
  } finally {
    a.close();
    b.close();
    await hub.close();
  }
}
