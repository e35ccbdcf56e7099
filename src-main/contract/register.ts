import * as z from 'zod';
import { defineMethod, lazy, lazyMethods, pathString, text } from './api';
import { PAGE_SIZE_MAX, YEAR_MAX, YEAR_MIN } from './limits';
import { base64String } from './files';
import { isCalendarDate } from './time';
import { DIRECTIONS, PRINT_KINDS } from './vocabulary';

/**
 * The register over the API. Field-level rules (Phụ lục VI lengths, dates, numbering) are the register
 * core's own zod schemas; the contract bounds the shape so nothing unbounded reaches it.
 */
/** A calendar day, YYYY-MM-DD, that exists (the register's and the printer's dates). */
export const isoDaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').refine(isCalendarDate, 'not a calendar date');
const bookId = z.string().min(1).max(32).regex(/^[a-z0-9-]+$/);
const year = z.number().int().min(YEAR_MIN).max(YEAR_MAX);

// Every schema below is built on first use (api.ts `lazy`, `lazyMethods`): a command-line search
// builds the search's and the document row's, not the other fourteen methods'.
/** A record keyed by Phụ lục VI tags (TypeName, CodeNumber, Subject…), plus `book`; `To` is a list of nơi nhận. */
const recordInput = lazy(() => {
  const scalar = z.union([z.string().max(5000), z.number().finite(), z.boolean(), z.null()]);
  const group = z.record(z.string().max(64), scalar).refine((r) => Object.keys(r).length <= 20, 'too many fields');
  return z
    .record(z.string().max(64).regex(/^[A-Za-z][A-Za-z0-9_]*$/), z.union([scalar, group, z.array(group).max(200)]))
    .refine((r) => Object.keys(r).length <= 60, 'too many fields');
});

export const documentDto = lazy(() => z.object({
  id: z.number(),
  book: z.string(),
  direction: z.enum(DIRECTIONS),
  state: z.string(),
  stateVi: z.string(),
  year: z.number().nullable(),
  number: z.number().nullable(),
  code: z.string().nullable(),
  TypeName: z.string(),
  OrganName: z.string().nullable(),
  /** List rows of a văn bản đi: its first nơi nhận (the document page shows them all). */
  recipients: z.array(z.string()).optional(),
  Subject: z.string(),
  Priority: z.number(),
  priorityVi: z.string(),
  DueDate: z.string().nullable(),
  ArrivalDate: z.string().nullable(),
  IssuedDate: z.string().nullable(),
}));
export type RegisterDocumentDto = z.infer<ReturnType<typeof documentDto>>;

const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), page: z.number(), pageSize: z.number(), total: z.number(), totalCapped: z.boolean() });

/** The groups of "Hôm nay", in the order a clerk handles them (a document sits in the first that takes it). */
export const TODAY_GROUPS = ['urgent', 'due_today', 'overdue', 'to_register', 'to_issue'] as const;
/** Exact counts per group and per direction (the navigation's badges), from maintained aggregates. */
const todayCountsDto = lazy(() => z.object({
  ...Object.fromEntries(TODAY_GROUPS.map((g) => [g, z.number()])) as Record<(typeof TODAY_GROUPS)[number], z.ZodNumber>,
  den: z.number(),
  di: z.number(),
  total: z.number(),
}));

const alertDto = lazy(() => z.object({
  kind: z.string(),
  docId: z.number(),
  direction: z.enum(DIRECTIONS),
  priority: z.number(),
  code: z.string().nullable(),
  subject: z.string(),
  dueAt: z.string(),
  overdue: z.boolean(),
  messageVi: z.string(),
}));
export type AlertDto = z.infer<ReturnType<typeof alertDto>>;

/** Records a clerk may import in one call; the CLI sends a large file in slices of this size. */
export const IMPORT_SLICE = 1000;

/** "<entries>:<head hash>" as printed on a closing page; the hash may be cut to its first 16 hex digits. */
const checkpointText = lazy(() => z.string().max(100).transform((s) => s.replace(/\s+/g, '').toLowerCase()).pipe(z.string().regex(/^\d{1,12}:[0-9a-f]{16,64}$/, '<count>:<hash>')));

const checkpointDto = lazy(() => z.object({
  count: z.number(),
  head: z.string(),
  at: z.string(),
  reason: z.string(),
  signerKind: z.enum(['token', 'installation']),
  signer: z.string(),
  file: z.string().nullable(),
}));

const auditReportDto = lazy(() => {
  const problemDto = z.object({ kind: z.string(), messageVi: z.string() });
  return z.object({
    ok: z.boolean(),
    count: z.number(),
    head: z.string(),
    problems: z.array(problemDto.extend({ id: z.number() })),
    entities: z.array(problemDto.extend({ table: z.string(), rowId: z.number(), field: z.string().nullable(), chainValue: z.string().nullable(), tableValue: z.string().nullable() })),
    checkpoints: z.array(problemDto.extend({ count: z.number(), head: z.string(), source: z.string(), ok: z.boolean() })),
  });
});

const documentDetailDto = lazy(() => z.object({
  ToPlaces: z.string().nullable(),
  handedAt: z.string().nullable(),
  receivedAt: z.string().nullable(),
  registeredAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  recallReason: z.string().nullable(),
  Description: z.string().nullable(),
  signer: z.string().nullable(),
  recipients: z.array(z.object({ id: z.number(), OrganName: z.string(), statusCode: z.string().nullable() })),
  assignments: z.array(z.object({ id: z.number(), role: z.enum(['chu_tri', 'phoi_hop', 'de_biet']), unit: z.string().nullable(), person: z.string().nullable(), opinion: z.string().nullable(), dueDate: z.string().nullable(), assignedBy: z.string(), assignedAt: z.string() })),
  transitions: z.array(z.object({ id: z.number(), from: z.string().nullable(), to: z.string(), toVi: z.string(), at: z.string(), actor: z.string(), note: z.string().nullable() })),
  attachments: z.array(z.object({ id: z.number(), name: z.string(), mime: z.string(), size: z.number(), sha256: z.string(), addedAt: z.string() })),
  /** The steps the register allows from the document's state now (the page offers only these). */
  actions: z.array(z.string()),
}));
export type RegisterDocumentDetailDto = z.infer<ReturnType<typeof documentDetailDto>>;

/** The working-day calendar the deadlines use (saved in "Cài đặt"; weekends are Saturday and Sunday). */
const workingCalendarDto = lazy(() => z.strictObject({ holidays: z.array(isoDaySchema).max(2000), workingWeekends: z.array(isoDaySchema).max(500) }));

const bookDto = lazy(() => z.object({ id: z.string(), direction: z.enum(DIRECTIONS), kind: z.enum(['normal', 'copies', 'secret']), name: z.string(), notation: z.string().nullable() }));
export type BookDto = z.infer<ReturnType<typeof bookDto>>;

export const registerMethods = lazyMethods({
  'register.books': () => defineMethod(z.strictObject({}), z.object({ books: z.array(bookDto()) })),
  'register.list': () => defineMethod(
    z.strictObject({ book: bookId, year, page: z.number().int().min(1).max(100_000).default(1), pageSize: z.number().int().min(1).max(PAGE_SIZE_MAX).default(50) }),
    page(documentDto()),
  ),
  'register.search': () => defineMethod(
    z.strictObject({
      text: text(500).optional(),
      book: bookId.optional(),
      direction: z.enum(DIRECTIONS).optional(),
      year: year.optional(),
      priorityAtLeast: z.number().int().min(0).max(4).optional(),
      page: z.number().int().min(1).max(100_000).default(1),
      pageSize: z.number().int().min(1).max(PAGE_SIZE_MAX).default(50),
    }),
    page(documentDto()),
  ),
  'register.add': () => defineMethod(
    z.strictObject({ record: recordInput() }),
    z.object({ document: documentDto(), duplicates: z.array(z.object({ id: z.number(), reason: z.string(), code: z.string().nullable(), OrganName: z.string().nullable(), number: z.number().nullable(), book: z.string() })) }),
  ),
  /** One document with what its page shows: the entry's handling columns, assignments, history and files. */
  'register.get': () => defineMethod(z.strictObject({ id: z.number().int().positive() }), z.object({ document: documentDto(), detail: documentDetailDto() })),
  'register.transition': () => defineMethod(
    z.strictObject({
      id: z.number().int().positive(), action: z.string().max(20).regex(/^[a-z]+$/), note: text(2000).optional(), reason: text(2000).optional(), DueDate: isoDaySchema.optional(),
      /** Giao xử lý: chủ trì / phối hợp / để biết, with the leader's ý kiến and hạn (the register checks each field). */
      assignments: z.array(z.strictObject({ role: z.enum(['chu_tri', 'phoi_hop', 'de_biet']), unit: text(200).optional(), person: text(100).optional(), opinion: text(2000).optional(), dueDate: isoDaySchema.optional() })).max(50).optional(),
      ToPlaces: text(1000).optional(),
      /** Chuyển: Đơn vị hoặc người nhận and Ngày chuyển. */
      handedTo: text(200).optional(),
      handedDate: isoDaySchema.optional(),
      /** Sửa: the corrected fields of the entry (with a reason). */
      changes: z.record(z.string().max(32), z.union([z.string().max(500), z.number().finite()])).refine((r) => Object.keys(r).length <= 20, 'too many fields').optional(),
      correctedBy: z.number().int().positive().optional(),
    }),
    z.object({ document: documentDto() }),
  ),
  /**
   * "Hôm nay": exact counts, and a page of each group's documents (one alert each, the one that put it
   * there); with `group`, that group's page only. `alerts` is the groups' items in order.
   */
  'register.alerts': () => defineMethod(
    z.strictObject({ group: z.enum(TODAY_GROUPS).optional(), page: z.number().int().min(1).max(100_000).default(1), pageSize: z.number().int().min(1).max(PAGE_SIZE_MAX).default(20) }),
    z.object({
      counts: todayCountsDto(),
      groups: z.array(z.object({ id: z.enum(TODAY_GROUPS), total: z.number(), alerts: z.array(alertDto()) })),
      alerts: z.array(alertDto()),
    }),
  ),
  'register.print': () => defineMethod(
    z.strictObject({ kind: z.enum(PRINT_KINDS), year, book: bookId.optional(), quyenSo: z.number().int().min(1).max(999).optional() }),
    z.object({ name: z.string(), pages: z.number(), rows: z.number(), base64: z.string() }),
  ),
  /** A slice of a JSONL import (the caller reads the file; line numbers are its own). */
  'register.import': () => defineMethod(
    z.strictObject({ records: z.array(recordInput()).max(IMPORT_SLICE), lineNumbers: z.array(z.number().int().positive()).max(IMPORT_SLICE).optional() }),
    z.object({ imported: z.number(), duplicates: z.number(), failed: z.array(z.object({ line: z.number(), code: z.string(), message: z.string() })) }),
  ),
  /** Đóng sổ up to a day; the checkpoint anchoring the audit chain at that moment comes back. */
  'register.close': () => defineMethod(
    z.strictObject({ book: bookId, until: isoDaySchema }),
    z.object({ book: z.string(), until: z.string(), entries: z.number(), checkpoint: checkpointDto().nullable() }),
  ),
  /** The audit chain, every registered row against it, and every checkpoint (and a printed one typed in). */
  'register.auditVerify': () => defineMethod(z.strictObject({ checkpoint: checkpointText().optional() }), auditReportDto()),
  'register.backup': () => defineMethod(
    z.strictObject({ path: pathString }),
    z.object({ path: z.string(), bytes: z.number(), checkpoint: checkpointDto().nullable() }),
  ),
  /** A PDF (or other file) attached to an entry: kept as it came, its text searchable, the step audited. */
  'register.attach': () => defineMethod(
    z.strictObject({ id: z.number().int().positive(), name: text(255, 1), base64: base64String() }),
    z.object({ attachment: z.object({ id: z.number(), name: z.string(), size: z.number(), sha256: z.string() }) }),
  ),
  /** An attachment's bytes, checked against their hash. */
  'register.attachment': () => defineMethod(z.strictObject({ id: z.number().int().positive(), attachmentId: z.number().int().positive() }), z.object({ name: z.string(), base64: z.string() })),
  /** The calendar deadlines are computed with, set from "Cài đặt" (audited in the register's chain). */
  'register.calendar': () => defineMethod(workingCalendarDto(), z.object({ holidays: z.number(), workingWeekends: z.number() })),
});
