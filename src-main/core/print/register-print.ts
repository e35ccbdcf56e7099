import * as z from 'zod';
import { pathString } from '../../contract/api';
import { YEAR_MAX, YEAR_MIN } from '../../contract/limits';
import { isoDaySchema } from '../../contract/register';
import { decree30Number } from '../../contract/text';
import { isoVietnam } from '../../contract/time';
import { PRINT_KINDS, type PrintKind } from '../../contract/vocabulary';
import { renderTablePdf, type Column, type CoverSpec, type TableSpec } from './table-pdf';

/**
 * The printed outputs of Phụ lục IV and VI.V, drawn from rows the register hands over: printing
 * knows the forms, never the database (docs/register.md, "Printing").
 */
export interface PrintDoc {
  id: number;
  state: string;
  stateVi: string;
  number: number | null;
  regDate: string | null;
  code: string | null;
  TypeName: string;
  Subject: string;
  OrganName: string | null;
  IssuedDate: string | null;
  ArrivalDate: string | null;
  DueDate: string | null;
  ToPlaces: string | null;
  Description: string | null;
  SignerInfo: { Position: string | null; FullName: string | null } | null;
  FileCopyHolder: string | null;
  IssuedAmount: number | null;
  handedAt: string | null;
  sentAt: string | null;
  issuedAt: string | null;
  completedAt: string | null;
}

export interface PrintBook {
  id: string;
  direction: 'den' | 'di';
  name: string;
}

/** Số as printed: a leading zero below 10; blank when there is none. */
const numberText = (n: number | null) => (n === null ? '' : decree30Number(n));

/** dd/MM/yyyy, as registers show dates. */
export function displayDate(date: string | null | undefined): string {
  if (!date) return '';
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

export const printRequestSchema = z.strictObject({
  kind: z.enum(PRINT_KINDS),
  /** Default: "den" for đến outputs, "di" for đi outputs. */
  book: z.string().max(32).optional(),
  year: z.number().int().min(YEAR_MIN).max(YEAR_MAX),
  from: isoDaySchema.optional(),
  to: isoDaySchema.optional(),
  quyenSo: z.number().int().min(1).max(999).optional(),
  out: pathString,
});
export type PrintRequest = z.input<typeof printRequestSchema>;
/** The same request when the bytes go back to the caller instead of into a file. */
export const renderRequestSchema = printRequestSchema.omit({ out: true });

export interface PrintInput {
  kind: PrintKind;
  book: PrintBook;
  year: number;
  from: string;
  to: string;
  quyenSo: number;
  agency: { name: string; parentName?: string };
  docs: PrintDoc[];
  /** Outgoing: "Nơi nhận" per document. */
  recipients?: Map<number, string>;
  /** Theo dõi giải quyết: số/ký hiệu of the answer per incoming document. */
  replies: Map<number, string>;
  printedAt: Date;
  today: string;
  /** The audit checkpoint of the sổ's đóng sổ, for its closing page and the PDF's metadata. */
  closing?: ClosingCheckpoint;
}

export interface ClosingCheckpoint {
  count: number;
  head: string;
  at: string;
  until: string;
  signer: string;
  byToken: boolean;
}

/** The head hash in groups of four, as a clerk reads it aloud and types it back. */
export function groupedHash(h: string): string {
  return h.match(/.{1,4}/g)!.join(' ');
}

/** "<count>:<hash>", the value `vanthu register audit verify --checkpoint` takes. */
export const checkpointValue = (c: { count: number; head: string }) => `${c.count}:${c.head}`;

function closingPage(c: ClosingCheckpoint): CoverSpec {
  return {
    lines: [
      { text: 'TRANG KHÓA SỔ', size: 18, bold: true },
      { text: `Sổ được đóng đến hết ngày ${displayDate(c.until)}, lúc ${c.at}.`, size: 12, gapBefore: 16 },
      { text: `Điểm kiểm tra nhật ký hệ thống: ${c.count} mục`, size: 12, gapBefore: 10 },
      { text: `Mã băm đầu chuỗi: ${groupedHash(c.head.slice(0, 32))}`, size: 11 },
      { text: groupedHash(c.head.slice(32)), size: 11 },
      { text: `Ký bởi: ${c.signer}${c.byToken ? '' : ' (khóa của máy cài đặt, không phải chứng thư số của cơ quan)'}`, size: 10, gapBefore: 6 },
      { text: `Đối chiếu: vanthu register audit verify --checkpoint ${c.count}:${c.head.slice(0, 16)}`, size: 10, gapBefore: 10 },
      { text: 'Văn thư cơ quan ký, ghi rõ họ tên:', size: 12, gapBefore: 40 },
    ],
  };
}

const c = (title: string, width: number, align: Column['align'] = 'left'): Column => ({ title, width, align });

export const SO_DEN_COLUMNS = [
  c('Ngày đến', 7, 'center'), c('Số đến', 6, 'center'), c('Tác giả', 14), c('Số, ký hiệu văn bản', 10), c('Ngày tháng văn bản', 8, 'center'),
  c('Tên loại và trích yếu nội dung', 24), c('Đơn vị hoặc người nhận', 12), c('Ngày chuyển', 7, 'center'), c('Ký nhận', 6), c('Ghi chú', 8),
];
export const SO_DI_COLUMNS = [
  c('Số, ký hiệu văn bản', 10), c('Ngày tháng văn bản', 8, 'center'), c('Tên loại và trích yếu nội dung', 24), c('Người ký', 11),
  c('Nơi nhận văn bản', 14), c('Đơn vị, người nhận bản lưu', 9), c('Số lượng bản', 6, 'center'), c('Ngày chuyển', 7, 'center'), c('Ký nhận', 6), c('Ghi chú', 8),
];
export const THEO_DOI_COLUMNS = [
  c('Số đến', 6, 'center'), c('Tên loại, số, ký hiệu, ngày tháng văn bản, cơ quan ban hành', 30), c('Đơn vị hoặc người nhận', 16),
  c('Thời hạn giải quyết', 9, 'center'), c('Tiến độ giải quyết', 14), c('Số, ký hiệu văn bản trả lời', 12), c('Ghi chú', 10),
];
export const BAO_CAO_COLUMNS = [
  c('Số', 6, 'center'), c('Số, ký hiệu văn bản', 11), c('Tên loại và trích yếu nội dung', 30), c('Đơn vị, người xử lý', 16),
  c('Thời hạn', 9, 'center'), c('Tình trạng', 12), c('Ghi chú', 10),
];

const TITLES: Record<PrintKind, string> = {
  'so-den': 'SỔ ĐĂNG KÝ VĂN BẢN ĐẾN',
  'so-di': 'SỔ ĐĂNG KÝ VĂN BẢN ĐI',
  'theo-doi': 'SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN',
  'bao-cao-den': 'BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐẾN',
  'bao-cao-di': 'BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐI',
};

const typeAndSubject = (d: PrintDoc) => `${d.TypeName}: ${d.Subject}`;
const dateOf = (iso: string | null) => (iso ? displayDate(iso.slice(0, 10)) : '');
const signer = (d: PrintDoc) => [d.SignerInfo?.Position, d.SignerInfo?.FullName].filter(Boolean).join(' ');

function progress(d: PrintDoc, today: string): string {
  const late = d.DueDate && (d.completedAt ? d.completedAt.slice(0, 10) > d.DueDate : today > d.DueDate);
  return `${d.stateVi}${late ? ' (quá hạn)' : ''}`;
}

function rowsFor(input: PrintInput): { columns: Column[]; rows: string[][] } {
  const { docs, today } = input;
  switch (input.kind) {
    case 'so-den':
      return {
        columns: SO_DEN_COLUMNS,
        rows: docs.map((d) => [displayDate(d.ArrivalDate), numberText(d.number), d.OrganName ?? '', d.code ?? '', displayDate(d.IssuedDate), typeAndSubject(d), d.ToPlaces ?? '', dateOf(d.handedAt), '', d.Description ?? '']),
      };
    case 'so-di':
      return {
        columns: SO_DI_COLUMNS,
        rows: docs.map((d) => [d.code ?? '', displayDate(d.IssuedDate), typeAndSubject(d), signer(d), input.recipients?.get(d.id) ?? '', d.FileCopyHolder ?? '', d.IssuedAmount === null ? '' : String(d.IssuedAmount), dateOf(d.sentAt ?? d.issuedAt), '', d.Description ?? '']),
      };
    case 'theo-doi':
      return {
        columns: THEO_DOI_COLUMNS,
        rows: docs.map((d) => [numberText(d.number), [d.TypeName, d.code, displayDate(d.IssuedDate), d.OrganName].filter(Boolean).join(', '), d.ToPlaces ?? '', displayDate(d.DueDate), progress(d, today), input.replies.get(d.id) ?? '', d.Description ?? '']),
      };
    case 'bao-cao-den':
    case 'bao-cao-di':
      return {
        columns: BAO_CAO_COLUMNS,
        rows: docs.map((d) => [numberText(d.number), d.code ?? '', typeAndSubject(d), d.ToPlaces ?? input.recipients?.get(d.id) ?? '', displayDate(d.DueDate), progress(d, today), d.Description ?? '']),
      };
  }
}

function summary(input: PrintInput): Array<{ text: string; size: number; bold?: boolean }> {
  const done = input.docs.filter((d) => d.state === 'completed' || d.state === 'sent' || d.state === 'issued');
  const late = input.docs.filter((d) => d.DueDate && (d.completedAt ? d.completedAt.slice(0, 10) > d.DueDate : input.today > d.DueDate && d.state !== 'completed'));
  const open = input.docs.length - done.length;
  return [
    { text: input.agency.name.toUpperCase(), size: 12, bold: true },
    { text: TITLES[input.kind], size: 14, bold: true },
    { text: `Từ ngày ${displayDate(input.from)} đến ngày ${displayDate(input.to)}`, size: 11 },
    { text: `Tổng số: ${input.docs.length} — Đã giải quyết/phát hành: ${done.length} — Đang giải quyết: ${open} — Quá hạn: ${late.length}`, size: 11 },
  ];
}

export async function renderRegisterPdf(input: PrintInput): Promise<{ bytes: Uint8Array; pages: number }> {
  const { columns, rows } = rowsFor(input);
  const numbers = input.docs.map((d) => d.number).filter((n): n is number => n !== null);
  const dates = input.docs.map((d) => d.regDate).filter((x): x is string => x !== null).sort();
  const isReport = input.kind.startsWith('bao-cao');
  const spec: TableSpec = {
    title: `${TITLES[input.kind]} ${input.year}`,
    columns,
    rows,
    mark: `In từ hệ thống vanthu lúc ${isoVietnam(input.printedAt)} — ${input.book.name}`,
    ...(input.closing ? { closing: closingPage(input.closing), metadata: { VanthuCheckpoint: checkpointValue(input.closing), VanthuCheckpointAt: input.closing.at } } : {}),
    ...(isReport
      ? { intro: summary(input) }
      : {
          cover: {
            lines: [
              { text: (input.agency.parentName ?? '').toUpperCase(), size: 13 },
              { text: input.agency.name.toUpperCase(), size: 13, bold: true },
              { text: TITLES[input.kind], size: 22, bold: true, gapBefore: 60 },
              { text: input.book.name, size: 12 },
              { text: `Năm: ${input.year}`, size: 14, bold: true, gapBefore: 20 },
              // Cover ranges come from the printed rows (docs/register.md, "Printing").
              { text: `Từ ngày ${displayDate(dates[0] ?? input.from)} đến ngày ${displayDate(dates.at(-1) ?? input.to)}`, size: 13, gapBefore: 20 },
              { text: numbers.length ? `Từ số ${numberText(numbers.reduce((a, b) => Math.min(a, b)))} đến số ${numberText(numbers.reduce((a, b) => Math.max(a, b)))}` : 'Từ số … đến số …', size: 13 },
              { text: `Quyển số: ${input.quyenSo}`, size: 13 },
            ],
          },
        }),
  };
  return renderTablePdf(spec);
}
