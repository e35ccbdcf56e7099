import { z } from 'zod';
import { defineMethod, text } from './api';

/**
 * The register over the API. Field-level rules (Phụ lục VI lengths, dates, numbering) are the register
 * core's own zod schemas; the contract bounds the shape so nothing unbounded reaches it.
 */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const bookId = z.string().min(1).max(32).regex(/^[a-z0-9-]+$/);
const year = z.number().int().min(1900).max(9999);

const scalar = z.union([z.string().max(5000), z.number().finite(), z.boolean(), z.null()]);
/** A record keyed by Phụ lục VI tags (TypeName, CodeNumber, Subject…), plus `book`. */
const recordInput = z
  .record(z.string().max(64).regex(/^[A-Za-z][A-Za-z0-9_]*$/), z.union([scalar, z.record(z.string().max(64), scalar)]))
  .refine((r) => Object.keys(r).length <= 60, 'too many fields');

export const documentDto = z.object({
  id: z.number(),
  book: z.string(),
  direction: z.enum(['den', 'di']),
  state: z.string(),
  stateVi: z.string(),
  year: z.number().nullable(),
  number: z.number().nullable(),
  code: z.string().nullable(),
  TypeName: z.string(),
  OrganName: z.string().nullable(),
  Subject: z.string(),
  Priority: z.number(),
  priorityVi: z.string(),
  DueDate: z.string().nullable(),
  ArrivalDate: z.string().nullable(),
  IssuedDate: z.string().nullable(),
});
export type RegisterDocumentDto = z.infer<typeof documentDto>;

const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), page: z.number(), pageSize: z.number(), total: z.number(), totalCapped: z.boolean() });

export const alertDto = z.object({
  kind: z.string(),
  docId: z.number(),
  direction: z.enum(['den', 'di']),
  priority: z.number(),
  code: z.string().nullable(),
  subject: z.string(),
  dueAt: z.string(),
  overdue: z.boolean(),
  messageVi: z.string(),
});

export const bookDto = z.object({ id: z.string(), direction: z.enum(['den', 'di']), kind: z.enum(['normal', 'copies', 'secret']), name: z.string(), notation: z.string().nullable() });

export const registerMethods = {
  'register.books': defineMethod(z.strictObject({}), z.object({ books: z.array(bookDto) })),
  'register.list': defineMethod(
    z.strictObject({ book: bookId, year, page: z.number().int().min(1).max(100_000).default(1), pageSize: z.number().int().min(1).max(200).default(50) }),
    page(documentDto),
  ),
  'register.search': defineMethod(
    z.strictObject({
      text: text(500).optional(),
      book: bookId.optional(),
      direction: z.enum(['den', 'di']).optional(),
      year: year.optional(),
      priorityAtLeast: z.number().int().min(0).max(4).optional(),
      page: z.number().int().min(1).max(100_000).default(1),
      pageSize: z.number().int().min(1).max(200).default(50),
    }),
    page(documentDto),
  ),
  'register.add': defineMethod(
    z.strictObject({ record: recordInput }),
    z.object({ document: documentDto, duplicates: z.array(z.object({ id: z.number(), reason: z.string() })) }),
  ),
  'register.get': defineMethod(z.strictObject({ id: z.number().int().positive() }), z.object({ document: documentDto })),
  'register.transition': defineMethod(
    z.strictObject({ id: z.number().int().positive(), action: z.string().max(20).regex(/^[a-z]+$/), note: text(2000).optional(), reason: text(2000).optional(), DueDate: isoDate.optional() }),
    z.object({ document: documentDto }),
  ),
  'register.alerts': defineMethod(z.strictObject({}), z.object({ alerts: z.array(alertDto) })),
  'register.print': defineMethod(
    z.strictObject({ kind: z.enum(['so-den', 'so-di', 'theo-doi', 'bao-cao-den', 'bao-cao-di']), year, book: bookId.optional() }),
    z.object({ name: z.string(), pages: z.number(), rows: z.number(), base64: z.string() }),
  ),
};
