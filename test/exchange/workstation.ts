import { join } from 'node:path';
import { openRegister, type Register } from '../../src-main/core/register/index';
import type { Organization } from '../../src-main/core/exchange/edxml/model';
import { SyncEngine, type SyncDeps } from '../../src-main/core/exchange/sync/engine';
import { registerPort } from '../../src-main/core/exchange/sync/register-port';
import type { Hub } from '../../src-main/hub/server';
import { fakePdf } from './samples';
import { tempDir, transportFor } from './helpers';

/** One workstation: its own data folder and register, a sync engine over the real hub. */
export interface Workstation {
  dir: string;
  reg: Register;
  engine: SyncEngine;
  self: Organization;
  close(): void;
}

export function workstation(hub: Hub, self: Organization, over: Partial<SyncDeps> & { dir?: string } = {}): Workstation {
  const dir = over.dir ?? tempDir('vanthu-ws-');
  const reg = openRegister(join(dir, 'register.db'), { agency: { name: self.OrganName ?? self.OrganId, code: self.OrganId, abbr: 'VP' }, durability: 'normal' });
  const transport = transportFor(hub, self.OrganId);
  const engine = new SyncEngine({ port: registerPort(reg), transport, self, random: () => 0.5, ...over });
  return { dir, reg, engine, self, close: () => { transport.close(); reg.dispose(); } };
}

/** An issued văn bản đi with a PDF attached, ready to send. */
export async function issuedDocument(ws: Workstation, to: Organization[], over: { subject?: string; priority?: number; secrecy?: number; notation?: string; size?: number } = {}): Promise<number> {
  const book = over.secrecy ? 'mat-di' : 'di';
  const r = ws.reg.registration.register({ book, TypeName: 'Công văn', CodeNotation: over.notation ?? 'SNV-VP', Subject: over.subject ?? 'V/v cung cấp số liệu', Priority: over.priority ?? 0, Secrecy: over.secrecy ?? 0, SignerInfo: { Position: 'Giám đốc', FullName: 'Nguyễn Văn A' }, To: to.map((t) => ({ OrganId: t.OrganId, OrganName: t.OrganName ?? t.OrganId })) });
  const id = r.document.id;
  ws.reg.handling.transition(id, 'issue');
  await ws.reg.attachments.attach(id, { name: `${r.document.CodeNumber}-SNV-VP.signed.pdf`, base64: fakePdf(`doc ${id}`, over.size).toString('base64'), mime: 'application/pdf' });
  return id;
}
