import { dateInVietnam } from '../../../contract/time';
import type { Attachment, DocumentHeader, DocumentPackage, Organization } from '../edxml/model';
import { edxmlFromIsoDate, edxmlTimestamp, isoFromEdxmlDate } from '../edxml/time';
import type { RegisterDoc } from './port';

/**
 * The edXML ↔ Phụ lục VI mapping of docs/exchange.md §1, both ways. Values that the register would
 * refuse (a số with characters outside its pattern, over-long text) are dropped or cut at the
 * register's limits rather than losing the whole document: the raw package stays in the inbox.
 */
const CODE_NUMBER = /^[0-9A-Za-z.]{1,11}$/;
const cut = (s: string | undefined, n: number) => (s === undefined ? undefined : s.slice(0, n));

export function incomingRecord(h: DocumentHeader, opts: { book: string; now: Date; paper: boolean }): Record<string, unknown> {
  const signer = h.SignerInfo.Position || h.SignerInfo.FullName ? { Position: cut(h.SignerInfo.Position, 100), FullName: cut(h.SignerInfo.FullName, 50) } : undefined;
  const rec: Record<string, unknown> = {
    book: opts.book,
    TypeName: cut(h.DocumentType.TypeName || 'Văn bản', 100),
    CodeNumber: CODE_NUMBER.test(h.Code.CodeNumber) ? h.Code.CodeNumber : undefined,
    CodeNotation: cut(h.Code.CodeNotation, 30),
    IssuedDate: isoFromEdxmlDate(h.PromulgationInfo.PromulgationDate),
    OrganName: cut(h.From.OrganName ?? h.From.OrganId, 200),
    Subject: cut(h.Subject, 500),
    PageAmount: h.OtherInfo.PageAmount !== undefined && h.OtherInfo.PageAmount <= 999 ? h.OtherInfo.PageAmount : undefined,
    SignerInfo: signer,
    Priority: h.OtherInfo.Priority,
    DueDate: h.DueDate ? isoFromEdxmlDate(h.DueDate) : undefined,
    DocumentId: cut(h.DocumentId, 100),
    ArrivalDate: dateInVietnam(opts.now),
    Paper: opts.paper,
  };
  return Object.fromEntries(Object.entries(rec).filter(([, v]) => v !== undefined));
}

/** `<issuer OrganId>,<yyyy/MM/dd>,<Số>/<Ký hiệu>`: the business key (§1). */
export function documentIdOf(organId: string, issuedDate: string, number: string, notation: string): string {
  return `${organId},${edxmlFromIsoDate(issuedDate)},${number}/${notation}`;
}

export interface OutgoingInput {
  doc: RegisterDoc;
  self: Organization;
  to: Organization[];
  attachments: Attachment[];
  now: Date;
  staff?: { Department?: string; Staff?: string };
}

export function outgoingPackage({ doc, self, to, attachments, now, staff }: OutgoingInput): DocumentPackage {
  const issued = doc.IssuedDate ?? dateInVietnam(now);
  const number = doc.CodeNumber ?? '';
  const notation = doc.CodeNotation ?? '';
  return {
    kind: 'edoc',
    header: {
      From: self,
      To: to,
      DocumentId: doc.DocumentId ?? documentIdOf(self.OrganId, issued, number, notation),
      Code: { CodeNumber: number, CodeNotation: notation },
      PromulgationInfo: { PromulgationDate: edxmlFromIsoDate(issued) },
      DocumentType: { Type: 2, TypeName: doc.TypeName },
      Subject: doc.Subject,
      SignerInfo: { Position: doc.SignerInfo?.Position ?? undefined, FullName: doc.SignerInfo?.FullName ?? '' },
      ...(doc.DueDate ? { DueDate: edxmlFromIsoDate(doc.DueDate) } : {}),
      OtherInfo: {
        Priority: doc.Priority,
        ...(doc.IssuedAmount !== null ? { PromulgationAmount: doc.IssuedAmount } : {}),
        ...(doc.PageAmount !== null ? { PageAmount: doc.PageAmount } : {}),
        Appendixes: [],
      },
      ResponseFor: [],
      ToPlaces: [],
    },
    trace: {
      TraceHeader: [{ OrganId: self.OrganId, Timestamp: edxmlTimestamp(now) }],
      Bussiness: { BussinessDocType: 0, BussinessDocReason: 'Văn bản điện tử mới', Paper: 0, ReplacementInfoList: [], StaffInfo: staff ? [staff] : [] },
    },
    attachments,
  };
}
