/**
 * Generators for the attack classes of docs/verification.md ("Attacks"). Each takes a validly signed PDF and returns the
 * manipulated bytes; the tests assert the verdict for each. Byte-level on purpose: attackers do not use
 * well-behaved libraries.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PdfFile } from '../../src-main/core/pdf/parse/document';
import { catalog, fields, pages } from '../../src-main/core/pdf/parse/acroform';
import { dictOf, PdfRef, PdfStream } from '../../src-main/core/pdf/parse/objects';
import { signatureEntries } from '../../src-main/core/pdf/parse/signatures';
import { appendUpdate, editDict, nextObjectNumber, serialize } from './incremental';

/** The last signature's dictionary span, ByteRange text span and /Contents span. */
function lastSig(pdf: Buffer) {
  const file = new PdfFile(pdf);
  const entries = signatureEntries(file);
  const e = entries[entries.length - 1]!;
  const brAt = pdf.lastIndexOf('/ByteRange', e.contents!.start, 'latin1');
  const brStart = pdf.indexOf('[', brAt);
  const brEnd = pdf.indexOf(']', brStart) + 1;
  return { file, entry: e, dictStart: e.dict.start, dictEnd: e.dict.end, brAt, brStart, brEnd, cStart: e.contents!.start, cEnd: e.contents!.end };
}

/** Overwrites [from, to) with `text`, space-padded to the same length (throws if it does not fit). */
function overwrite(pdf: Buffer, from: number, to: number, text: string): Buffer {
  if (text.length > to - from) throw new Error(`overwrite: ${text.length} > ${to - from}`);
  const out = Buffer.from(pdf);
  out.write(text.padEnd(to - from, ' '), from, 'latin1');
  return out;
}

function cmsWithoutSigners(withCerts: Buffer | null): Buffer {
  const sd = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1' }),
    signerInfos: [],
    ...(withCerts ? { certificates: [new pkijs.Certificate({ schema: asn1js.fromBER(new Uint8Array(withCerts)).result })] } : {}),
  });
  return Buffer.from(new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: sd.toSchema(true) }).toSchema().toBER());
}

/** Universal Signature Forgery variants (in place, lengths kept). `otherCms` is a CMS from another document. */
export function usfVariants(pdf: Buffer, otherCms: Buffer, cert: Buffer): Array<{ name: string; pdf: Buffer }> {
  const s = lastSig(pdf);
  const hexLen = s.cEnd - s.cStart - 2;
  const contentsKey = pdf.lastIndexOf('/Contents', s.cStart, 'latin1');
  const withHex = (hex: string) => overwrite(pdf, s.cStart, s.cEnd, `<${hex.padEnd(hexLen, '0')}>`);
  const br = (text: string) => overwrite(pdf, s.brStart, s.brEnd, text);
  const brKeyAndValue = (text: string) => overwrite(pdf, s.brAt, s.brEnd, text);
  const [, b, c, d] = (s.entry.dict.get('ByteRange') as number[]);
  const out: Array<{ name: string; pdf: Buffer }> = [
    { name: 'contents removed', pdf: overwrite(pdf, contentsKey, s.cEnd, '') },
    { name: 'contents null', pdf: overwrite(pdf, contentsKey, s.cEnd, '/Contents null') },
    { name: 'contents empty', pdf: overwrite(pdf, s.cStart, s.cEnd, '<>') },
    { name: 'contents 00', pdf: overwrite(pdf, s.cStart, s.cEnd, '<00>') },
    { name: 'contents zeros', pdf: withHex('') },
    { name: 'cms of another document', pdf: withHex(otherCms.toString('hex')) },
    { name: 'cms with empty signerInfos', pdf: withHex(cmsWithoutSigners(null).toString('hex')) },
    { name: 'cms with certificates only', pdf: withHex(cmsWithoutSigners(cert).toString('hex')) },
    { name: 'byterange removed', pdf: brKeyAndValue('') },
    { name: 'byterange null', pdf: br('null') },
    { name: 'byterange empty', pdf: br('[]') },
    { name: 'byterange zeros', pdf: br('[0 0 0 0]') },
    { name: 'byterange negative', pdf: br(`[0 ${b} ${c} -${d}]`) },
    { name: 'byterange past eof', pdf: br(`[0 ${b} ${c} ${d! + 1000}]`) },
    { name: 'byterange three items', pdf: br(`[0 ${b} ${c}]`) },
    { name: 'byterange five items', pdf: br(`[0 ${b} ${c} ${d} 0]`) },
    { name: 'byterange non-integers', pdf: br(`[0 ${b}.0 ${c} ${d}.5]`) },
    { name: 'byterange one range', pdf: br(`[0 ${pdf.length}]`) },
    { name: 'byterange partial', pdf: br(`[0 10 20 50]`) },
  ];
  const sub = pdf.indexOf('/SubFilter', s.dictStart, 'latin1');
  if (sub > 0 && sub < s.dictEnd) {
    const subEnd = sub + 10 + (/^\s*\/[A-Za-z0-9.]+/.exec(pdf.toString('latin1', sub + 10, sub + 60))?.[0].length ?? 0);
    out.push({ name: 'subfilter removed', pdf: overwrite(pdf, sub, subEnd, '') });
    out.push({ name: 'subfilter unknown', pdf: overwrite(pdf, sub, subEnd, '/SubFilter /x.y') });
  }
  const filt = pdf.indexOf('/Filter', s.dictStart, 'latin1');
  if (filt > 0 && filt < s.dictEnd) {
    const fEnd = filt + 7 + (/^\s*\/[A-Za-z0-9.]+/.exec(pdf.toString('latin1', filt + 7, filt + 60))?.[0].length ?? 0);
    out.push({ name: 'filter removed', pdf: overwrite(pdf, filt, fEnd, '') });
  }
  return out;
}

/** Incremental Saving Attack: page 1 gets new content in an appended update (variants 1–5). */
export function isa(pdf: Buffer, variant: 1 | 2 | 3 | 4 | 5): Buffer {
  const file = new PdfFile(pdf);
  const rev = file.lastRevision;
  const page = pages(file, rev)[0]!;
  const n = nextObjectNumber(pdf);
  const content = 'q 0 0 0 rg 72 300 200 30 re f Q';
  const objects = [
    { num: n, body: `<</Length ${content.length}>>\nstream\n${content}\nendstream` },
    { num: page.ref!.num, body: editDict(page.dict, { Contents: `${n} 0 R` }) },
  ];
  const prevXref = file.revisions[rev]!.xref.offset;
  switch (variant) {
    case 1: return appendUpdate(pdf, { objects });
    case 2: return appendUpdate(pdf, { objects, noXref: true });
    case 3: return appendUpdate(pdf, { objects, noTrailer: true });
    case 4: return appendUpdate(pdf, { objects, size: n });
    case 5: return appendUpdate(pdf, { objects, startxref: prevXref });
  }
}

/** A new page appended to the page tree after signing (ISA with /Kids). */
export function isaNewPage(pdf: Buffer): Buffer {
  const file = new PdfFile(pdf);
  const rev = file.lastRevision;
  const cat = catalog(file, rev)!;
  const pagesRef = cat.get('Pages') as PdfRef;
  const node = dictOf(file.resolve(pagesRef, rev))!;
  const kids = file.resolve(node.get('Kids'), rev) as unknown[];
  const n = nextObjectNumber(pdf);
  const content = 'BT /F1 24 Tf 72 700 Td (Extra page) Tj ET';
  return appendUpdate(pdf, { objects: [
    { num: n, body: `<</Length ${content.length}>>\nstream\n${content}\nendstream` },
    { num: n + 1, body: `<</Type /Page /Parent ${pagesRef.num} 0 R /MediaBox [0 0 595 842] /Contents ${n} 0 R>>` },
    { num: pagesRef.num, body: editDict(node, { Kids: `[${(kids as never[]).map(serialize).join(' ')} ${n + 1} 0 R]`, Count: String(kids.length + 1) }) },
  ] });
}

/**
 * Signature Wrapping: the signed tail moves to the end; the gap now holds a shorter /Contents, a second
 * /ByteRange pointing at the moved tail, the closed dictionary, a malicious page and an xref at the
 * offset the (signed) startxref names.
 */
export function swa(pdf: Buffer): Buffer {
  const s = lastSig(pdf);
  const [, b, c, d] = s.entry.dict.get('ByteRange') as [number, number, number, number];
  const part1 = pdf.subarray(0, b);
  const part2 = pdf.subarray(c, c + d);
  const cms = s.entry.contents!.bytes;
  let cmsLen = cms.length;
  while (cmsLen > 0 && cms[cmsLen - 1] === 0) cmsLen--;
  const file = s.file;
  const rev = file.lastRevision;
  const sec = file.revisions[rev]!.xref;
  const X = sec.offset;
  const page = pages(file, rev)[0]!;
  const n = nextObjectNumber(pdf);
  const content = 'BT /F1 24 Tf 72 300 Td (WRAPPED) Tj ET';
  let gap = `<${cms.subarray(0, cmsLen + 2).toString('hex')}> /ByteRange [0 ${b} C2PLACEHOLDER ${d}]>>\nendobj\n`;
  const objStart = b + gap.length;
  const contentObj = `${n} 0 obj\n<</Length ${content.length}>>\nstream\n${content}\nendstream\nendobj\n`;
  const pageObjAt = objStart + contentObj.length;
  const pageObj = `${page.ref!.num} 0 obj\n${editDict(page.dict, { Contents: `${n} 0 R` })}\nendobj\n`;
  gap += contentObj + pageObj;
  if (b + gap.length > X) throw new Error('swa: not enough room before the xref offset');
  gap = gap.padEnd(X - b, ' ');
  // The attacker's xref at X: the signed revision's entries (tail objects shifted) plus the overrides.
  const lines: string[] = [];
  const entries = new Map<number, number>();
  let shiftBase = 0;
  const tailEntries: Array<[number, number]> = [];
  for (const [num, e] of sec.entries) if (e.kind === 'used') { if (e.offset >= c) tailEntries.push([num, e.offset]); else entries.set(num, e.offset); }
  entries.set(n, objStart);
  entries.set(page.ref!.num, pageObjAt);
  const trailer = `trailer\n<</Size ${n + 1} /Root ${serialize(sec.trailer.get('Root'))} /Prev ${serialize(sec.trailer.get('Prev'))}>>\n`;
  const xrefLen = () => 'xref\n'.length + [...entries.keys(), ...tailEntries.map((t) => t[0])].length * (20 + 12) + trailer.length;
  const C2 = X + xrefLen() + 64;
  shiftBase = C2 - c;
  for (const [num, off] of tailEntries) entries.set(num, off + shiftBase);
  entries.set(n, objStart);
  entries.set(page.ref!.num, pageObjAt);
  for (const num of [...entries.keys()].sort((x, y) => x - y)) lines.push(`${num} 1\n${String(entries.get(num)).padStart(10, '0')} 00000 n\r\n`);
  let xref = `xref\n${lines.join('')}${trailer}`;
  xref = xref.padEnd(C2 - X, ' ');
  gap = gap.replace('C2PLACEHOLDER', String(C2).padStart(13, '0').slice(-String(C2).length).padEnd(13, ' '));
  return Buffer.concat([part1, Buffer.from(gap, 'latin1'), Buffer.from(xref, 'latin1'), part2]);
}

/** Shadow hide v1: a "metadata" stream and the overlay image share one offset in the update. */
export function shadowHideV1(pdf: Buffer): Buffer {
  const file = new PdfFile(pdf);
  const rev = file.lastRevision;
  let imageNum = -1;
  for (const [num, e] of file.revisions[0]!.xref.entries) {
    if (e.kind !== 'used') continue;
    const o = file.object(num, rev)?.value;
    if (o instanceof PdfStream && String((o.dict.get('Subtype') as { name?: string } | undefined)?.name) === 'Image') { imageNum = num; break; }
  }
  if (imageNum < 0) throw new Error('shadowHideV1: the base needs an overlay image');
  const n = nextObjectNumber(pdf);
  const meta = '<x:xmpmeta xmlns:x="adobe:ns:meta/"/>';
  return appendUpdate(pdf, { objects: [{ num: n, body: `<</Type /Metadata /Subtype /XML /Length ${meta.length}>>\nstream\n${meta}\nendstream` }], aliases: [{ num: imageNum, sameAs: n }] });
}

/** The text field "ghi_chu" of the base document. */
function textField(file: PdfFile) {
  const f = fields(file, file.lastRevision).find((x) => x.type === 'Tx');
  if (!f || !f.ref) throw new Error('the base needs a text field');
  return f;
}

/** Shadow hide v2: the update flips /Ff and swaps /V and /DV, or redefines the widget as << >>. */
export function shadowHideV2(pdf: Buffer, mode: 'flags' | 'empty'): Buffer {
  const file = new PdfFile(pdf);
  const f = textField(file);
  const body = mode === 'empty' ? '<< >>' : editDict(f.dict, { Ff: '1', V: '(hidden)', DV: '(shown)' });
  return appendUpdate(pdf, { objects: [{ num: f.ref!.num, body }] });
}

/** Shadow replace v1: plain form filling of the text field placed over the body text. */
export function shadowReplaceV1(pdf: Buffer): Buffer {
  const file = new PdfFile(pdf);
  const f = textField(file);
  const n = nextObjectNumber(pdf);
  const ap = 'q 1 1 1 rg 0 0 450 20 re f Q BT /Helv 12 Tf 2 6 Td (Replaced text) Tj ET';
  return appendUpdate(pdf, { objects: [
    { num: n, body: `<</Type /XObject /Subtype /Form /BBox [0 0 450 20] /Resources <</Font <</Helv <</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>>>>> /Length ${ap.length}>>\nstream\n${ap}\nendstream` },
    { num: f.ref!.num, body: editDict(f.dict, { V: '(Replaced text)', AP: `<</N ${n} 0 R>>` }) },
  ] });
}

/** Shadow replace v2: the page font resource is redefined. */
export function shadowReplaceV2(pdf: Buffer): Buffer {
  const file = new PdfFile(pdf);
  const rev = file.lastRevision;
  const page = pages(file, rev)[0]!;
  const res = dictOf(file.resolve(page.dict.get('Resources'), rev))!;
  const fonts = dictOf(file.resolve(res.get('Font'), rev))!;
  const [, fontRef] = [...fonts.map][0]!;
  if (!(fontRef instanceof PdfRef)) throw new Error('font must be indirect');
  return appendUpdate(pdf, { objects: [{ num: fontRef.num, body: '<</Type /Font /Subtype /Type1 /BaseFont /Courier>>' }] });
}

/** Shadow hide-and-replace: an xref-only update re-points the page content to another signed object. */
export function hideAndReplace(pdf: Buffer): Buffer {
  const file = new PdfFile(pdf);
  const rev = file.lastRevision;
  const page = pages(file, rev)[0]!;
  const raw = page.dict.get('Contents');
  const contents = Array.isArray(raw) ? raw[0] : raw;
  if (!(contents instanceof PdfRef)) throw new Error('contents must be indirect');
  // Another stream object inside the signed bytes (e.g. a font file): the "older definition".
  let target = -1;
  for (const [num, e] of file.revisions[0]!.xref.entries) {
    if (e.kind === 'used' && num !== contents.num && file.object(num, rev)?.value instanceof PdfStream) { target = e.offset; break; }
  }
  return appendUpdate(pdf, { objects: [], pointers: [{ num: contents.num, offset: target }] });
}

/** Evil annotation: a FreeText annotation (hidden from comment lists) drawing text, at `rect` on page 1. */
export function evilAnnotation(pdf: Buffer, rect: [number, number, number, number]): Buffer {
  const file = new PdfFile(pdf);
  const rev = file.lastRevision;
  const page = pages(file, rev)[0]!;
  const n = nextObjectNumber(pdf);
  const ap = 'q 0 0 1 rg 0 0 40 10 re f Q BT /Helv 14 Tf 2 4 Td (Approved: 9.000.000.000) Tj ET';
  const annots = file.resolve(page.dict.get('Annots'), rev);
  const list = Array.isArray(annots) ? annots.map(serialize).join(' ') : '';
  const objects = [
    { num: n, body: `<</Type /XObject /Subtype /Form /BBox [0 0 ${rect[2] - rect[0]} ${rect[3] - rect[1]}] /Resources <</Font <</Helv <</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>>>>> /Length ${ap.length}>>\nstream\n${ap}\nendstream` },
    { num: n + 1, body: `<</Type /Annot /Subtype /FreeText /Rect [${rect.join(' ')}] /F 68 /DA (/Helv 14 Tf) /Contents (x) /AP <</N ${n} 0 R>>>>` },
  ];
  const annotsRef = page.dict.get('Annots');
  if (annotsRef instanceof PdfRef) objects.push({ num: annotsRef.num, body: `[${list} ${n + 1} 0 R]` });
  else objects.push({ num: page.ref!.num, body: editDict(page.dict, { Annots: `[${list} ${n + 1} 0 R]` }) });
  return appendUpdate(pdf, { objects });
}

/** A second /DocMDP-less signature dictionary redefinition: later update rewrites /Reason of a signature. */
export function reasonSpoof(pdf: Buffer): Buffer {
  const s = lastSig(pdf);
  const body = editDict(s.entry.dict, { Reason: '(Spoofed reason)' });
  return appendUpdate(pdf, { objects: [{ num: s.entry.sigRef!.num, body }] });
}

/**
 * Dangling-reference fill: the signed page names an XObject whose object does not exist yet; the update
 * only adds that object (no signed object changes), so the page suddenly draws it. `pdf` must come from
 * `danglingBase()` and be signed.
 */
export function danglingFill(pdf: Buffer): Buffer {
  const img = 'q 1 0 0 rg 0 0 200 100 re f Q BT /F1 18 Tf 10 40 Td (FORGED) Tj ET';
  return appendUpdate(pdf, { objects: [{ num: 99, body: `<</Type /XObject /Subtype /Form /BBox [0 0 200 100] /Length ${img.length}>>\nstream\n${img}\nendstream` }] });
}
