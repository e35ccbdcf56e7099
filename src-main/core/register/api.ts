import type { Handlers } from '../../contract/dispatch';
import { registerMethods } from '../../contract/register';
import type { Checkpoint } from './checkpoint';
import type { DocumentDetailDto } from './dto';
import { notFound } from './errors';
import { legalActions, STATE_VI } from './workflow';
import type { Register } from './open';

export type RegisterApi = Handlers<typeof registerMethods>;
/** The contract's register methods, the only ones a worker or the CLI reaches. */
export type RegisterMethod = keyof RegisterApi;

/** What a document's page shows besides its register row (contract/register.ts, documentDetailDto). */
const documentPage = ({ document: d, recipients, assignments, transitions, attachments }: DocumentDetailDto) => ({
  document: d,
  detail: {
    ToPlaces: d.ToPlaces, handedAt: d.handedAt, receivedAt: d.receivedAt, registeredAt: d.registeredAt, completedAt: d.completedAt, recallReason: d.recallReason, Description: d.Description,
    signer: [d.SignerInfo?.Position, d.SignerInfo?.FullName].filter(Boolean).join(' ') || null,
    recipients, assignments, attachments, actions: legalActions(d.direction, d.state),
    transitions: transitions.map((x) => ({ ...x, toVi: STATE_VI[x.to] })),
  },
});

const checkpointDto = (c: Checkpoint) => ({ count: c.count, head: c.head, at: c.at, reason: c.reason, signerKind: c.signer.kind, signer: c.signer.label, file: null });

/**
 * The register behind the contract: one handler per method of contract/register.ts, run wherever the
 * register lives (its worker thread for the workstation, in-process for the CLI). Nothing else of the
 * register is reachable from outside the process that opened it.
 */
export function registerApi(reg: Register): RegisterApi {
  const handlers: RegisterApi = {
    'register.books': () => ({ books: reg.books.list() }),
    'register.list': (q) => reg.reading.list(q),
    'register.search': (q) => reg.reading.search({ ...q, sort: q.text ? 'rank' : 'newest' }),
    'register.add': ({ record }) => reg.registration.register(record),
    'register.get': ({ id }) => documentPage(reg.reading.get(id)),
    'register.transition': ({ id, action, ...opts }) => reg.handling.transition(id, action as Parameters<Register['handling']['transition']>[1], opts),
    'register.alerts': (q) => reg.today.view(q),
    'register.print': async (req) => {
      const r = await reg.printing.render(req);
      return { name: `${req.kind}-${req.year}.pdf`, pages: r.pages, rows: r.rows, base64: Buffer.from(r.bytes).toString('base64') };
    },
    'register.import': ({ records, lineNumbers }) => reg.registration.importRecords(records, lineNumbers ? { lineNumbers } : {}),
    'register.close': async ({ book, until }) => {
      const r = await reg.closures.close(book, until);
      return { ...r, checkpoint: checkpointDto(r.checkpoint) };
    },
    'register.auditVerify': ({ checkpoint }) => reg.audit.verify(checkpoint),
    'register.backup': async ({ path }) => {
      const r = await reg.backups.create(path);
      return { ...r, checkpoint: checkpointDto(r.checkpoint) };
    },
    'register.attach': async ({ id, name, base64 }) => ({ attachment: await reg.attachments.attach(id, { name, base64 }) }),
    'register.attachment': ({ id, attachmentId }) => {
      const a = reg.attachments.list(id).find((x) => x.id === attachmentId);
      if (!a) throw notFound('tệp đính kèm', attachmentId);
      return { name: a.name, base64: reg.attachments.read(attachmentId).toString('base64') };
    },
    'register.calendar': (c) => reg.handling.setCalendar(c),
  };
  // The register's DTOs carry more than the contract declares (the core's own views); what crosses is
  // cut to the contract's output schema here, once, so no face sees an undeclared field.
  const project = (m: RegisterMethod) => async (input: never, ctx: never) => registerMethods[m].output.parse(await (handlers[m] as (i: never, c: never) => unknown)(input, ctx));
  return Object.fromEntries(Object.keys(handlers).map((m) => [m, project(m as RegisterMethod)])) as unknown as RegisterApi;
}
