/**
 * The parts of the modification analysis that look at a whole update or at the signatures around it:
 * Vietnamese names for structural anomalies, the certification level, new objects nothing reaches, and
 * what a new signature is (document timestamp, Decree-30 issuing). changes.ts uses them per update.
 */
import type { AnomalyKind, PdfFile } from '../pdf/parse/document';
import { catalog, type FieldInfo } from '../pdf/parse/acroform';
import { dictOf, isName, PdfRef, type PdfObject } from '../pdf/parse/objects';
import type { SignatureWork } from './signature';
import type { Change } from './changes';
import type { AllowedKind } from './policy';

export function anomalyVi(kind: AnomalyKind): string {
  switch (kind) {
    case 'XREF_OUTSIDE_UPDATE': return 'Bản cập nhật sau khi ký trỏ lại vào dữ liệu cũ của văn bản (dấu hiệu tấn công che giấu nội dung).';
    case 'DUPLICATE_OFFSET': return 'Hai đối tượng dùng chung một vị trí dữ liệu (dấu hiệu tấn công che giấu nội dung).';
    case 'EOF_WITHOUT_XREF': return 'Có phần dữ liệu được nối thêm sau khi ký mà không có bảng tham chiếu hợp lệ.';
    case 'TRAILING_DATA': return 'Có dữ liệu lạ nằm sau phần kết thúc của tệp.';
    case 'UNREFERENCED_BYTES': return 'Bản cập nhật chứa dữ liệu không thuộc đối tượng nào.';
    case 'PREV_NOT_BACKWARDS': return 'Chuỗi bản cập nhật của tệp không đúng thứ tự.';
    case 'DUPLICATE_XREF_ENTRY': return 'Một đối tượng được khai báo hai lần trong cùng bản cập nhật.';
    case 'OBJECT_NUMBER_MISMATCH': return 'Bảng tham chiếu trỏ tới sai đối tượng.';
    case 'BROKEN_OBJECT': return 'Bản cập nhật chứa đối tượng bị hỏng.';
    case 'XREF_REBUILT': return 'Bảng tham chiếu của bản cập nhật bị hỏng, phải dựng lại bằng cách dò tệp; không xác nhận được nội dung bản cập nhật này.';
    default: return 'Cấu trúc tệp bất thường sau khi ký.';
  }
}


/** DocMDP /P of a certification signature (catalog /Perms /DocMDP), if the document is certified. */
export function docMdpLevel(file: PdfFile, works: SignatureWork[]): number | null {
  for (const w of works) {
    const r = w.signedRevision;
    if (r < 0) continue;
    const perms = dictOf(file.resolve(catalog(file, r)?.get('Perms'), r));
    const ref = perms?.get('DocMDP');
    if (!(ref instanceof PdfRef) || ref.num !== w.entry.sigRef?.num) continue;
    const refs = file.resolve(w.entry.dict.get('Reference'), r);
    for (const item of Array.isArray(refs) ? refs : []) {
      const d = dictOf(file.resolve(item, r));
      if (!isName(d?.get('TransformMethod'), 'DocMDP')) continue;
      const p = dictOf(file.resolve(d!.get('TransformParams'), r))?.get('P');
      return typeof p === 'number' && p >= 1 && p <= 3 ? p : 2;
    }
    return 2;
  }
  return null;
}


/**
 * New objects of an update must be reached from something the update itself wrote (or its trailer).
 * An unreferenced new object can only matter by filling a dangling reference of the signed revision,
 * which would change what it draws without touching a signed object.
 */
export function checkOrphans(file: PdfFile, k: number, report: (num: number) => void): void {
  const sec = file.revisions[k]!.xref;
  const prev = k - 1;
  const written: number[] = [];
  const fresh = new Set<number>();
  const hosts = new Set<number>();
  for (const [num, e] of sec.entries) {
    if (num === 0 || e.kind === 'free') continue;
    if (e.kind === 'compressed') hosts.add(e.stream);
    written.push(num);
    if (!file.object(num, prev) && file.entry(num, prev)?.entry.kind !== 'free') fresh.add(num);
  }
  if (fresh.size === 0) return;
  const referenced = new Set<number>();
  let budget = 200_000;
  const walk = (o: PdfObject | undefined, depth: number): void => {
    if (depth > 64 || --budget < 0) return;
    if (o instanceof PdfRef) { referenced.add(o.num); return; }
    if (Array.isArray(o)) { for (const x of o) walk(x, depth + 1); return; }
    const d = dictOf(o ?? undefined);
    if (d) for (const v of d.map.values()) walk(v, depth + 1);
  };
  walk(sec.trailer, 0);
  for (const num of written) walk(file.object(num, k)?.value ?? null, 0);
  for (const num of fresh) {
    if (referenced.has(num) || hosts.has(num) || num === refNumAt(file, sec.offset, k)) continue;
    report(num);
  }
}

function refNumAt(file: PdfFile, offset: number, k: number): number | null {
  // The xref stream object of the update itself.
  for (const [num, e] of file.revisions[k]!.xref.entries) if (e.kind === 'used' && e.offset === offset) return num;
  return null;
}


/**
 * Names the new signatures of an update: document timestamps as such, and the Decree-30 issuing pattern: after a person's signature, the agency (an organisation certificate)
 * signs with widgets over blank space (number, date) and a seal over the left of the earlier signature.
 */
export function labelDecree30(newSigs: Array<{ change: Change; field: FieldInfo }>, bySigRef: Map<number, SignatureWork>, works: SignatureWork[], k: number): void {
  for (const { change, field } of newSigs) {
    const v = field.dict.get('V');
    const w = v instanceof PdfRef ? bySigRef.get(v.num) : undefined;
    if (w?.report.isDocTimestamp) {
      // A document timestamp is the TSA's proof of time, not the agency's number, date and seal.
      change.kind = 'DOC_TIMESTAMP' satisfies AllowedKind;
      change.descriptionVi = `Thêm dấu thời gian cho cả văn bản${w.report.signerName ? ` (do ${w.report.signerName} cấp)` : ''}; nội dung trang không đổi.`;
      continue;
    }
    if (!w || !w.report.signerIsOrganisation) continue;
    const personalBefore = works.some((o) => o.signedRevision >= 0 && o.signedRevision < k && !o.report.signerIsOrganisation && !o.report.isDocTimestamp);
    if (!personalBefore) continue;
    const where = change.kind === 'SEAL_OVER_SIGNATURE' ? 'dấu đóng trùm lên phần trái chữ ký của lãnh đạo' : change.rect && change.rect.width > 0 ? 'hiển thị tại vùng trống' : 'không hiển thị';
    change.kind = 'DECREE30_ISSUING';
    change.descriptionVi = `Sau chữ ký của lãnh đạo, văn thư đã thêm số, ngày và dấu (chữ ký của cơ quan, ${where}).`;
  }
}

/**
 * Which of `nums` some object of revision `rev` references (a dangling reference when the object does
 * not exist there). Null when the document is too large to walk within the budget: the caller then
 * assumes the worst.
 */
export function referencedIn(file: PdfFile, rev: number, nums: ReadonlySet<number>): Set<number> | null {
  const found = new Set<number>();
  let budget = 400_000;
  const seen = new Set<number>();
  const walk = (o: PdfObject | undefined, depth: number): void => {
    if (depth > 64 || --budget < 0) return;
    if (o instanceof PdfRef) { if (nums.has(o.num)) found.add(o.num); return; }
    if (Array.isArray(o)) { for (const x of o) walk(x, depth + 1); return; }
    const d = dictOf(o ?? undefined);
    if (d) for (const v of d.map.values()) walk(v, depth + 1);
  };
  for (let r = 0; r <= rev; r++) {
    walk(file.trailer(r), 0);
    for (const num of file.revisions[r]!.xref.entries.keys()) {
      if (seen.has(num)) continue;
      seen.add(num);
      if (seen.size > 100_000) return null;
      walk(file.object(num, rev)?.value ?? null, 0);
      if (budget < 0) return null;
    }
  }
  return found;
}