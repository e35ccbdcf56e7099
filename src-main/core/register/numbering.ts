import type { Db } from '../db/connection';

/**
 * Per (sổ, year) counters. Only ever called inside the registering transaction, which is BEGIN
 * IMMEDIATE: the write lock is taken before the counter is read, so two processes queue on the lock
 * and can never read the same value; a rolled-back registration rolls its number back too (gap-free).
 */
export class Numbering {
  private readonly bump;
  private readonly raise;

  constructor(db: Db) {
    this.bump = db.prepare<[string, number], { last_number: number }>(
      `INSERT INTO book_counters (book_id, year, last_number) VALUES (?, ?, 1)
       ON CONFLICT (book_id, year) DO UPDATE SET last_number = last_number + 1 RETURNING last_number`,
    );
    this.raise = db.prepare(
      `INSERT INTO book_counters (book_id, year, last_number) VALUES (@book, @year, @n)
       ON CONFLICT (book_id, year) DO UPDATE SET last_number = max(last_number, @n)`,
    );
  }

  next(bookId: string, year: number): number {
    return this.bump.get(bookId, year)!.last_number;
  }

  /** An imported record that carries its own number moves the counter past it. */
  claim(bookId: string, year: number, n: number): void {
    this.raise.run({ book: bookId, year, n });
  }
}
