import * as z from 'zod';
import { AppError } from '../../contract/errors';
import type { ActOptions, RegisterContext } from './context';
import type { BookDto } from './dto';
import { invalid } from './errors';
import { bookConfigSchema, issuePaths, type BookConfig } from './records';

/**
 * Default registers of an agency (docs/register.md, "Sổ and series"): one incoming series, outgoing series, one series
 * shared by SY/SL/TrS copies, and secret documents in their own series. Agencies reconfigure these
 * (e.g. one outgoing series per VBQPPL type) through `configureBooks`.
 */
export function defaultBooks(agencyAbbr: string): BookConfig[] {
  return [
    { id: 'den', direction: 'den', kind: 'normal', name: 'Sổ đăng ký văn bản đến', notation: undefined },
    { id: 'di', direction: 'di', kind: 'normal', name: 'Sổ đăng ký văn bản đi', notation: undefined },
    { id: 'di-qd', direction: 'di', kind: 'normal', name: 'Sổ đăng ký Quyết định', notation: `QĐ-${agencyAbbr}` },
    { id: 'sao', direction: 'di', kind: 'copies', name: 'Sổ đăng ký bản sao (SY, SL, TrS)', notation: `SY-${agencyAbbr}` },
    { id: 'mat-den', direction: 'den', kind: 'secret', name: 'Sổ đăng ký văn bản mật đến', notation: undefined },
    { id: 'mat-di', direction: 'di', kind: 'secret', name: 'Sổ đăng ký văn bản mật đi', notation: undefined },
  ];
}

/** SY/SL/TrS copies share one series; the ký hiệu must say which kind of copy it is. */
export const COPY_NOTATION = /^(SY|SL|TrS)-[\p{L}\p{N}]+(-[\p{L}\p{N}]+)*$/u;

/** The sổ of this register: listing, configuration (logged) and lookup. */
export class Books {
  private readonly byId;

  constructor(private readonly ctx: Pick<RegisterContext, 'db' | 'write' | 'log' | 'nowIso' | 'actorOf'>) {
    this.byId = ctx.db.prepare<[string], BookDto>('SELECT id, direction, kind, name, notation FROM books WHERE id = ?');
  }

  list(): BookDto[] {
    return this.ctx.db.prepare('SELECT id, direction, kind, name, notation FROM books ORDER BY direction, id').all() as BookDto[];
  }

  get(id: string): BookDto {
    const b = this.byId.get(id);
    if (!b) throw new AppError('NOT_FOUND', `Không có sổ văn bản "${id}".`, `book ${id} not found`);
    return b;
  }

  /** Adds or renames sổ; a sổ never changes direction or kind once it exists. */
  configure(list: unknown[], act: ActOptions = {}): BookDto[] {
    const parsed = z.array(bookConfigSchema).max(200).safeParse(list);
    if (!parsed.success) throw invalid('Cấu hình sổ văn bản không hợp lệ.', `books: ${issuePaths(parsed.error)}`);
    const { db } = this.ctx;
    this.ctx.write(() => {
      const upsert = db.prepare(
        `INSERT INTO books (id, direction, kind, name, notation, created_at) VALUES (@id, @direction, @kind, @name, @notation, @at)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, notation = excluded.notation
         WHERE books.direction = excluded.direction AND books.kind = excluded.kind`,
      );
      for (const b of parsed.data) {
        const before = this.byId.get(b.id);
        if (before && (before.direction !== b.direction || before.kind !== b.kind)) {
          throw invalid('Không thể đổi loại của sổ đã có (đến/đi, thường/bản sao/mật).', `book ${b.id} direction/kind change`);
        }
        upsert.run({ ...b, notation: b.notation ?? null, at: this.ctx.nowIso() });
        this.ctx.log({ actor: this.ctx.actorOf(act), action: 'book.configure', entity: 'book', entityId: b.id, before: before ?? null, after: b });
      }
    });
    return this.list();
  }
}
