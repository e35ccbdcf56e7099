import type { Handlers } from '../../contract/dispatch';
import { registerMethods } from '../../contract/register';
import type { Checkpoint } from './checkpoint';
import type { Register } from './open';

export type RegisterApi = Handlers<typeof registerMethods>;
/** The contract's register methods, the only ones a worker or the CLI reaches. */
export type RegisterMethod = keyof RegisterApi;

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
    'register.get': ({ id }) => reg.reading.get(id),
    'register.transition': ({ id, action, ...opts }) => reg.handling.transition(id, action as Parameters<Register['handling']['transition']>[1], opts),
    'register.alerts': () => ({ alerts: reg.handling.alerts() }),
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
  };
  // The register's DTOs carry more than the contract declares (the core's own views); what crosses is
  // cut to the contract's output schema here, once, so no face sees an undeclared field.
  const project = (m: RegisterMethod) => async (input: never, ctx: never) => registerMethods[m].output.parse(await (handlers[m] as (i: never, c: never) => unknown)(input, ctx));
  return Object.fromEntries(Object.keys(handlers).map((m) => [m, project(m as RegisterMethod)])) as unknown as RegisterApi;
}
