import * as z from 'zod';

/**
 * The edXML package model, field names as on the wire (docs/exchange.md §1). Values stay in wire
 * form (dates `yyyy/MM/dd`, timestamps `yyyy/MM/dd HH:mm:ss`, status codes two characters) so a
 * round trip is exact; `mapping.ts` converts to the register's Phụ lục VI fields. These schemas are
 * the strict-out rules: `buildEdxml` refuses a model that breaks them; the reader is lenient.
 */
const str = (max: number) => z.string().trim().min(1).max(max);
const opt = (max: number) => z.string().trim().max(max).optional();
export const WIRE_DATE = /^\d{4}\/\d{2}\/\d{2}$/;
export const WIRE_TIMESTAMP = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/;
const date = z.string().regex(WIRE_DATE, 'yyyy/MM/dd');
const timestamp = z.string().regex(WIRE_TIMESTAMP, 'yyyy/MM/dd HH:mm:ss');
/** Irregular codes exist (docs/exchange.md §1): shape is not checked beyond length and charset. */
const organId = z.string().trim().regex(/^[0-9A-Za-z._-]{1,35}$/, 'OrganId');

export const organizationSchema = z.strictObject({
  OrganId: organId,
  OrganizationInCharge: opt(500),
  OrganName: opt(200),
  OrganAdd: opt(500),
  Email: opt(100),
  Telephone: opt(20),
  Fax: opt(20),
  Website: opt(200),
});
export const ORGANIZATION_FIELDS = ['OrganId', 'OrganizationInCharge', 'OrganName', 'OrganAdd', 'Email', 'Telephone', 'Fax', 'Website'] as const;

export const responseForSchema = z.strictObject({ OrganId: organId, Code: opt(50), PromulgationDate: date.optional(), DocumentId: opt(200) });
export const staffInfoSchema = z.strictObject({ Department: opt(200), Staff: opt(100), Email: opt(100), Mobile: opt(20) });
export const STAFF_FIELDS = ['Department', 'Staff', 'Email', 'Mobile'] as const;

export const otherInfoSchema = z.strictObject({
  Priority: z.number().int().min(0).max(4),
  SphereOfPromulgation: opt(100),
  TyperNotation: opt(10),
  PromulgationAmount: z.number().int().min(0).optional(),
  PageAmount: z.number().int().min(0).optional(),
  Direction: z.boolean().optional(),
  Appendixes: z.array(str(500)).max(100),
});

export const documentHeaderSchema = z.strictObject({
  From: organizationSchema,
  To: z.array(organizationSchema).min(1).max(500).refine((l) => new Set(l.map((o) => o.OrganId)).size === l.length, 'duplicate To/OrganId'),
  DocumentId: str(200),
  Code: z.strictObject({ CodeNumber: str(11), CodeNotation: str(30) }),
  PromulgationInfo: z.strictObject({ Place: opt(50), PromulgationDate: date }),
  DocumentType: z.strictObject({ Type: z.union([z.literal(1), z.literal(2)]), TypeDetail: z.number().int().min(0).optional(), TypeName: str(100) }),
  Subject: str(500),
  Content: opt(500),
  SignerInfo: z.strictObject({ Competence: opt(100), Position: opt(100), FullName: str(100) }),
  DueDate: date.optional(),
  OtherInfo: otherInfoSchema,
  ResponseFor: z.array(responseForSchema).max(50),
  SteeringType: z.number().int().min(0).max(2).optional(),
  ToPlaces: z.array(str(150)).max(500),
});

export const BUSINESS_TYPES = { NEW: 0, RECALL: 1, UPDATE: 2, REPLACE: 3 } as const;

export const businessSchema = z.strictObject({
  DocumentId: opt(200),
  BussinessDocType: z.number().int().min(0).max(3),
  BussinessDocReason: opt(500),
  Paper: z.union([z.literal(0), z.literal(1)]).optional(),
  BussinessDocumentInfo: z
    .strictObject({
      DocumentInfo: z.union([z.literal(0), z.literal(1)]).optional(),
      DocumentReceiver: z.union([z.literal(0), z.literal(1)]).optional(),
      ReceiverList: z.array(z.strictObject({ OrganId: organId, ReceiverType: z.number().int().min(0).max(1) })).max(500),
    })
    .optional(),
  ReplacementInfoList: z.array(z.strictObject({ DocumentId: str(200), OrganIdList: z.array(organId).min(1).max(500) })).max(50),
  StaffInfo: z.array(staffInfoSchema).max(20),
});

export const traceSchema = z.strictObject({
  TraceHeader: z.array(z.strictObject({ OrganId: organId.optional(), Timestamp: timestamp })).min(1).max(100),
  Bussiness: businessSchema,
});

export const attachmentSchema = z.strictObject({
  /** Without the `cid:` prefix, which the wire adds (and some senders forget). */
  ContentId: z.string().regex(/^[A-Za-z0-9._@-]{1,100}$/),
  AttachmentName: str(255),
  Description: opt(500),
  /** Media type of the original file (the wire says application/zip when zipped). */
  ContentType: str(100),
  data: z.instanceof(Buffer),
});

export const documentPackageSchema = z.strictObject({
  kind: z.literal('edoc'),
  header: documentHeaderSchema,
  trace: traceSchema,
  attachments: z.array(attachmentSchema).max(100),
});

export const STATUS_CODES = ['01', '02', '03', '04', '05', '06', '13', '15', '16'] as const;
export type StatusCode = (typeof STATUS_CODES)[number];
/** Codes whose Description is the reason and so is required (docs/exchange.md §1). */
export const REASON_REQUIRED: ReadonlySet<string> = new Set(['02', '13', '16']);

export const statusPackageSchema = z
  .strictObject({
    kind: z.literal('status'),
    From: organizationSchema,
    ResponseFor: z.strictObject({ OrganId: organId, Code: str(50), PromulgationDate: date, DocumentId: str(200) }),
    StaffInfo: staffInfoSchema.optional(),
    StatusCode: z.enum(STATUS_CODES),
    Description: opt(2000),
    Timestamp: timestamp,
  })
  .refine((s) => !REASON_REQUIRED.has(s.StatusCode) || (s.Description ?? '').length > 0, { message: 'Description required for 02, 13, 16', path: ['Description'] });

export type Organization = z.output<typeof organizationSchema>;
export type ResponseFor = z.output<typeof responseForSchema>;
export type StaffInfo = z.output<typeof staffInfoSchema>;
export type DocumentHeader = z.output<typeof documentHeaderSchema>;
export type Business = z.output<typeof businessSchema>;
export type Trace = z.output<typeof traceSchema>;
export type Attachment = z.output<typeof attachmentSchema>;
export type DocumentPackage = z.output<typeof documentPackageSchema>;
/** A parsed status keeps an unknown code raw (docs/exchange.md §1); only the nine are built. */
export type StatusPackage = Omit<z.output<typeof statusPackageSchema>, 'StatusCode'> & { StatusCode: string };
export type EdxmlPackage = DocumentPackage | StatusPackage;
