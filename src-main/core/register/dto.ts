import { decree30Number } from '../../contract/text';
import { PRIORITY_NAMES, SECRECY_NAMES } from '../../contract/vocabulary';
import { STATE_VI, type DocState, type StatusCode } from './workflow';

/** JSON-safe views of the register: no Date, no Buffer, null for "absent". */
export interface DocumentDto {
  id: number;
  book: string;
  direction: 'den' | 'di';
  state: DocState;
  stateVi: string;
  year: number | null;
  /** Số đến (đến) or số of the văn bản (đi) in its series. */
  number: number | null;
  regDate: string | null;
  TypeName: string;
  CodeNumber: string | null;
  CodeNotation: string | null;
  /** "05/QĐ-UBND" when both parts are known. */
  code: string | null;
  IssuedDate: string | null;
  OrganName: string | null;
  /** List rows of a văn bản đi: its first nơi nhận (register pages and search results only). */
  recipients?: string[];
  Subject: string;
  Language: string | null;
  PageAmount: number | null;
  Description: string | null;
  SignerInfo: { Position: string | null; FullName: string | null } | null;
  Priority: number;
  priorityVi: string;
  Secrecy: number;
  secrecyVi: string;
  IssuedAmount: number | null;
  DueDate: string | null;
  DueTime: string | null;
  ArrivalDate: string | null;
  ArrivalNumber: number | null;
  ToPlaces: string | null;
  TraceHeaderList: string | null;
  DocumentId: string | null;
  Paper: boolean;
  FileCopyHolder: string | null;
  receivedAt: string | null;
  registeredAt: string | null;
  signedAt: string | null;
  issuedAt: string | null;
  sentAt: string | null;
  handedAt: string | null;
  completedAt: string | null;
  recalledAt: string | null;
  recallReason: string | null;
  correctedBy: number | null;
}

export interface RecipientDto {
  id: number;
  OrganId: string | null;
  OrganName: string;
  statusCode: StatusCode | null;
  statusAt: string | null;
}

export interface AssignmentDto {
  id: number;
  role: 'chu_tri' | 'phoi_hop' | 'de_biet';
  unit: string | null;
  person: string | null;
  opinion: string | null;
  dueDate: string | null;
  assignedBy: string;
  assignedAt: string;
}

export interface StatusEventDto {
  id: number;
  recipientId: number | null;
  code: StatusCode;
  at: string;
  note: string | null;
}

export interface TransitionDto {
  id: number;
  from: DocState | null;
  to: DocState;
  at: string;
  actor: string;
  note: string | null;
}

export interface AttachmentDto {
  id: number;
  docId: number;
  sha256: string;
  name: string;
  mime: string;
  size: number;
  addedAt: string;
}

export interface DocumentDetailDto {
  document: DocumentDto;
  recipients: RecipientDto[];
  assignments: AssignmentDto[];
  statusHistory: StatusEventDto[];
  transitions: TransitionDto[];
  attachments: AttachmentDto[];
}

export interface BookDto {
  id: string;
  direction: 'den' | 'di';
  kind: 'normal' | 'copies' | 'secret';
  name: string;
  notation: string | null;
}

type Row = Record<string, unknown>;
const s = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const n = (v: unknown): number | null => (typeof v === 'number' ? v : null);

export function documentDto(r: Row): DocumentDto {
  const direction = r.direction as 'den' | 'di';
  const number = n(r.number);
  const codeNumber = s(r.CodeNumber);
  const notation = s(r.CodeNotation);
  const position = s(r.SignerPosition);
  const fullName = s(r.SignerFullName);
  const priority = n(r.Priority) ?? 0;
  const secrecy = n(r.Secrecy) ?? 0;
  return {
    id: r.id as number,
    book: r.book_id as string,
    direction,
    state: r.state as DocState,
    stateVi: STATE_VI[r.state as DocState] ?? String(r.state),
    year: n(r.year),
    number,
    regDate: s(r.reg_date),
    TypeName: r.TypeName as string,
    CodeNumber: codeNumber,
    CodeNotation: notation,
    code: codeNumber && notation ? `${codeNumber}/${notation}` : (codeNumber ?? notation),
    IssuedDate: s(r.IssuedDate),
    OrganName: s(r.OrganName),
    Subject: r.Subject as string,
    Language: s(r.Language),
    PageAmount: n(r.PageAmount),
    Description: s(r.Description),
    SignerInfo: position || fullName ? { Position: position, FullName: fullName } : null,
    Priority: priority,
    priorityVi: PRIORITY_NAMES[priority] ?? '',
    Secrecy: secrecy,
    secrecyVi: SECRECY_NAMES[secrecy] ?? '',
    IssuedAmount: n(r.IssuedAmount),
    DueDate: s(r.DueDate),
    DueTime: s(r.DueTime),
    ArrivalDate: s(r.ArrivalDate),
    ArrivalNumber: direction === 'den' ? number : null,
    ToPlaces: s(r.ToPlaces),
    TraceHeaderList: s(r.TraceHeaderList),
    DocumentId: s(r.DocumentId),
    Paper: r.Paper === 1,
    FileCopyHolder: s(r.FileCopyHolder),
    receivedAt: s(r.received_at),
    registeredAt: s(r.registered_at),
    signedAt: s(r.signed_at),
    issuedAt: s(r.issued_at),
    sentAt: s(r.sent_at),
    handedAt: s(r.handed_at),
    completedAt: s(r.completed_at),
    recalledAt: s(r.recalled_at),
    recallReason: s(r.recall_reason),
    correctedBy: n(r.corrected_by),
  };
}

/** Số as printed: leading zero below 10 (Phụ lục I). */
export function numberText(n: number | null): string {
  return n === null ? '' : decree30Number(n);
}
