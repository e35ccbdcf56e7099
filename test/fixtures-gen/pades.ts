import { createHash, sign as cryptoSign, constants, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PdfFile } from '../../src-main/core/pdf/parse/document';
import { catalog, pages } from '../../src-main/core/pdf/parse/acroform';
import { dictOf, PdfRef } from '../../src-main/core/pdf/parse/objects';
import { appendUpdate, editDict, nextObjectNumber, serialize, type UpdateObject } from './incremental';
import type { TestIdentity } from './test-certs';

export type Alg = 'rsa' | 'pss' | 'ecdsa';

export interface CmsOptions {
  signer: TestIdentity;
  alg?: Alg;
  /** ESS signing-certificate-v2 (default true); `essFor` binds it to another certificate (mismatch tests). */
  ess?: boolean;
  essFor?: Buffer;
  /** Add a signingTime signed attribute. */
  signingTime?: Date;
  /** Adds a signature timestamp from this TSA identity at this time. */
  tsa?: { id: TestIdentity; time: Date };
  digest?: 'sha256' | 'sha384' | 'sha512';
}

const DIGEST_OID = { sha256: '2.16.840.1.101.3.4.2.1', sha384: '2.16.840.1.101.3.4.2.2', sha512: '2.16.840.1.101.3.4.2.3' } as const;

function certOf(der: Buffer): pkijs.Certificate {
  return new pkijs.Certificate({ schema: asn1js.fromBER(new Uint8Array(der)).result });
}

function attr(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

/**
 * Builds a CMS SignedData the way signing.md §2.4–2.7 says (sorted DER signed attributes, ESS v2, no
 * signingTime unless asked), signed with a Node key: RSA PKCS#1 v1.5, RSASSA-PSS or ECDSA.
 * `content` is the detached digest input or, with `encapsulate`, the eContent (TSTInfo).
 */
export function buildCms(contentDigest: Buffer, opts: CmsOptions, encapsulate?: { type: string; content: Buffer }): Buffer {
  const alg = opts.alg ?? 'rsa';
  const digest = opts.digest ?? 'sha256';
  const cert = certOf(opts.signer.cert);
  const attrs: pkijs.Attribute[] = [
    attr('1.2.840.113549.1.9.3', new asn1js.ObjectIdentifier({ value: encapsulate?.type ?? '1.2.840.113549.1.7.1' })),
    attr('1.2.840.113549.1.9.4', new asn1js.OctetString({ valueHex: new Uint8Array(contentDigest).buffer })),
  ];
  if (opts.ess ?? true) {
    const h = createHash('sha256').update(opts.essFor ?? opts.signer.cert).digest();
    attrs.push(attr('1.2.840.113549.1.9.16.2.47', new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: new Uint8Array(h).buffer })] })] })] })));
  }
  if (opts.signingTime) attrs.push(attr('1.2.840.113549.1.9.5', new asn1js.UTCTime({ valueDate: opts.signingTime })));
  // DER SET OF: members sorted by their encodings.
  attrs.sort((a, b) => Buffer.compare(Buffer.from(a.toSchema().toBER()), Buffer.from(b.toSchema().toBER())));
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: attrs });
  const setBytes = Buffer.from(new asn1js.Set({ value: attrs.map((a) => a.toSchema()) }).toBER());
  let sigAlg: pkijs.AlgorithmIdentifier;
  let signature: Buffer;
  if (alg === 'ecdsa') {
    sigAlg = new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.10045.4.3.2' });
    signature = cryptoSign('sha256', setBytes, opts.signer.key);
  } else if (alg === 'pss') {
    const hashAlg = new pkijs.AlgorithmIdentifier({ algorithmId: DIGEST_OID.sha256, algorithmParams: new asn1js.Null() });
    const params = new pkijs.RSASSAPSSParams({
      hashAlgorithm: hashAlg,
      maskGenAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.8', algorithmParams: hashAlg.toSchema() }),
      saltLength: 32,
    });
    sigAlg = new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.10', algorithmParams: params.toSchema() });
    signature = cryptoSign('sha256', setBytes, { key: opts.signer.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  } else {
    const rsaOid = { sha256: '1.2.840.113549.1.1.11', sha384: '1.2.840.113549.1.1.12', sha512: '1.2.840.113549.1.1.13' }[digest];
    sigAlg = new pkijs.AlgorithmIdentifier({ algorithmId: rsaOid, algorithmParams: new asn1js.Null() });
    signature = cryptoSign(digest, setBytes, opts.signer.key);
  }
  const si = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: DIGEST_OID[digest], algorithmParams: new asn1js.Null() }),
    signedAttrs,
    signatureAlgorithm: sigAlg,
    signature: new asn1js.OctetString({ valueHex: new Uint8Array(signature).buffer }),
  });
  if (opts.tsa) {
    const token = buildTimestampToken(createHash('sha256').update(signature).digest(), opts.tsa.id, opts.tsa.time);
    si.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 1, attributes: [attr('1.2.840.113549.1.9.16.2.14', asn1js.fromBER(new Uint8Array(token)).result)] });
  }
  const sd = new pkijs.SignedData({
    version: encapsulate ? 3 : 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: DIGEST_OID[digest], algorithmParams: new asn1js.Null() })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: encapsulate?.type ?? '1.2.840.113549.1.7.1',
      ...(encapsulate ? { eContent: new asn1js.OctetString({ valueHex: new Uint8Array(encapsulate.content).buffer }) } : {}),
    }),
    certificates: [cert, ...opts.signer.chain.slice(0, 1).map(certOf)],
    signerInfos: [si],
  });
  const ci = new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: sd.toSchema(true) });
  return Buffer.from(ci.toSchema().toBER());
}

/** An RFC 3161 TimeStampToken over `imprint` (SHA-256), signed by the test TSA. */
export function buildTimestampToken(imprint: Buffer, tsa: TestIdentity, time: Date): Buffer {
  const tst = new pkijs.TSTInfo({
    version: 1,
    policy: '1.3.6.1.4.1.99999.1',
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: DIGEST_OID.sha256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: new Uint8Array(imprint).buffer }),
    }),
    serialNumber: new asn1js.Integer({ value: Math.floor(Math.random() * 1e9) }),
    genTime: time,
  });
  const der = Buffer.from(tst.toSchema().toBER());
  return buildCms(createHash('sha256').update(der).digest(), { signer: tsa, alg: 'rsa' }, { type: '1.2.840.113549.1.9.16.1.4', content: der });
}

export interface PadesOptions extends CmsOptions {
  fieldName?: string;
  /** Visible widget: page index and rectangle [x1 y1 x2 y2]; appearance content stream (default a frame). */
  widget?: { page: number; rect: [number, number, number, number]; appearance?: string };
  subFilter?: 'ETSI.CAdES.detached' | 'adbe.pkcs7.detached';
  /** Makes this a certification signature with DocMDP /P. */
  docMdp?: 1 | 2 | 3;
  /** /M claimed time (default now). */
  claimedTime?: Date;
  contentsBytes?: number;
  /** Document timestamp instead of a signature (uses opts.tsa). */
  docTimestamp?: boolean;
}

function pdfDate(d: Date): string {
  const v = new Date(d.getTime() + 7 * 3600_000).toISOString();
  return `D:${v.slice(0, 4)}${v.slice(5, 7)}${v.slice(8, 10)}${v.slice(11, 13)}${v.slice(14, 16)}${v.slice(17, 19)}+07'00'`;
}

/**
 * Adds a signature as one incremental update (field + widget + signature dictionary + page /Annots +
 * AcroForm), then fills ByteRange and /Contents in place: an independent PAdES writer for fixtures.
 */
export function addSignature(pdf: Buffer, opts: PadesOptions): Buffer {
  const file = new PdfFile(pdf);
  const rev = file.lastRevision;
  const cat = catalog(file, rev)!;
  const rootRef = file.trailer(rev).get('Root') as PdfRef;
  const pageList = pages(file, rev);
  const wpage = pageList[opts.widget?.page ?? 0]!;
  let n = nextObjectNumber(pdf);
  const sigNum = n++, fieldNum = n++;
  const apNum = opts.widget ? n++ : 0;
  const objects: UpdateObject[] = [];
  const contentsLen = opts.contentsBytes ?? 16384;
  const placeholderBr = '/ByteRange [0 0000000000 0000000000 0000000000]';
  const ref = opts.docMdp ? ` /Reference [<</Type /SigRef /TransformMethod /DocMDP /TransformParams <</Type /TransformParams /P ${opts.docMdp} /V /1.2>>>>]` : '';
  const sigType = opts.docTimestamp ? '/Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161' : `/Type /Sig /Filter /Adobe.PPKLite /SubFilter /${opts.subFilter ?? 'ETSI.CAdES.detached'}`;
  objects.push({ num: sigNum, body: `<<${sigType} ${placeholderBr} /Contents <${'0'.repeat(contentsLen * 2)}> /M (${pdfDate(opts.claimedTime ?? new Date())})${ref}>>` });
  const rect = opts.widget?.rect ?? [0, 0, 0, 0];
  const name = opts.fieldName ?? `Sig${sigNum}`;
  const ap = opts.widget ? ` /AP <</N ${apNum} 0 R>>` : '';
  objects.push({ num: fieldNum, body: `<</Type /Annot /Subtype /Widget /FT /Sig /T (${name}) /V ${sigNum} 0 R /F 132 /Rect [${rect.join(' ')}] /P ${wpage.ref!.num} 0 R${ap}>>` });
  if (opts.widget) {
    const w = rect[2] - rect[0], h = rect[3] - rect[1];
    const body = opts.widget.appearance ?? `0 0 1 RG 1 w 1 1 ${w - 2} ${h - 2} re S`;
    objects.push({ num: apNum, body: Buffer.from(`<</Type /XObject /Subtype /Form /BBox [0 0 ${w} ${h}] /Resources <</Font <</Helv <</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>>>>> /Length ${body.length}>>\nstream\n${body}\nendstream`, 'latin1') });
  }
  // Page /Annots (direct or indirect array).
  const annots = wpage.dict.get('Annots');
  if (annots instanceof PdfRef) {
    const arr = file.resolve(annots, rev) as unknown[];
    objects.push({ num: annots.num, body: `[${(arr as never[]).map((x) => serialize(x)).join(' ')} ${fieldNum} 0 R]` });
  } else {
    const arr = Array.isArray(annots) ? annots : [];
    objects.push({ num: wpage.ref!.num, body: editDict(wpage.dict, { Annots: `[${arr.map(serialize).join(' ')} ${fieldNum} 0 R]` }) });
  }
  // AcroForm: extend /Fields.
  const formObj = cat.get('AcroForm');
  const catChanges: Record<string, string | null> = {};
  if (formObj instanceof PdfRef) {
    const form = dictOf(file.resolve(formObj, rev))!;
    const fieldsArr = form.get('Fields');
    if (fieldsArr instanceof PdfRef) {
      const arr = file.resolve(fieldsArr, rev) as never[];
      objects.push({ num: fieldsArr.num, body: `[${arr.map(serialize).join(' ')} ${fieldNum} 0 R]` });
    } else {
      const arr = Array.isArray(fieldsArr) ? fieldsArr : [];
      objects.push({ num: formObj.num, body: editDict(form, { Fields: `[${arr.map(serialize).join(' ')} ${fieldNum} 0 R]`, SigFlags: '3' }) });
    }
  } else {
    const form = dictOf(file.resolve(formObj, rev));
    const arr = form ? ((file.resolve(form.get('Fields'), rev) as never[]) ?? []) : [];
    catChanges.AcroForm = `<</Fields [${arr.map(serialize).join(' ')} ${fieldNum} 0 R] /SigFlags 3>>`;
  }
  if (opts.docMdp) catChanges.Perms = `<</DocMDP ${sigNum} 0 R>>`;
  if (Object.keys(catChanges).length) objects.push({ num: rootRef.num, body: editDict(cat, catChanges) });
  const out = appendUpdate(pdf, { objects });
  return fillSignature(out, pdf.length, opts);
}

/** Fills the last placeholder after `from`: ByteRange digits in place, then the CMS hex. */
export function fillSignature(buf: Buffer, from: number, opts: PadesOptions): Buffer {
  const brAt = buf.indexOf('/ByteRange [0 0000000000 0000000000 0000000000]', from, 'latin1');
  const cAt = buf.indexOf('/Contents <', brAt, 'latin1') + 10;
  const cEnd = buf.indexOf('>', cAt) + 1;
  const range = [0, cAt, cEnd, buf.length - cEnd];
  const brText = `/ByteRange [${range.map((v) => String(v).padStart(10, '0')).join(' ')}]`.replace('[0000000000', '[0').padEnd(47, ' ');
  buf.write(brText, brAt, 'latin1');
  const h = createHash(opts.digest ?? 'sha256').update(buf.subarray(0, cAt)).update(buf.subarray(cEnd)).digest();
  const cms = opts.docTimestamp ? buildTimestampToken(h, opts.tsa!.id, opts.tsa!.time) : buildCms(h, opts);
  const hex = cms.toString('hex');
  if (hex.length > cEnd - cAt - 2) throw new Error('placeholder too small');
  buf.write(hex, cAt + 1, 'latin1');
  return buf;
}
