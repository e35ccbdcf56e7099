import * as z from 'zod';
import { defineEvent, defineMethod, lazyMethods, text } from './api';
import { base64String } from './files';
import { reportSchemas } from './verify';

/**
 * The exchange with the provincial hub (docs/exchange.md): sync indicator, inbox of arrived packages,
 * outbox with per-recipient status and history, and the clerk's actions (Gửi, Thu hồi, Gửi lại,
 * answering a recall or update). Vào sổ and trả lại are the register's own transitions.
 */
const organId = z.string().regex(/^[0-9A-Za-z._-]{1,35}$/);
const id = z.number().int().positive();

export const syncSummaryDto = z.object({
  configured: z.boolean(),
  outbox: z.record(z.string(), z.number().int()),
  inbox: z.record(z.string(), z.number().int()),
  lastSuccessAt: z.string().nullable(),
  lastFailureAt: z.string().nullable(),
  lastFailureVi: z.string().nullable(),
  evidence: z.object({ records: z.number().int(), ok: z.boolean(), problems: z.number().int() }),
});

export const syncReportDto = z.object({
  sent: z.number().int(),
  sendFailed: z.number().int(),
  received: z.number().int(),
  duplicates: z.number().int(),
  invalid: z.number().int(),
  statusesApplied: z.number().int(),
  orphans: z.number().int(),
  error: z.string().nullable(),
});

export const inboxItemDto = z.object({
  id,
  hubDocId: z.string(),
  kind: z.enum(['edoc', 'status']),
  state: z.enum(['STORED', 'RECEIVED', 'INVALID', 'DUPLICATE', 'RECALLED', 'PENDING_DECISION', 'APPLIED', 'ORPHAN']),
  stateVi: z.string(),
  documentId: z.string().nullable(),
  from: z.string().nullable(),
  businessType: z.number().int().nullable(),
  statusCode: z.string().nullable(),
  subject: z.string().nullable(),
  registerDocId: z.number().int().nullable(),
  reason: z.string().nullable(),
  receivedAt: z.string(),
});

export const recipientStatusDto = z.object({
  organId: z.string(),
  /** The status shown: highest of 01 < 03 < 04 < 05 < 06; 02 ends it; 15/16 answer a recall. */
  statusCode: z.string().nullable(),
  history: z.array(z.object({ code: z.string(), at: z.string(), description: z.string().nullable() })),
});

export const outboxItemDto = z.object({
  id,
  kind: z.enum(['edoc', 'status']),
  state: z.enum(['QUEUED', 'SENDING', 'RETRY_WAIT', 'NEEDS_RECONCILE', 'SENT', 'FAILED_PERMANENT']),
  stateVi: z.string(),
  registerDocId: z.number().int().nullable(),
  documentId: z.string(),
  businessType: z.number().int().nullable(),
  statusCode: z.string().nullable(),
  recipients: z.array(recipientStatusDto),
  attempts: z.number().int(),
  /** The hub's acknowledgement: the sent time shown to the clerk (Điều 6.1), and the hub's id for it. */
  sentAt: z.string().nullable(),
  hubDocId: z.string().nullable(),
  errorVi: z.string().nullable(),
  createdAt: z.string(),
});

export const exchangeMethods = lazyMethods({
  'exchange.status': () => defineMethod(z.strictObject({}), syncSummaryDto),
  'exchange.syncNow': () => defineMethod(z.strictObject({}), syncReportDto, { progressEvent: 'exchange.progress' }),
  'exchange.inbox': () => defineMethod(z.strictObject({ state: inboxItemDto.shape.state.optional() }), z.object({ items: z.array(inboxItemDto) })),
  'exchange.outbox': () => defineMethod(z.strictObject({ registerDocId: id.optional() }), z.object({ items: z.array(outboxItemDto) })),
  /** A recipient without OrganName takes the name the register holds for it, else its OrganId. */
  'exchange.send': () => defineMethod(z.strictObject({ registerDocId: id, to: z.array(z.strictObject({ OrganId: organId, OrganName: text(200, 1).optional() })).min(1).max(500) }), z.object({ outboxId: id })),
  'exchange.recall': () => defineMethod(z.strictObject({ registerDocId: id, reason: text(500, 1) }), z.object({ queued: z.number().int() })),
  'exchange.resend': () => defineMethod(z.strictObject({ outboxId: id }), z.object({ requeued: z.boolean() })),
  'exchange.answer': () => defineMethod(z.strictObject({ inboxId: id, accept: z.boolean(), reason: text(500).optional() }), z.object({ ok: z.literal(true) })),
  /**
   * A package delivered by hand (USB, e-mail): stored and registered like one fetched from the hub;
   * the same bytes again register nothing new (`duplicate`). A refused package is kept as INVALID
   * with its reason.
   */
  'exchange.import': () => defineMethod(z.strictObject({ base64: base64String() }), z.object({ item: inboxItemDto, duplicate: z.boolean(), duplicateOf: z.number().int().nullable() })),
  /** Verifies the PDF attachments of an arrived document with the verifier, before vào sổ or trả lại. */
  'exchange.verifyArrived': () => defineMethod(z.strictObject({ inboxId: id }), z.object({ attachments: z.array(z.object({ name: z.string(), report: reportSchemas().verificationReportDto.nullable() })) })),
});

export const exchangeEvents = {
  'exchange.progress': defineEvent(z.object({ phase: z.enum(['reconcile', 'send', 'receive', 'statuses']), done: z.number().int(), total: z.number().int() })),
  'exchange.arrived': defineEvent(z.object({ inboxId: id, registerDocId: id, subject: z.string(), from: z.string() })),
  'exchange.statusChanged': defineEvent(z.object({ documentId: z.string(), organId: z.string(), code: z.string(), registerDocId: z.number().int().nullable() })),
};
