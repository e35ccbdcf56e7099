import type { Handlers } from '../../contract/dispatch';
import type { registerMethods } from '../../contract/register';
import type { Register } from './open';

export type RegisterApi = Handlers<typeof registerMethods>;
/** The contract's register methods, the only ones a worker or the CLI reaches. */
export type RegisterMethod = keyof RegisterApi;

const CHAIN_VI = { edited: 'bị sửa', deleted: 'bị xóa', broken_link: 'đứt chuỗi' } as const;

/**
 * The register behind the contract: one handler per method of contract/register.ts, run wherever the
 * register lives (its worker thread for the workstation, in-process for the CLI). Nothing else of the
 * register is reachable from outside the process that opened it.
 */
export function registerApi(reg: Register): RegisterApi {
  return {
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
    'register.close': ({ book, until }) => ({ ...reg.closures.close(book, until), checkpoint: null }),
    'register.auditVerify': () => {
      const r = reg.audit.verify();
      return { ...r, head: '', problems: r.problems.map((p) => ({ ...p, messageVi: `Mục ${p.id}: ${CHAIN_VI[p.kind]}` })), entities: [], checkpoints: [] };
    },
    'register.backup': async ({ path }) => ({ ...(await reg.backups.create(path)), checkpoint: null }),
  };
}
