import type { PdfFile, AnomalyKind } from '../pdf/parse/document';
import { catalog, fields, pageAnnots, pages, type FieldInfo, type Rect } from '../pdf/parse/acroform';
import { contentBoxes, coveredContent, intersection } from '../pdf/parse/content';
import { dictOf, isName, PdfDict, PdfName, PdfRef, PdfStream, sameObject, type PdfObject } from '../pdf/parse/objects';
import type { SignatureWork } from './signature';
import type { SignatureReport } from './report';
import { verdictVi } from './verdict';

export type Change = SignatureReport['changesAfter'][number];

/** Structural findings after a signature that also make it a FORMAT_FAILURE (ISA variants 2, 3, 5; hide-and-replace). */
const FORMAT_ANOMALIES: ReadonlySet<AnomalyKind> = new Set(['XREF_OUTSIDE_UPDATE', 'EOF_WITHOUT_XREF', 'TRAILING_DATA', 'UNREFERENCED_BYTES', 'DUPLICATE_OFFSET', 'OBJECT_NUMBER_MISMATCH']);

const FORM_FILL_KEYS = new Set(['V', 'AS', 'AP']);
const ACROFORM_ALLOWED_KEYS = new Set(['Fields', 'SigFlags']);
const ACROFORM_ADDABLE_KEYS = new Set(['DA', 'DR']);
const CATALOG_ALLOWED_KEYS = new Set(['AcroForm', 'DSS', 'Metadata']);
const READ_ONLY = 1;

/**
 * Post-signing modification analysis (signing.md §6.3): a reject-by-default diff of every update after
 * each signature. Allowed: new signature fields (over blank space, or a seal over the left part of an
 * earlier signature), filling unlocked fields where DocMDP permits, DSS and metadata. Everything else,
 * and any xref irregularity after the signature, is reported as not allowed.
 */
export function analyseChanges(file: PdfFile, works: SignatureWork[]): Map<SignatureWork, Change[]> {
  const bySigRef = new Map<number, SignatureWork>();
  for (const w of works) if (w.entry.sigRef) bySigRef.set(w.entry.sigRef.num, w);
  const docMdp = docMdpLevel(file, works);
  const perUpdate = new Map<number, Change[]>();
  const updateChanges = (k: number): Change[] => {
    let c = perUpdate.get(k);
    if (!c) { c = diffUpdate(file, k, bySigRef, works, docMdp); perUpdate.set(k, c); }
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
      if (a.kind === 'LENGTH_MISMATCH' || a.kind === 'STARTXREF_MISMATCH') continue;
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

function anomalyVi(kind: AnomalyKind): string {
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
    default: return 'Cấu trúc tệp bất thường sau khi ký.';
  }
}

/** DocMDP /P of a certification signature (catalog /Perms /DocMDP), if the document is certified. */
function docMdpLevel(file: PdfFile, works: SignatureWork[]): number | null {
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

function diffUpdate(file: PdfFile, k: number, bySigRef: Map<number, SignatureWork>, works: SignatureWork[], docMdp: number | null): Change[] {
  const prev = k - 1;
  const out: Change[] = [];
  const add = (allowed: boolean, kind: string, descriptionVi: string, extra: Partial<Change> = {}) => out.push({ allowed, kind, descriptionVi, revision: k, ...extra });
  const checkAcroForm = (a: PdfDict | null, b: PdfDict | null): void => {
    if (!b) { if (a) add(false, 'ACROFORM', 'Biểu mẫu (AcroForm) của văn bản bị gỡ bỏ.'); return; }
    if (!a) return; // a form added after signing: its fields are judged one by one below
    for (const key of changedKeys(a, b)) {
      if (key === 'Fields') { if (!isSuperset(file, a.get('Fields'), b.get('Fields'), prev, k)) add(false, 'FIELD_REMOVED', 'Một ô của biểu mẫu đã ký bị gỡ bỏ.'); continue; }
      if (ACROFORM_ALLOWED_KEYS.has(key)) continue;
      if (ACROFORM_ADDABLE_KEYS.has(key) && !a.has(key)) continue;
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
  const metadataNum = refNum(prevCat?.get('Metadata'));
  const prevPages = pages(file, prev);
  const pageByNum = new Map(prevPages.filter((p) => p.ref).map((p) => [p.ref!.num, p]));
  const annotArrNums = new Map<number, number>();
  for (const p of prevPages) { const a = refNum(p.dict.get('Annots')); if (a !== null) annotArrNums.set(a, p.index); }
  const prevFields = fields(file, prev);
  const fieldByNum = new Map<number, FieldInfo>();
  const widgetOwner = new Map<number, FieldInfo>();
  const sigDictNums = new Set<number>();
  for (const f of prevFields) {
    if (f.ref) fieldByNum.set(f.ref.num, f);
    for (const w of f.widgets) if (w.ref) widgetOwner.set(w.ref.num, f);
    const v = f.dict.get('V');
    if (f.type === 'Sig' && v instanceof PdfRef) sigDictNums.add(v.num);
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
  let dssAdded = false;
  checkOrphans(file, k, (num) => add(false, 'ORPHAN_OBJECT', `Bản cập nhật thêm đối tượng số ${num} mà không nơi nào trong bản cập nhật dẫn tới (có thể lấp vào một tham chiếu treo của bản đã ký).`));
  for (const [num, e] of file.revisions[k]!.xref.entries) {
    if (num === 0) continue;
    const before = file.object(num, prev);
    if (e.kind === 'free') {
      if (before) add(false, 'OBJECT_DELETED', `Một ${describeObject(before.value)} của bản đã ký bị xoá.`);
      continue;
    }
    if (!before) continue;
    const after = file.object(num, k);
    if (sameValue(before.value, after?.value, file)) continue;
    const bd = dictOf(before.value);
    const ad = dictOf(after?.value ?? undefined);
    if (num === rootNum) {
      if (!bd || !ad) { add(false, 'CATALOG', 'Danh mục gốc (catalog) của văn bản bị thay đổi.'); continue; }
      const bad = changedKeys(bd, ad).filter((key) => !CATALOG_ALLOWED_KEYS.has(key));
      if (bad.length) add(false, 'CATALOG', `Danh mục gốc của văn bản bị thay đổi (${bad.join(', ')}).`);
      if (!sameObject(bd.get('DSS'), ad.get('DSS'))) dssAdded = true;
      if (!sameObject(bd.get('AcroForm'), ad.get('AcroForm')) && !(bd.get('AcroForm') instanceof PdfRef && ad.get('AcroForm') instanceof PdfRef && acroFormNum === refNum(ad.get('AcroForm')))) {
        checkAcroForm(prevForm, newForm);
      }
      continue;
    }
    if (num === acroFormNum) { checkAcroForm(bd, ad); continue; }
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
      else if (isSig && onlyFill) { /* an empty signature field being signed: judged with the new signature */ }
      else if (!onlyFill) add(false, 'FIELD_CHANGED', `Thuộc tính của ô "${field.name}" bị sửa (${keys.join(', ')}), không phải điền nội dung.`);
      else if (locked) add(false, 'LOCKED_FIELD_FILLED', `Ô "${field.name}" bị khoá nhưng vẫn bị điền nội dung.`);
      else add(formFillAllowed, 'FORM_FILL', `Ô "${field.name}" được điền nội dung sau khi ký; cần xem lại nội dung hiển thị.`, widgetPlace(field));
      continue;
    }
    if (dssNums.has(num)) { dssAdded = true; continue; }
    if (num === infoNum || num === metadataNum) { add(true, 'METADATA', 'Thông tin mô tả của tệp (metadata) được cập nhật.'); continue; }
    add(false, 'OBJECT_CHANGED', `Một ${describeObject(before.value)} của bản đã ký bị thay đổi.`);
  }
  if (dssAdded) add(true, 'DSS', 'Bổ sung dữ liệu phục vụ kiểm tra chữ ký dài hạn (DSS).');

  // New annotations and widgets on each page.
  const newPages = pages(file, k);
  const newFields = fields(file, k);
  const newWidgetOwner = new Map<number, FieldInfo>();
  for (const f of newFields) for (const w of f.widgets) if (w.ref) newWidgetOwner.set(w.ref.num, f);
  const prevSigWidgets = prevFields.filter((f) => f.type === 'Sig' && f.dict.get('V') !== undefined).flatMap((f) => f.widgets.filter((w) => w.rect.width > 0 && w.rect.height > 0));
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
      const covered = rect.width > 0 && rect.height > 0 ? coveredContent(rect, boxesOf(p.index)) : [];
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
        if (covered.length > 0 && !sealLike) { add(false, 'OVERLAY', `Ô chữ ký mới che lên nội dung đã ký ở trang ${p.index + 1}.`, place); continue; }
        if (over.length > 0 && !sealLike) { add(false, 'OVERLAY_SIGNATURE', `Ô mới che lên chữ ký đã có ở trang ${p.index + 1}.`, place); continue; }
        if (sealLike) {
          const text = covered.length > 0 ? ' và một phần chữ in bên cạnh' : '';
          const change: Change = { allowed: true, kind: 'SEAL_OVER_SIGNATURE', descriptionVi: `Dấu của cơ quan được đóng trùm lên khoảng một phần ba bên trái chữ ký trước${text}.`, revision: k, ...place };
          out.push(change);
          newSigChanges.push({ change, field: owner });
          continue;
        }
        const change: Change = { allowed: true, kind: 'NEW_SIGNATURE', descriptionVi: rect.width > 0 ? `Thêm chữ ký số mới, hiển thị tại vùng trống của trang ${p.index + 1}.` : 'Thêm chữ ký số mới (không hiển thị).', revision: k, ...place };
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
  if (docMdp === 1) for (const c of out) if (c.kind !== 'DSS') c.allowed = false;
  return out;
}

/**
 * New objects of an update must be reached from something the update itself wrote (or its trailer).
 * An unreferenced new object can only matter by filling a dangling reference of the signed revision,
 * which would change what it draws without touching a signed object.
 */
function checkOrphans(file: PdfFile, k: number, report: (num: number) => void): void {
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

/**
 * The Decree-30 issuing pattern: after a person's signature, the agency (an organisation certificate)
 * signs with widgets over blank space (number, date) and a seal over the left of the earlier signature.
 */
function labelDecree30(newSigs: Array<{ change: Change; field: FieldInfo }>, bySigRef: Map<number, SignatureWork>, works: SignatureWork[], k: number): void {
  for (const { change, field } of newSigs) {
    const v = field.dict.get('V');
    const w = v instanceof PdfRef ? bySigRef.get(v.num) : undefined;
    if (!w || !w.report.signerIsOrganisation) continue;
    const personalBefore = works.some((o) => o.signedRevision >= 0 && o.signedRevision < k && !o.report.signerIsOrganisation && !o.report.isDocTimestamp);
    if (!personalBefore) continue;
    const where = change.kind === 'SEAL_OVER_SIGNATURE' ? 'dấu đóng trùm lên phần trái chữ ký của lãnh đạo' : change.rect && change.rect.width > 0 ? 'hiển thị tại vùng trống' : 'không hiển thị';
    change.kind = 'DECREE30_ISSUING';
    change.descriptionVi = `Sau chữ ký của lãnh đạo, văn thư đã thêm số, ngày và dấu (chữ ký của cơ quan, ${where}).`;
  }
}
