import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { dateInVietnam } from '../../contract/time';
import { pathString } from '../../contract/api';
import { renderRegisterPdf, renderRequestSchema, type PrintRequest } from '../print/register-print';
import { writeFileAtomic } from '../fsx/atomic-write';
import type { ChainAnchors } from './anchors';
import type { ActOptions, RegisterContext } from './context';
import { documentDto } from './dto';
import { invalid } from './errors';
import { issuePaths } from './records';

export interface PrintResult {
  path: string;
  pages: number;
  rows: number;
}

/** Hands the register's rows to core/print and logs the printing (docs/register.md, "Printing"). */
export class Printing {
  constructor(private readonly ctx: RegisterContext, private readonly anchors: ChainAnchors) {}

  /** Renders a register or report to a PDF file, atomically. */
  async print(raw: PrintRequest, act: ActOptions = {}): Promise<PrintResult> {
    const { out: target, ...request } = raw;
    const out = pathString.safeParse(target);
    if (!out.success) throw invalid('Đường dẫn tệp in không hợp lệ.', 'print out path');
    const r = await this.render(request, act);
    mkdirSync(dirname(out.data), { recursive: true });
    writeFileAtomic(out.data, [r.bytes]);
    return { path: out.data, pages: r.pages, rows: r.rows };
  }

  /** Renders a register or report (rows read from SQLite in number order); the printing is logged. */
  async render(raw: Omit<PrintRequest, 'out'>, act: ActOptions = {}): Promise<{ bytes: Uint8Array; pages: number; rows: number }> {
    const parsed = renderRequestSchema.safeParse(raw);
    if (!parsed.success) throw invalid('Yêu cầu in sổ không hợp lệ.', `print: ${issuePaths(parsed.error)}`);
    const req = parsed.data;
    const { kind } = req;
    const book = this.ctx.book(req.book ?? (kind.endsWith('di') ? 'di' : 'den'));
    const from = req.from ?? `${req.year}-01-01`;
    const to = req.to ?? `${req.year}-12-31`;
    const rows = this.ctx.db
      .prepare('SELECT * FROM documents WHERE book_id = ? AND year = ? AND number IS NOT NULL AND reg_date BETWEEN ? AND ? ORDER BY number')
      .all(book.id, req.year, from, to) as Record<string, unknown>[];
    // The Sổ theo dõi names who handles the document (chủ trì, phối hợp) as giao xử lý decided it.
    const assigned = kind === 'theo-doi' ? this.assignmentText(book.id, req.year) : new Map<number, string>();
    const docs = rows.map((r) => {
      const d = documentDto(r);
      return assigned.has(d.id) ? { ...d, ToPlaces: assigned.get(d.id)! } : d;
    });
    const replies = kind === 'theo-doi' ? this.replyCodes(book.id, req.year) : new Map<number, string>();
    const recipients = book.direction === 'di' ? this.recipientNames(book.id, req.year) : new Map<number, string>();
    const now = this.ctx.now();
    // A printed sổ ends with its closing page: the checkpoint of its last đóng sổ in that year.
    const cp = kind.startsWith('so-') ? this.anchors.latestClose(book.id, req.year) : null;
    const { bytes, pages } = await renderRegisterPdf({
      kind, book, year: req.year, from, to, quyenSo: req.quyenSo ?? 1,
      agency: this.ctx.agency, docs, replies, recipients, printedAt: now, today: dateInVietnam(now),
      ...(cp ? { closing: { count: cp.count, head: cp.head, at: cp.at, until: cp.until ?? '', signer: cp.signer.label, byToken: cp.signer.kind === 'token' } } : {}),
    });
    this.ctx.write(() => this.ctx.log({ actor: this.ctx.actorOf(act), action: 'book.print', entity: 'book', entityId: book.id, after: { kind, year: req.year, from, to, rows: docs.length } }));
    return { bytes, pages, rows: docs.length };
  }

  private recipientNames(bookId: string, year: number): Map<number, string> {
    const out = new Map<number, string>();
    const rows = this.ctx.db.prepare('SELECT r.doc_id, r.OrganName FROM recipients r JOIN documents d ON d.id = r.doc_id WHERE d.book_id = ? AND d.year = ? ORDER BY r.doc_id, r.ord').iterate(bookId, year) as Iterable<{ doc_id: number; OrganName: string }>;
    for (const r of rows) out.set(r.doc_id, out.has(r.doc_id) ? `${out.get(r.doc_id)}; ${r.OrganName}` : r.OrganName);
    return out;
  }

  /** "Chủ trì: …; Phối hợp: …" from each document's latest giao xử lý (one transaction writes one set). */
  private assignmentText(bookId: string, year: number): Map<number, string> {
    const rows = this.ctx.db
      .prepare(`SELECT a.doc_id, a.role, COALESCE(a.unit, a.person) AS who, a.assigned_at FROM assignments a JOIN documents d ON d.id = a.doc_id
                WHERE d.book_id = ? AND d.year = ? AND a.role IN ('chu_tri', 'phoi_hop') ORDER BY a.doc_id, a.id`)
      .iterate(bookId, year) as Iterable<{ doc_id: number; role: 'chu_tri' | 'phoi_hop'; who: string | null; assigned_at: string }>;
    const latest = new Map<number, { at: string; chu_tri: string[]; phoi_hop: string[] }>();
    for (const r of rows) {
      let e = latest.get(r.doc_id);
      if (!e || e.at !== r.assigned_at) latest.set(r.doc_id, (e = { at: r.assigned_at, chu_tri: [], phoi_hop: [] }));
      if (r.who) e[r.role].push(r.who);
    }
    const out = new Map<number, string>();
    for (const [id, e] of latest) {
      const parts = [e.chu_tri.length ? `Chủ trì: ${e.chu_tri.join(', ')}` : '', e.phoi_hop.length ? `Phối hợp: ${e.phoi_hop.join(', ')}` : ''].filter(Boolean);
      if (parts.length) out.set(id, parts.join('; '));
    }
    return out;
  }

  /** For the Sổ theo dõi giải quyết: the completion note carries the số/ký hiệu of the answer. */
  private replyCodes(bookId: string, year: number): Map<number, string> {
    const out = new Map<number, string>();
    const rows = this.ctx.db
      .prepare("SELECT t.doc_id, t.note FROM transitions t JOIN documents d ON d.id = t.doc_id WHERE d.book_id = ? AND d.year = ? AND t.to_state = 'completed' AND t.note IS NOT NULL")
      .iterate(bookId, year) as Iterable<{ doc_id: number; note: string }>;
    for (const r of rows) out.set(r.doc_id, r.note);
    return out;
  }
}
