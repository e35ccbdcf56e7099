import { AppError } from '../../contract/errors';
import type { ConformanceReportDto, DigitizedRegistrationDto } from '../../contract/scan';
import type { Db } from '../db/connection';
import type { RegisterApi } from '../register/api';
import { checkConformance, failingPagesVi } from './conformance';
import { digitizedRecord, sha256Hex } from './provenance';

type Calls<K extends 'register.add' | 'register.attach'> = (input: Parameters<RegisterApi[K]>[0]) => Promise<Awaited<ReturnType<RegisterApi[K]>>> | Awaited<ReturnType<RegisterApi[K]>>;
/** The two register calls a "số hóa" registration makes: the register worker's, or the in-process register's. */
export interface RegisterCalls { 'register.add': Calls<'register.add'>; 'register.attach': Calls<'register.attach'> }

type RecordInput = Parameters<RegisterApi['register.add']>[0]['record'];

/** Ghi chú is bounded by the register (Phụ lục VI: 500 characters); the provenance sentence always fits. */
const DESCRIPTION_MAX = 500;

/** The refusal, page by page, in the clerk's words. */
export function refusalVi(report: ConformanceReportDto): string {
  return ['Không vào sổ được dưới dạng văn bản số hóa: tệp không đạt tiêu chuẩn Điều 10.2.', ...report.problems.map((p) => p.vi), ...failingPagesVi(report)].join('\n');
}

/**
 * Registers a PDF as "số hóa": the conformance check first (a failing file is refused with its per-page
 * report and nothing is written), then the entry, then the PDF as its attachment — the register reads
 * its text, OCR layer included, into the accent-blind search index. The provenance comes from this
 * workstation's own record of what it digitised and is written into the entry's Ghi chú.
 */
export async function registerDigitized(db: Db, register: RegisterCalls, file: { name: string; bytes: Buffer }, record: RecordInput): Promise<DigitizedRegistrationDto> {
  const report = checkConformance(file.bytes);
  if (!report.conforms) {
    const failing = report.pages.filter((p) => !p.conforms).map((p) => p.page);
    throw new AppError('INPUT_INVALID', refusalVi(report), `digitize.register refused: not conforming (${failing.length} failing pages, first ${failing[0] ?? '-'}; ${report.problems.map((p) => p.code).join(',') || 'no file problem'})`,
      { conforms: false, failingPages: failing.length });
  }
  const recorded = digitizedRecord(db, sha256Hex(file.bytes));
  const here = recorded?.conforms === true;
  const provenance = here
    ? `Văn bản số hóa tại cơ quan (${recorded.source === 'scan' ? 'quét từ bản giấy' : 'nhập từ tệp ảnh'} lúc ${recorded.createdAt}), đạt tiêu chuẩn Điều 10.2.`
    : 'Văn bản số hóa không do máy này số hóa; đạt tiêu chuẩn Điều 10.2.';
  const given = typeof record.Description === 'string' ? record.Description.trim() : '';
  const description = given ? `${given.slice(0, DESCRIPTION_MAX - provenance.length - 3)} — ${provenance}` : provenance;
  const added = await register['register.add']({ record: { ...record, Description: description } });
  const attached = await register['register.attach']({ id: added.document.id, name: file.name, base64: file.bytes.toString('base64') });
  return { document: added.document, attachment: attached.attachment, report, digitizedHere: here, source: recorded?.source ?? null };
}
