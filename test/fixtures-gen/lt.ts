/**
 * Long-term-validation updates and the other legitimate shapes of issue 9 class 2, as real signers
 * write them: a DSS with VRI (referenced or not), catalog /Extensions and /Names for embedded LT data,
 * fonts added to the AcroForm /DR, and a prepared empty signature field signed later (its /V, /AP, /F
 * set by the signing update, its blank appearance object reused). Each has a look-alike that is not
 * allowed (JavaScript in /Names, a /DR font replaced, a blank appearance rewritten without signing).
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { PdfFile } from '../../src-main/core/pdf/parse/document';
import { catalog, fields, pages } from '../../src-main/core/pdf/parse/acroform';
import { dictOf, PdfRef } from '../../src-main/core/pdf/parse/objects';
import { appendUpdate, editDict, nextObjectNumber, serialize, type UpdateObject } from './incremental';
import { fillSignature, signatureDictionary, type PadesOptions } from './pades';

const stream = (data: Buffer, extra = ''): Buffer => {
  const z = deflateSync(data);
  return Buffer.concat([Buffer.from(`<</Filter /FlateDecode /Length ${z.length}${extra}>>\nstream\n`, 'latin1'), z, Buffer.from('\nendstream', 'latin1')]);
};
const formStream = (ops: string, w: number, h: number): Buffer =>
  Buffer.from(`<</Type /XObject /Subtype /Form /BBox [0 0 ${w} ${h}] /Resources <</Font <</Helv <</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>>>>> /Length ${ops.length}>>\nstream\n${ops}\nendstream`, 'latin1');

function rootOf(file: PdfFile): { rev: number; cat: ReturnType<typeof catalog> & object; rootNum: number } {
  const rev = file.lastRevision;
  return { rev, cat: catalog(file, rev)!, rootNum: (file.trailer(rev).get('Root') as PdfRef).num };
}

export interface DssOptions {
  certs: Buffer[];
  crls?: Buffer[];
  /** VRI keyed by the SHA-1 of the last signature's /Contents: inside the DSS, or an object nothing references. */
  vri?: 'referenced' | 'orphan';
  /** Catalog /Extensions with the ESIC (PAdES) developer extension. */
  extensions?: boolean;
  /** Catalog /Names: an embedded file with the LT data, or (the refused look-alike) a document JavaScript. */
  names?: 'embedded-file' | 'javascript';
}

/** One update adding a DSS (ETSI EN 319 142-1 §5.4) after the signatures, as LT/LTA signers do. */
export function addDss(pdf: Buffer, opts: DssOptions): Buffer {
  const file = new PdfFile(pdf);
  const { cat, rootNum } = rootOf(file);
  let n = nextObjectNumber(pdf);
  const objects: UpdateObject[] = [];
  const certNums = opts.certs.map((c) => { const num = n++; objects.push({ num, body: stream(c) }); return num; });
  const crlNums = (opts.crls ?? []).map((c) => { const num = n++; objects.push({ num, body: stream(c) }); return num; });
  const refs = (nums: number[]) => `[${nums.map((x) => `${x} 0 R`).join(' ')}]`;
  const dssNum = n++;
  let vriEntry = '';
  if (opts.vri) {
    const lastContents = /\/Contents\s*<([0-9a-fA-F]+)>/g;
    let hex = '';
    for (let m = lastContents.exec(pdf.toString('latin1')); m; m = lastContents.exec(pdf.toString('latin1'))) hex = m[1]!;
    const key = createHash('sha1').update(Buffer.from(hex, 'hex')).digest('hex').toUpperCase();
    const vriNum = n++;
    objects.push({ num: vriNum, body: `<</${key} <</Cert ${refs(certNums)}${crlNums.length ? ` /CRL ${refs(crlNums)}` : ''}>>>>` });
    if (opts.vri === 'referenced') vriEntry = ` /VRI ${vriNum} 0 R`;
  }
  objects.push({ num: dssNum, body: `<</Type /DSS /Certs ${refs(certNums)}${crlNums.length ? ` /CRLs ${refs(crlNums)}` : ''}${vriEntry}>>` });
  const changes: Record<string, string> = { DSS: `${dssNum} 0 R` };
  if (opts.extensions) changes.Extensions = '<</ESIC <</BaseVersion /1.7 /ExtensionLevel 1>>>>';
  if (opts.names === 'embedded-file') {
    const fileNum = n++;
    objects.push({ num: fileNum, body: stream(Buffer.concat(opts.crls ?? opts.certs), ' /Type /EmbeddedFile') });
    changes.Names = `<</EmbeddedFiles <</Names [(lt-data.der) <</Type /Filespec /F (lt-data.der) /EF <</F ${fileNum} 0 R>>>>]>>>>`;
  } else if (opts.names === 'javascript') {
    changes.Names = '<</JavaScript <</Names [(open) <</S /JavaScript /JS (app.alert\\(1\\))>>]>>>>';
  }
  objects.push({ num: rootNum, body: editDict(cat, changes) });
  return appendUpdate(pdf, { objects });
}

/** Unsigned preparation: the AcroForm gets default resources (/DR with a Helvetica font) and /DA. */
export function withFormResources(pdf: Buffer): Buffer {
  const file = new PdfFile(pdf);
  const { cat, rev, rootNum } = rootOf(file);
  const n = nextObjectNumber(pdf);
  const form = cat.get('AcroForm');
  const dr = `<</Font <</Helv ${n} 0 R>>>>`;
  const objects: UpdateObject[] = [{ num: n, body: '<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding>>' }];
  if (form instanceof PdfRef) objects.push({ num: form.num, body: editDict(dictOf(file.resolve(form, rev))!, { DR: dr, DA: '(/Helv 0 Tf 0 g)' }) });
  else {
    objects.push({ num: n + 1, body: `<</Fields [] /DR ${dr} /DA (/Helv 0 Tf 0 g)>>` });
    objects.push({ num: rootNum, body: editDict(cat, { AcroForm: `${n + 1} 0 R` }) });
  }
  return appendUpdate(pdf, { objects });
}

/**
 * Adobe Reader's habit when a second field is signed: the AcroForm /DR gains the fonts of the new
 * appearance ('add'); the look-alike 'replace' swaps the font an earlier field used.
 */
export function changeFormFonts(pdf: Buffer, mode: 'add' | 'replace'): Buffer {
  const file = new PdfFile(pdf);
  const { cat, rev } = rootOf(file);
  const formRef = cat.get('AcroForm') as PdfRef;
  const form = dictOf(file.resolve(formRef, rev))!;
  const fonts = dictOf(file.resolve(dictOf(file.resolve(form.get('DR'), rev))!.get('Font'), rev))!;
  const n = nextObjectNumber(pdf);
  const kept = [...fonts.map].map(([k, v]) => `/${k} ${mode === 'replace' && k === 'Helv' ? `${n} 0 R` : serialize(v)}`).join(' ');
  const extra = mode === 'add' ? ` /ZaDb ${n} 0 R` : '';
  const font = mode === 'add' ? '<</Type /Font /Subtype /Type1 /BaseFont /ZapfDingbats>>' : '<</Type /Font /Subtype /Type1 /BaseFont /Courier>>';
  return appendUpdate(pdf, { objects: [{ num: n, body: font }, { num: formRef.num, body: editDict(form, { DR: `<</Font <<${kept}${extra}>>>>` }) }] });
}

/** Unsigned preparation: an empty signature field, hidden (/F 2), with a blank appearance object of its own. */
export function withEmptySignatureField(pdf: Buffer, name: string, rect: [number, number, number, number]): Buffer {
  const file = new PdfFile(pdf);
  const { cat, rev, rootNum } = rootOf(file);
  const page = pages(file, rev)[0]!;
  let n = nextObjectNumber(pdf);
  const apNum = n++, fieldNum = n++;
  const w = rect[2] - rect[0], h = rect[3] - rect[1];
  const objects: UpdateObject[] = [
    { num: apNum, body: formStream('', w, h) },
    { num: fieldNum, body: `<</Type /Annot /Subtype /Widget /FT /Sig /T (${name}) /F 2 /Rect [${rect.join(' ')}] /P ${page.ref!.num} 0 R /AP <</N ${apNum} 0 R>>>>` },
  ];
  const annots = file.resolve(page.dict.get('Annots'), rev);
  objects.push({ num: page.ref!.num, body: editDict(page.dict, { Annots: `[${(Array.isArray(annots) ? annots : []).map(serialize).join(' ')} ${fieldNum} 0 R]` }) });
  const form = cat.get('AcroForm');
  if (form instanceof PdfRef) {
    const d = dictOf(file.resolve(form, rev))!;
    const list = file.resolve(d.get('Fields'), rev);
    objects.push({ num: form.num, body: editDict(d, { Fields: `[${(Array.isArray(list) ? list : []).map(serialize).join(' ')} ${fieldNum} 0 R]` }) });
  } else {
    objects.push({ num: rootNum, body: editDict(cat, { AcroForm: `<</Fields [${fieldNum} 0 R]>>` }) });
  }
  return appendUpdate(pdf, { objects });
}

/**
 * Signs the prepared field `name` in one update: the field gets /V, /F 132 and an appearance, written
 * into a new object or (`reuseAppearance`) into the blank appearance object the field already had.
 * 'appearanceOnly' is the look-alike: the blank appearance rewritten to show something, nothing signed.
 */
export function signEmptyField(pdf: Buffer, name: string, opts: PadesOptions & { reuseAppearance?: boolean; appearanceOnly?: boolean }): Buffer {
  const file = new PdfFile(pdf);
  const rev = file.lastRevision;
  const field = fields(file, rev).find((f) => f.name === name);
  if (!field?.ref) throw new Error(`no field ${name}`);
  const oldAp = dictOf(file.resolve(field.dict.get('AP'), rev))?.get('N') as PdfRef;
  const w = field.widgets[0]!.rect.width, h = field.widgets[0]!.rect.height;
  const look = formStream(`q 0 0 1 RG 1 w 1 1 ${w - 2} ${h - 2} re S Q BT /Helv 9 Tf 4 4 Td (Signed) Tj ET`, w, h);
  if (opts.appearanceOnly) return appendUpdate(pdf, { objects: [{ num: oldAp.num, body: look }] });
  let n = nextObjectNumber(pdf);
  const sigNum = n++;
  const apNum = opts.reuseAppearance ? oldAp.num : n++;
  const objects: UpdateObject[] = [
    { num: sigNum, body: signatureDictionary(opts) },
    { num: apNum, body: look },
    { num: field.ref.num, body: editDict(field.dict, { V: `${sigNum} 0 R`, F: '132', AP: `<</N ${apNum} 0 R>>` }) },
  ];
  return fillSignature(appendUpdate(pdf, { objects }), pdf.length, opts);
}
