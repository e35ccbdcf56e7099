import type { PdfFile, AnomalyKind } from '../pdf/parse/document';
import { catalog, fields, pageAnnots, pages, type FieldInfo, type Rect } from '../pdf/parse/acroform';
import { contentBoxes, coveredContent, intersection } from '../pdf/parse/content';
import { dictOf, isName, PdfDict, PdfName, PdfRef, PdfStream, sameObject, type PdfObject } from '../pdf/parse/objects';
import type { SignatureWork } from './signature';
import type { SignatureReport } from './report';
import { verdictVi } from './verdict';
import { appearanceNums, fieldShowsContent, isValidationDataOrphan, onlyEmbeddedFilesDiffer, resourcesExtend } from './change-rules';
import type { AllowedKind } from './policy';
import { anomalyVi, checkOrphans, docMdpLevel, labelDecree30, referencedIn } from './update-scope';
import { ScanJudge } from './scan-page';

export type Change = SignatureReport['changesAfter'][number];

/** Structural findings after a signature that also make it a FORMAT_FAILURE (ISA variants 2, 3, 5; hide-and-replace). */
const FORMAT_ANOMALIES: ReadonlySet<AnomalyKind> = new Set(['XREF_OUTSIDE_UPDATE', 'EOF_WITHOUT_XREF', 'TRAILING_DATA', 'UNREFERENCED_BYTES', 'DUPLICATE_OFFSET', 'OBJECT_NUMBER_MISMATCH']);

const FORM_FILL_KEYS = new Set(['V', 'AS', 'AP']);
/** What signing a prepared (empty) signature field sets on it (policy SIGNED_FIELD_ENTRIES). */
const SIGNING_KEYS = new Set(['V', 'AS', 'AP', 'F']);
const ACROFORM_ALLOWED_KEYS = new Set(['Fields', 'SigFlags']);
const ACROFORM_ADDABLE_KEYS = new Set(['DA']);
/** Catalog keys judged by their own rule below; any other catalog change is not allowed. */
const CATALOG_JUDGED_KEYS = new Set(['AcroForm', 'DSS', 'Metadata', 'Extensions', 'Names']);
const READ_ONLY = 1;
/** Long-term validation additions, which even DocMDP level 1 permits (ISO 32000-2 §12.8.2.2.2). */
export const LT_KINDS: ReadonlySet<string> = new Set<AllowedKind>(['DSS', 'DSS_ORPHAN', 'DOC_TIMESTAMP', 'EXTENSIONS']);

/**
 * Post-signing modification analysis (docs/verification.md, "Changes after signing"): a reject-by-default
 * diff of every update after each signature. What may change is the table in policy.ts; everything
 * else, and any xref irregularity after the signature, is reported as not allowed.
 */
export function analyseChanges(file: PdfFile, works: SignatureWork[]): Map<SignatureWork, Change[]> {
  const bySigRef = new Map<number, SignatureWork>();
  for (const w of works) if (w.entry.sigRef) bySigRef.set(w.entry.sigRef.num, w);
  const docMdp = docMdpLevel(file, works);
  const scans = new ScanJudge(file);
  const perUpdate = new Map<number, Change[]>();
  const updateChanges = (k: number): Change[] => {
    let c = perUpdate.get(k);
    if (!c) { c = diffUpdate(file, k, bySigRef, works, docMdp, scans); perUpdate.set(k, c); }
    return c;
  };
  const out = new Map<SignatureWork, Change[]>();
  for (const w of works) {
    const r = w.signedRevision;
    if (r < 0) { out.set(w, []); continue; }
    const list: Change[] = [];
    for (let k = r + 1; k <= file.lastRevision; k++) list.push(...updateChanges(k));
    const signedEnd = file.revisions[r]!.end;
    let formatFailure = false;
    for (const a of file.anomalies) {
      // Cosmetic, or (XREF_REBUILT) already said in the report's repairs; the rebuilt update's objects are diffed like any other.
      if (a.kind === 'LENGTH_MISMATCH' || a.kind === 'STARTXREF_MISMATCH' || a.kind === 'XREF_REBUILT') continue;
      if (a.offset < signedEnd && a.revision <= r) continue;
      list.push({ allowed: false, kind: `STRUCTURE_${a.kind}`, descriptionVi: anomalyVi(a.kind), revision: a.revision });
      if (FORMAT_ANOMALIES.has(a.kind)) formatFailure = true;
    }
    if (formatFailure && w.report.indication !== 'TOTAL_FAILED') {
      w.report.indication = 'TOTAL_FAILED';
      w.report.subIndication = 'FORMAT_FAILURE';
      w.report.summaryVi = verdictVi('TOTAL_FAILED', 'FORMAT_FAILURE', 'tệp có phần bổ sung sau khi ký nằm ngoài cấu trúc hợp lệ');
      w.report.reasons.push('the file after this signature holds data outside a clean incremental update');
    }
    out.set(w, list);
  }
  return out;
}

function refNum(o: PdfObject | undefined): number | null { return o instanceof PdfRef ? o.num : null; }

function sameValue(a: PdfObject | undefined, b: PdfObject | undefined, file: PdfFile): boolean {
  if (a instanceof PdfStream && b instanceof PdfStream) {
    return sameObject(a.dict.map.size ? withoutLength(a.dict) : a.dict, withoutLength(b.dict)) &&
      file.bytes.subarray(a.dataStart, a.dataEnd).equals(file.bytes.subarray(b.dataStart, b.dataEnd));
  }
  return sameObject(a, b);
}
function withoutLength(d: PdfDict): PdfDict {
  const m = new Map(d.map); m.delete('Length');
  return new PdfDict(m, d.start, d.end);
}

/** Keys whose values differ between two dictionaries. */
function changedKeys(a: PdfDict, b: PdfDict): string[] {
  const keys = new Set([...a.map.keys(), ...b.map.keys()]);
  return [...keys].filter((k) => !sameObject(a.get(k), b.get(k)));
}

function refSet(file: PdfFile, o: PdfObject | undefined, rev: number): Set<number> | null {
  const a = file.resolve(o, rev);
  if (a === undefined || a === null) return new Set();
  if (!Array.isArray(a)) return null;
  return new Set(a.filter((x): x is PdfRef => x instanceof PdfRef).map((x) => x.num));
}

function isSuperset(file: PdfFile, before: PdfObject | undefined, after: PdfObject | undefined, prev: number, k: number): boolean {
  const a = refSet(file, before, prev);
  const b = refSet(file, after, k);
  if (!a || !b) return false;
  for (const n of a) if (!b.has(n)) return false;
  return true;
}

function describeObject(v: PdfObject | undefined): string {
  const d = dictOf(v ?? undefined);
  const type = d?.get('Type');
  const sub = d?.get('Subtype');
  if (v instanceof PdfStream && !type) return isName(sub, 'Image') ? 'hình ảnh' : isName(sub, 'Form') ? 'khối nội dung (XObject)' : 'luồng nội dung';
  if (isName(type, 'Font') || isName(type, 'FontDescriptor')) return 'phông chữ';
  if (isName(type, 'Pages')) return 'cây trang';
  if (isName(type, 'XObject')) return isName(sub, 'Image') ? 'hình ảnh' : 'khối nội dung (XObject)';
  if (isName(type, 'Annot')) return 'chú thích';
  return 'đối tượng';
}

function diffUpdate(file: PdfFile, k: number, bySigRef: Map<number, SignatureWork>, works: SignatureWork[], docMdp: number | null, scans: ScanJudge): Change[] {
  const prev = k - 1;
  const out: Change[] = [];
  const add = (allowed: boolean, kind: string, descriptionVi: string, extra: Partial<Change> = {}) => out.push({ allowed, kind, descriptionVi, revision: k, ...extra });
  /** An allowed change: its kind must be a class of the policy table. */
  const allow = (kind: AllowedKind, descriptionVi: string, extra: Partial<Change> = {}) => add(true, kind, descriptionVi, extra);
  const checkAcroForm = (a: PdfDict | null, b: PdfDict | null): void => {
    if (!b) { if (a) add(false, 'ACROFORM', 'Biểu mẫu (AcroForm) của văn bản bị gỡ bỏ.'); return; }
    if (!a) return; // a form added after signing: its fields are judged one by one below
    for (const key of changedKeys(a, b)) {
      if (key === 'Fields') { if (!isSuperset(file, a.get('Fields'), b.get('Fields'), prev, k)) add(false, 'FIELD_REMOVED', 'Một ô của biểu mẫu đã ký bị gỡ bỏ.'); continue; }
      if (ACROFORM_ALLOWED_KEYS.has(key)) continue;
      if (ACROFORM_ADDABLE_KEYS.has(key) && !a.has(key)) continue;
      if (key === 'DR' && resourcesExtend(file, a.get('DR'), b.get('DR'), prev, k)) { allow('DR_ADDITION', 'Bổ sung tài nguyên mặc định của biểu mẫu (phông chữ cho chữ ký mới); tài nguyên cũ giữ nguyên.'); continue; }
      add(false, 'ACROFORM', `Thuộc tính biểu mẫu (AcroForm) bị thay đổi (${key}).`);
    }
  };
  const prevTrailer = file.trailer(prev);
  const rootNum = refNum(prevTrailer.get('Root'));
  const infoNum = refNum(prevTrailer.get('Info'));
  const prevCat = catalog(file, prev);
  const newCat = catalog(file, k);
  if (refNum(file.trailer(k).get('Root')) !== rootNum) add(false, 'CATALOG', 'Danh mục gốc (catalog) của văn bản bị thay thế.');
  const acroFormNum = refNum(prevCat?.get('AcroForm'));
  const prevForm = dictOf(file.resolve(prevCat?.get('AcroForm'), prev));
  const newForm = dictOf(file.resolve(newCat?.get('AcroForm'), k));
  const fieldsArrNum = refNum(prevForm?.get('Fields'));
  // Indirect pieces of the form's default resources: rewriting them is judged as a /DR change.
  const drNums = new Map<number, PdfObject | undefined>();
  const drRef = prevForm?.get('DR');
  if (drRef instanceof PdfRef) drNums.set(drRef.num, drRef);
  const prevDr = dictOf(file.resolve(drRef, prev));
  for (const v of prevDr?.map.values() ?? []) if (v instanceof PdfRef) drNums.set(v.num, v);
  const namesNum = refNum(prevCat?.get('Names'));
  const metadataNum = refNum(prevCat?.get('Metadata'));
  const prevPages = pages(file, prev);
  const pageByNum = new Map(prevPages.filter((p) => p.ref).map((p) => [p.ref!.num, p]));
  const annotArrNums = new Map<number, number>();
  for (const p of prevPages) { const a = refNum(p.dict.get('Annots')); if (a !== null) annotArrNums.set(a, p.index); }
  const prevFields = fields(file, prev);
  const fieldByNum = new Map<number, FieldInfo>();
  const widgetOwner = new Map<number, FieldInfo>();
  const sigDictNums = new Set<number>();
  const newFieldsByNum = new Map(fields(file, k).filter((f) => f.ref).map((f) => [f.ref!.num, f]));
  /** Empty signature fields that this update signs (their /V becomes a signature dictionary). */
  const signedNow = (f: FieldInfo): boolean => f.type === 'Sig' && f.dict.get('V') === undefined && !!f.ref && newFieldsByNum.get(f.ref.num)?.dict.get('V') instanceof PdfRef;
  const blankAppearance = new Map<number, FieldInfo>();
  for (const f of prevFields) {
    if (f.ref) fieldByNum.set(f.ref.num, f);
    for (const w of f.widgets) if (w.ref) widgetOwner.set(w.ref.num, f);
    const v = f.dict.get('V');
    if (f.type === 'Sig' && v instanceof PdfRef) sigDictNums.add(v.num);
    if (signedNow(f)) for (const n of appearanceNums(file, f.widgets.map((w) => w.dict), prev)) blankAppearance.set(n, f);
  }
  const dssNums = new Set<number>();
  const collect = (o: PdfObject | undefined, depth: number): void => {
    if (depth > 4) return;
    if (o instanceof PdfRef) { if (dssNums.has(o.num)) return; dssNums.add(o.num); o = file.resolve(o, prev); }
    if (Array.isArray(o)) o.slice(0, 1000).forEach((x) => collect(x, depth + 1));
    else if (o instanceof PdfDict) for (const v of o.map.values()) collect(v, depth + 1);
  };
  collect(prevCat?.get('DSS'), 0);
  const pageTreeNums = new Set<number>();
  const walkTree = (o: PdfObject | undefined, depth: number): void => {
    if (!(o instanceof PdfRef) || depth > 64 || pageTreeNums.has(o.num) || pageTreeNums.size > 10_000) return;
    pageTreeNums.add(o.num);
    const kids = file.resolve(dictOf(file.resolve(o, prev))?.get('Kids'), prev);
    if (Array.isArray(kids)) kids.forEach((x) => walkTree(x, depth + 1));
  };
  walkTree(prevCat?.get('Pages'), 0);

  const formFillAllowed = docMdp === null || docMdp >= 2;
  const boxesCache = new Map<number, Rect[]>();
  const boxesOf = (pageIndex: number): Rect[] => {
    let b = boxesCache.get(pageIndex);
    if (!b) {
      const p = prevPages[pageIndex];
      try {
        b = p ? contentBoxes(file, p.dict, prev) : [];
      } catch {
        // Unreadable page content (bomb, corrupt stream): assume it covers the whole page.
        b = [{ x: -1e6, y: -1e6, width: 2e6, height: 2e6 }];
      }
      boxesCache.set(pageIndex, b);
    }
    return b;
  };
  const judgeNames = (before: PdfObject | undefined, after: PdfObject | undefined): void => {
    if (onlyEmbeddedFilesDiffer(file, before, after, prev, k)) allow('EMBEDDED_FILES', 'Bổ sung tệp đính kèm chứa dữ liệu kiểm tra chữ ký dài hạn; nội dung trang không đổi.');
    else add(false, 'CATALOG', 'Danh mục tên (Names) của văn bản bị thay đổi ngoài phần tệp đính kèm (có thể thêm mã lệnh JavaScript).');
  };
  /** Filling a field: allowed only where the signer saw a blank, and the blank is not over signed content. */
  const judgeFill = (field: FieldInfo): void => {
    const place = widgetPlace(field);
    if (fieldShowsContent(file, field.dict, field.widgets.map((w) => w.dict), prev)) {
      add(false, 'FIELD_VALUE_REPLACED', `Ô "${field.name}" đã có nội dung khi ký nay hiển thị nội dung khác — người ký đã thấy nội dung cũ ở vị trí này.`, place);
      return;
    }
    const w = field.widgets.find((x) => x.page !== null && x.rect.width > 0 && x.rect.height > 0);
    if (w && coveredContent(w.rect, boxesOf(w.page!)).length > 0) {
      add(false, 'FORM_FILL_OVER_CONTENT', `Ô "${field.name}" được điền sau khi ký nằm đè lên nội dung đã ký ở trang ${w.page! + 1}, làm thay đổi nội dung hiển thị.`, place);
      return;
    }
    if (formFillAllowed) allow('FORM_FILL', `Ô trống "${field.name}" được điền nội dung sau khi ký, tại vùng trống của trang.`, place);
    else add(false, 'FORM_FILL', `Ô "${field.name}" được điền nội dung dù văn bản được chứng thực không cho phép.`, place);
  };
  let dssAdded = false;
  let validationOrphans = 0;
  const orphans: number[] = [];
  checkOrphans(file, k, (num) => orphans.push(num));
  // Validation data nothing references is harmless unless it fills a dangling reference of the signed revision.
  const dangling = orphans.length ? referencedIn(file, prev, new Set(orphans)) : new Set<number>();
  for (const num of orphans) {
    if (dangling && !dangling.has(num) && isValidationDataOrphan(file, file.object(num, k)?.value)) { validationOrphans++; continue; }
    add(false, 'ORPHAN_OBJECT', `Bản cập nhật thêm đối tượng số ${num} mà không nơi nào trong bản cập nhật dẫn tới (có thể lấp vào một tham chiếu treo của bản đã ký).`);
  }
  if (validationOrphans) allow('DSS_ORPHAN', `Bản cập nhật có ${validationOrphans} đối tượng dữ liệu kiểm tra chữ ký (VRI, chứng thư, danh sách thu hồi) không được tham chiếu; chúng không hiển thị.`);
  for (const [num, e] of file.revisions[k]!.xref.entries) {
    if (num === 0) continue;
    const before = file.object(num, prev);
    if (e.kind === 'free') {
      if (before) add(false, 'OBJECT_DELETED', `Một ${describeObject(before.value)} (đối tượng số ${num}) của bản đã ký bị xoá.`);
      continue;
    }
    if (!before) continue;
    const after = file.object(num, k);
    if (sameValue(before.value, after?.value, file)) continue;
    const bd = dictOf(before.value);
    const ad = dictOf(after?.value ?? undefined);
    if (num === rootNum) {
      if (!bd || !ad) { add(false, 'CATALOG', 'Danh mục gốc (catalog) của văn bản bị thay đổi.'); continue; }
      const keys = changedKeys(bd, ad);
      const bad = keys.filter((key) => !CATALOG_JUDGED_KEYS.has(key));
      if (bad.length) add(false, 'CATALOG', `Danh mục gốc của văn bản bị thay đổi (${bad.join(', ')}).`);
      if (keys.includes('Extensions')) allow('EXTENSIONS', 'Khai báo mức mở rộng của định dạng PDF (ví dụ PAdES) được bổ sung.');
      if (keys.includes('Names')) judgeNames(bd.get('Names'), ad.get('Names'));
      if (!sameObject(bd.get('DSS'), ad.get('DSS'))) dssAdded = true;
      if (!sameObject(bd.get('AcroForm'), ad.get('AcroForm')) && !(bd.get('AcroForm') instanceof PdfRef && ad.get('AcroForm') instanceof PdfRef && acroFormNum === refNum(ad.get('AcroForm')))) {
        checkAcroForm(prevForm, newForm);
      }
      continue;
    }
    if (num === acroFormNum) { checkAcroForm(bd, ad); continue; }
    if (drNums.has(num)) {
      if (resourcesExtend(file, before.value, after?.value, prev, k)) allow('DR_ADDITION', 'Bổ sung tài nguyên mặc định của biểu mẫu (phông chữ cho chữ ký mới); tài nguyên cũ giữ nguyên.');
      else add(false, 'ACROFORM', `Tài nguyên mặc định của biểu mẫu (đối tượng số ${num}) bị thay đổi, không chỉ bổ sung.`);
      continue;
    }
    if (num === namesNum) { judgeNames(before.value, after?.value); continue; }
    const blank = blankAppearance.get(num);
    if (blank) { allow('EMPTY_FIELD_APPEARANCE', `Hình thức hiển thị của ô chữ ký trống "${blank.name}" được thay bằng hình thức của chữ ký vừa ký vào ô đó.`); continue; }
    if (num === fieldsArrNum || annotArrNums.has(num)) {
      if (!isSuperset(file, before.value, after?.value, prev, k)) add(false, num === fieldsArrNum ? 'FIELD_REMOVED' : 'ANNOTATION_REMOVED', 'Một ô hoặc chú thích của bản đã ký bị gỡ bỏ.');
      continue;
    }
    const page = pageByNum.get(num);
    if (page) {
      if (!bd || !ad) { add(false, 'PAGE', `Trang ${page.index + 1} bị thay đổi.`, { page: page.index }); continue; }
      const keys = changedKeys(bd, ad).filter((key) => key !== 'Annots');
      if (keys.length) add(false, 'PAGE', `Nội dung hoặc tài nguyên của trang ${page.index + 1} bị thay đổi (${keys.join(', ')}).`, { page: page.index });
      if (!isSuperset(file, bd.get('Annots'), ad.get('Annots'), prev, k)) add(false, 'ANNOTATION_REMOVED', `Một chú thích của trang ${page.index + 1} bị gỡ bỏ.`, { page: page.index });
      continue;
    }
    if (pageTreeNums.has(num)) { add(false, 'PAGE_TREE', 'Cây trang của văn bản bị thay đổi (thêm, bớt hoặc thay trang).'); continue; }
    if (sigDictNums.has(num)) { add(false, 'SIGNATURE_CHANGED', 'Thông tin của một chữ ký đã có bị sửa.'); continue; }
    const field = fieldByNum.get(num) ?? widgetOwner.get(num);
    if (field && bd && ad) {
      const keys = changedKeys(bd, ad);
      const isSig = field.type === 'Sig';
      const hadValue = field.dict.get('V') !== undefined;
      const onlyFill = keys.every((key) => FORM_FILL_KEYS.has(key));
      const locked = (field.flags & READ_ONLY) !== 0 || bd.has('Lock') && !isSig;
      if (isSig && hadValue) add(false, 'SIGNATURE_CHANGED', `Ô chữ ký "${field.name}" đã ký bị sửa.`);
      else if (isSig && signedNow(field) && keys.every((key) => SIGNING_KEYS.has(key))) {
        if (keys.some((key) => key !== 'V')) allow('SIGNED_FIELD_ENTRIES', `Ô chữ ký "${field.name}" nhận giá trị và hình thức hiển thị khi được ký.`);
      } else if (isSig && onlyFill && !keys.includes('V')) add(false, 'FIELD_CHANGED', `Hình thức hiển thị của ô chữ ký trống "${field.name}" bị thay đổi.`, widgetPlace(field));
      else if (isSig && onlyFill) { /* an empty signature field being signed: judged with the new signature */ }
      else if (!onlyFill) add(false, 'FIELD_CHANGED', `Thuộc tính của ô "${field.name}" bị sửa (${keys.join(', ')}), không phải điền nội dung.`);
      else if (locked) add(false, 'LOCKED_FIELD_FILLED', `Ô "${field.name}" bị khoá nhưng vẫn bị điền nội dung.`);
      else judgeFill(field);
      continue;
    }
    if (dssNums.has(num)) { dssAdded = true; continue; }
    if (num === infoNum || num === metadataNum) { allow('METADATA', 'Thông tin mô tả của tệp (metadata) được cập nhật.'); continue; }
    // The object and its changed keys, to find it in the file; key names come from the file, so only plain ones are quoted.
    const keys = bd && ad ? changedKeys(bd, ad) : [], plain = keys.filter((key) => /^[A-Za-z0-9_.-]{1,40}$/.test(key)).slice(0, 8);
    const what = keys.length ? `các khóa ${[...plain.map((key) => `/${key}`), ...(keys.length > plain.length ? [`${keys.length - plain.length} khóa khác`] : [])].join(', ')}` : before.value instanceof PdfStream ? 'nội dung luồng' : 'giá trị';
    add(false, 'OBJECT_CHANGED', `Một ${describeObject(before.value)} (đối tượng số ${num}) của bản đã ký bị thay đổi: ${what}.`);
  }
  if (dssAdded) allow('DSS', 'Bổ sung dữ liệu phục vụ kiểm tra chữ ký dài hạn (DSS).');

  // New annotations and widgets on each page.
  const newPages = pages(file, k);
  const newFields = fields(file, k);
  const newWidgetOwner = new Map<number, FieldInfo>();
  for (const f of newFields) for (const w of f.widgets) if (w.ref) newWidgetOwner.set(w.ref.num, f);
  const prevSigWidgets = prevFields.filter((f) => f.type === 'Sig' && f.dict.get('V') !== undefined).flatMap((f) => f.widgets.filter((w) => w.rect.width > 0 && w.rect.height > 0));
  const newSigChanges: Array<{ change: Change; field: FieldInfo }> = [];
  for (const p of newPages) {
    const before = prevPages[p.index];
    const old = new Set(before ? pageAnnots(file, before, prev).map(refNum) : []);
    for (const a of pageAnnots(file, p, k)) {
      const n = refNum(a);
      if (n !== null && old.has(n)) continue;
      const d = dictOf(file.resolve(a, k));
      if (!d) continue;
      const rect = rectFrom(file, d, k);
      const place = { page: p.index, rect };
      const boxes = rect.width > 0 && rect.height > 0 ? coveredContent(rect, boxesOf(p.index)) : [];
      // A scan is one image under everything: its pixels say whether the place was blank (scan-page.ts).
      const onScan = boxes.length > 0 && before ? scans.judge(before.dict, p.index, prev, rect, d, k) : 'not-scan';
      const covered = onScan === 'blank' ? [] : boxes;
      const blankVi = onScan === 'blank' ? 'vùng trống (nền giấy trong bản quét)' : 'vùng trống';
      if (isName(d.get('Subtype'), 'Widget')) {
        const owner = n !== null ? newWidgetOwner.get(n) : undefined;
        if (!owner || (owner.ref && fieldByNum.has(owner.ref.num))) { add(false, 'WIDGET_ADDED', `Một ô nhập liệu mới được thêm vào trang ${p.index + 1}.`, place); continue; }
        if (owner.type !== 'Sig') { add(false, 'NEW_FORM_FIELD', `Một ô nhập liệu mới được thêm vào trang ${p.index + 1} sau khi ký.`, place); continue; }
        const signed = owner.dict.get('V') instanceof PdfRef;
        if (!signed && docMdp !== null && docMdp <= 2) { add(false, 'UNSIGNED_SIGNATURE_FIELD', 'Một ô chữ ký trống được thêm vào văn bản đã chứng thực.', place); continue; }
        const over = prevSigWidgets.filter((w) => w.page === p.index && intersection(w.rect, rect) > 0);
        // The Decree-30 seal: over the left part of an earlier signature, about its size. A real-size seal
        // also touches the title and name printed around the signature, so covered text is allowed here.
        const sealLike = over.length > 0 && over.every((w) =>
          rect.x < w.rect.x + w.rect.width / 3 && rect.x + rect.width <= w.rect.x + w.rect.width * 0.45 + 1 &&
          rect.width * rect.height <= 2 * w.rect.width * w.rect.height);
        if (covered.length > 0 && !sealLike && onScan !== 'stamp') { add(false, 'OVERLAY', `Ô chữ ký mới che lên nội dung đã ký ở trang ${p.index + 1}.`, place); continue; }
        if (over.length > 0 && !sealLike) { add(false, 'OVERLAY_SIGNATURE', `Ô mới che lên chữ ký đã có ở trang ${p.index + 1}.`, place); continue; }
        if (sealLike) {
          const text = covered.length > 0 ? ' và một phần chữ in bên cạnh' : '';
          const change: Change = { allowed: true, kind: 'SEAL_OVER_SIGNATURE', descriptionVi: `Dấu của cơ quan được đóng trùm lên khoảng một phần ba bên trái chữ ký trước${text}.`, revision: k, ...place };
          out.push(change);
          newSigChanges.push({ change, field: owner });
          continue;
        }
        const change: Change = onScan === 'stamp'
          ? { allowed: true, kind: 'SEAL_ON_SCAN', descriptionVi: `Dấu đỏ của cơ quan được đóng lên bản quét ở trang ${p.index + 1} (ảnh dấu nền trong suốt, không che chữ bằng màu khác).`, revision: k, ...place }
          : { allowed: true, kind: 'NEW_SIGNATURE', descriptionVi: rect.width > 0 ? `Thêm chữ ký số mới, hiển thị tại ${blankVi} của trang ${p.index + 1}.` : 'Thêm chữ ký số mới (không hiển thị).', revision: k, ...place };
        out.push(change);
        newSigChanges.push({ change, field: owner });
        continue;
      }
      const permitted = docMdp === 3 || (docMdp === null && covered.length === 0);
      const sub = d.get('Subtype');
      add(permitted, 'ANNOTATION', `Thêm chú thích${sub instanceof PdfName ? ` (${sub.name})` : ''} ở trang ${p.index + 1}${covered.length ? ', che lên nội dung đã ký' : ''}.`, place);
    }
  }
  // Invisible signatures have no page annotation in some writers: count new signed fields too.
  for (const f of newFields) {
    if (f.type !== 'Sig' || (f.ref && fieldByNum.has(f.ref.num))) continue;
    if (newSigChanges.some((c) => c.field === f)) continue;
    if (f.widgets.some((w) => w.rect.width > 0 && w.rect.height > 0)) continue;
    const change: Change = { allowed: true, kind: 'NEW_SIGNATURE', descriptionVi: 'Thêm chữ ký số mới (không hiển thị).', revision: k };
    out.push(change);
    newSigChanges.push({ change, field: f });
  }
  for (const f of prevFields) {
    // An existing empty signature field that was signed in this update.
    if (f.type !== 'Sig' || f.dict.get('V') !== undefined || !f.ref) continue;
    const now = newFields.find((x) => x.ref?.num === f.ref!.num);
    if (now?.dict.get('V') instanceof PdfRef) {
      const change: Change = { allowed: true, kind: 'NEW_SIGNATURE', descriptionVi: `Ô chữ ký "${f.name}" được ký.`, revision: k };
      out.push(change);
      newSigChanges.push({ change, field: now });
    }
  }
  labelDecree30(newSigChanges, bySigRef, works, k);
  if (docMdp === 1) for (const c of out) if (!LT_KINDS.has(c.kind)) c.allowed = false;
  return out;
}

function rectFrom(file: PdfFile, d: PdfDict, rev: number): Rect {
  const a = file.resolve(d.get('Rect'), rev);
  if (!Array.isArray(a) || a.length !== 4) return { x: 0, y: 0, width: 0, height: 0 };
  const n = a.map((v) => { const r = file.resolve(v, rev); return typeof r === 'number' ? r : 0; }) as [number, number, number, number];
  return { x: Math.min(n[0], n[2]), y: Math.min(n[1], n[3]), width: Math.abs(n[2] - n[0]), height: Math.abs(n[3] - n[1]) };
}

function widgetPlace(f: FieldInfo): Partial<Change> {
  const w = f.widgets[0];
  return w && w.page !== null ? { page: w.page, rect: w.rect } : {};
}

