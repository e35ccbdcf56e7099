import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Handlers } from '../../contract/dispatch';
import type { registerMethods } from '../../contract/register';
import type { RegisterWorker } from '../register';

/**
 * Contract handlers for the register. Every call goes to the register's worker thread: SQLite is
 * synchronous and must never run on a host's event loop.
 */
export function registerHandlers(reg: RegisterWorker): Handlers<typeof registerMethods> {
  return {
    'register.books': async () => ({ books: await reg.books() }),
    'register.list': (q) => reg.list(q),
    'register.search': (q) => reg.search({ ...q, sort: q.text ? 'rank' : 'newest' }),
    'register.add': ({ record }) => reg.register(record),
    'register.get': ({ id }) => reg.get(id),
    'register.transition': ({ id, action, ...opts }) => reg.transition(id, action as Parameters<RegisterWorker['transition']>[1], opts),
    'register.alerts': async () => ({ alerts: await reg.alerts() }),
    'register.print': async (req) => {
      // The printed PDF goes back whole for preview and saving; the temp copy is removed at once.
      const dir = mkdtempSync(join(tmpdir(), 'vanthu-print-'));
      try {
        const out = join(dir, `${req.kind}-${req.year}.pdf`);
        const r = await reg.print({ ...req, out });
        return { name: `${req.kind}-${req.year}.pdf`, pages: r.pages, rows: r.rows, base64: readFileSync(out).toString('base64') };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
