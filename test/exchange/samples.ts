import type { DocumentPackage, StatusPackage } from '../../src-main/core/exchange/edxml/index';

/** Synthetic packages in the SDK layout with fictitious agencies and people. */
export const AGENCY_A = { OrganId: '000.00.01.H99', OrganName: 'Sở Nội vụ tỉnh Thử nghiệm', OrganAdd: 'Số 1, đường Thử, TP. Thử', Email: 'snv@example.invalid' };
export const AGENCY_B = { OrganId: '000.00.02.H99', OrganName: 'Sở Tài chính tỉnh Thử nghiệm' };
export const AGENCY_C = { OrganId: '000.00.03.H99', OrganName: 'UBND huyện Thử' };

/** A small valid PDF (one page, one line of text), padded with an unused stream to `size` bytes. */
export function fakePdf(label: string, size = 2048): Buffer {
  const text = `BT /F1 12 Tf 72 720 Td (${label.replace(/[()\\]/g, '')}) Tj ET`;
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
  ];
  const build = (pad: number) => {
    const all = [...objs, `<< /Length ${pad} >>\nstream\n${'x'.repeat(pad)}\nendstream`];
    let out = '%PDF-1.4\n';
    const offsets: number[] = [];
    all.forEach((o, i) => {
      offsets.push(out.length);
      out += `${i + 1} 0 obj\n${o}\nendobj\n`;
    });
    const xref = out.length;
    out += `xref\n0 ${all.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
    out += `trailer\n<< /Size ${all.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    return out;
  };
  const base = build(0).length;
  return Buffer.from(build(Math.max(0, size - base)), 'latin1');
}

export function sampleDocument(over: { type?: number; number?: string; to?: Array<typeof AGENCY_B>; priority?: number; attachments?: DocumentPackage['attachments'] } = {}): DocumentPackage {
  const number = over.number ?? '125';
  const type = over.type ?? 0;
  const documentId = `${AGENCY_A.OrganId},2026/03/10,${number}/SNV-VP`;
  return {
    kind: 'edoc',
    header: {
      From: AGENCY_A,
      To: over.to ?? [AGENCY_B],
      DocumentId: documentId,
      Code: { CodeNumber: number, CodeNotation: 'SNV-VP' },
      PromulgationInfo: { Place: 'Thử nghiệm', PromulgationDate: '2026/03/10' },
      DocumentType: { Type: 2, TypeDetail: 1, TypeName: 'Công văn' },
      Subject: 'V/v đề nghị cung cấp số liệu biên chế năm 2026 & "kế hoạch" <quý II>',
      SignerInfo: { Competence: 'KT. GIÁM ĐỐC', Position: 'Phó Giám đốc', FullName: 'Nguyễn Văn A' },
      DueDate: '2026/03/20',
      OtherInfo: { Priority: over.priority ?? 1, SphereOfPromulgation: 'Liên thông văn bản quốc gia', PromulgationAmount: 3, PageAmount: 2, Direction: false, Appendixes: ['Phụ lục I'] },
      ResponseFor: type === 0 ? [] : [{ OrganId: AGENCY_B.OrganId, Code: `${number}/SNV-VP`, PromulgationDate: '2026/03/10', DocumentId: documentId }],
      SteeringType: 0,
      ToPlaces: ['Như trên', 'Lưu: VT, VP'],
    },
    trace: {
      TraceHeader: [{ OrganId: AGENCY_A.OrganId, Timestamp: '2026/03/10 09:15:00' }],
      Bussiness: {
        BussinessDocType: type,
        BussinessDocReason: ['Văn bản điện tử mới', 'Thu hồi văn bản điện tử', 'Cập nhật văn bản', 'Thay thế văn bản'][type],
        Paper: 0,
        ...(type === 1 || type === 2 ? { DocumentId: documentId } : {}),
        ...(type === 2 ? { BussinessDocumentInfo: { DocumentInfo: 1, DocumentReceiver: 1, ReceiverList: [{ OrganId: AGENCY_C.OrganId, ReceiverType: 0 }] } } : {}),
        ReplacementInfoList: type === 3 ? [{ DocumentId: `${AGENCY_A.OrganId},2026/03/01,100/SNV-VP`, OrganIdList: [AGENCY_B.OrganId] }] : [],
        StaffInfo: [{ Department: 'Văn phòng', Staff: 'Trần Thị B', Email: 'vt@example.invalid' }],
      },
    },
    attachments: over.attachments ?? (type === 1 ? [] : [{ ContentId: `att-${number}-1`, AttachmentName: `${number}-SNV-VP.signed.pdf`, Description: 'Văn bản chính', ContentType: 'application/pdf', data: fakePdf(number) }]),
  };
}

export function sampleStatus(code: string, over: Partial<StatusPackage> = {}): StatusPackage {
  return {
    kind: 'status',
    From: AGENCY_B,
    ResponseFor: { OrganId: AGENCY_A.OrganId, Code: '125/SNV-VP', PromulgationDate: '2026/03/10', DocumentId: `${AGENCY_A.OrganId},2026/03/10,125/SNV-VP` },
    StaffInfo: { Department: 'Văn phòng', Staff: 'Lê Văn C' },
    StatusCode: code,
    ...(['02', '13', '16'].includes(code) ? { Description: 'Lý do: thiếu phụ lục' } : {}),
    Timestamp: '2026/03/10 10:00:00',
    ...over,
  };
}
