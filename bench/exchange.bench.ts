/**
 * The exchange against the reference hub on loopback (HTTPS, HMAC, one process): 1,000 sends of
 * issued documents carrying a ~1 MB signed PDF (A's outbox → hub), then 1,000 incoming packages
 * fetched, stored, registered in the sổ đến and their PDF verified (B). Targets: receiving 1,000 in
 * < 60 s; memory flat (peak RSS reported, with RSS after the first and the last hundred). The full
 * soak (1,000 packages, 20 % faults) runs last. `VANTHU_BENCH_PACKAGES` changes the count.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { verifyPdf } from '../src-main/core/verify/index';
import type { Hub } from '../src-main/hub/server';
import { loadPki } from '../test/helpers/pki';
import { makeBasePdf } from '../test/fixtures-gen/base-pdf';
import { addSignature } from '../test/fixtures-gen/pades';
import { identity } from '../test/fixtures-gen/test-certs';
import { AGENCY_A, AGENCY_B } from '../test/exchange/samples';
import { workstation } from '../test/exchange/workstation';
import { soak } from '../test/exchange/soak-driver';
import { figure } from './stats';

export default async function bench(): Promise<void> {
  const n = Number(process.env.VANTHU_BENCH_PACKAGES ?? 1000);
  const pki = loadPki();
  const pdf = addSignature(await makeBasePdf({ padBytes: 1024 * 1024 }), { signer: identity('rsa'), widget: { page: 0, rect: [330, 470, 510, 550] } });
  const hubProcess = spawn(process.execPath, ['--import', 'tsx', new URL('./exchange-hub.ts', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: hubProcess.stdout! }).once('line', resolve);
    hubProcess.once('exit', (code) => reject(new Error(`hub exited ${code}`)));
  });
  const hub = { url } as Hub;
  const a = workstation(hub, AGENCY_A);
  const b = workstation(hub, AGENCY_B);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    for (let i = 0; i < n; i++) {
      const r = a.reg.registration.register({ book: 'di', TypeName: 'Công văn', CodeNotation: 'SNV-VP', Subject: `Văn bản thử ${i + 1}`, SignerInfo: { FullName: 'Nguyễn Văn A' }, To: [{ OrganId: AGENCY_B.OrganId, OrganName: AGENCY_B.OrganName }] });
      a.reg.handling.transition(r.document.id, 'issue');
      await a.reg.attachments.attach(r.document.id, { name: `${r.document.CodeNumber}.signed.pdf`, bytes: pdf, mime: 'application/pdf', text: 'later' });
      a.engine.queueDocument(r.document.id, [AGENCY_B]);
    }
    console.log(`prepared ${n} issued documents with a ${(pdf.length / 1048576).toFixed(2)} MB signed PDF each`);

    let t0 = performance.now();
    while (a.engine.outbox.counts().SENT < n) await a.engine.outbox.sendDue();
    const sendMs = performance.now() - t0;
    figure(`send ${n} packages`, sendMs / 1000, { unit: 's', note: 'outbox → hub, HMAC, hash-file, evidence' });

    const rss: number[] = [];
    let verified = 0;
    b.engine.ctx.emit = (e) => {
      if (e.type === 'arrived' && e.registerDocId % 100 === 0) rss.push(process.memoryUsage().rss);
    };
    t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await b.engine.syncOnce();
    for (const row of b.engine.inbox.list({ state: 'RECEIVED' })) {
      const att = b.reg.reading.get(row.register_doc_id!).attachments[0]!;
      const report = await verifyPdf(b.reg.attachments.read(att.id), { trustDir: pki.trustDir, offline: true, revocation: 'skip' });
      if (report.overall === 'TOTAL_PASSED') verified++;
    }
    const receiveMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    if (verified !== n) throw new Error(`only ${verified} of ${n} packages verified`);
    figure(`receive ${n} packages (fetch, store, register, verify)`, receiveMs / 1000, { unit: 's', target: { max: 60 * (n / 1000) } });
    figure('receive rate', n / (receiveMs / 1000), { unit: '/s' });
    // CPU the workstation spent (the hub is its own process): what a shared machine's wall clock hides.
    figure('workstation CPU per package received', (cpu.user + cpu.system) / 1000 / n, { unit: 'ms' });
    // The search index reads the PDFs' text afterwards, in the register's background queue.
    t0 = performance.now();
    let indexed = 0;
    for (let k; (k = await b.reg.attachments.indexPending(50)) > 0; ) indexed += k;
    if (indexed !== n) throw new Error(`indexed ${indexed} of ${n} attachments`);
    figure(`index the text of ${n} received PDFs (background queue)`, (performance.now() - t0) / 1000, { unit: 's' });
    figure('peak RSS', peak / 1048576, { unit: 'MiB', note: 'both workstations; the hub is its own process' });
    if (rss.length >= 2) {
      figure('RSS after the first hundred received', rss[0]! / 1048576, { unit: 'MiB' });
      figure('RSS after the last hundred received', rss.at(-1)! / 1048576, { unit: 'MiB' });
    }
  } finally {
    clearInterval(sampler);
    a.close();
    b.close();
    hubProcess.stdin!.end();
    await new Promise((r) => hubProcess.once('exit', r));
  }
  const s = await soak(n, 0.2);
  console.log(`soak: ${JSON.stringify(s)}`);
  if (!s.registeredOnce || !s.everyStatusDelivered || s.stuck !== 0) throw new Error('soak did not settle');
  figure(`soak ${n} packages, 20 % faults`, s.ms / 1000, { unit: 's', note: `${s.rounds} rounds, ${s.duplicatesSeen} duplicates, ${s.reconciled} reconciles, ${s.retries} retries` });
}
