import { createHash, privateEncrypt, sign as cryptoSign, constants, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PdfFile } from '../../src-main/core/pdf/parse/document';
import { catalog, pages } from '../../src-main/core/pdf/parse/acroform';
import { dictOf, PdfRef } from '../../src-main/core/pdf/parse/objects';
import { hashOf } from '../../src-main/core/verify/hashes';
import { parseBer } from '../../src-main/core/verify/ber';
import { isoVietnam } from '../../src-main/contract/time';
import { appendUpdate, editDict, nextObjectNumber, serialize, type UpdateObject } from './incremental';
import type { TestIdentity } from './test-certs';

export type Alg = 'rsa' | 'pss' | 'ecdsa' | 'ed25519' | 'ed448';

/** Shapes of CMS that real signers produce besides the PAdES baseline (issue 9, class 1 and 4). */
export interface CmsVariant {
  /** No signed attributes: RSA PKCS#1 v1.5 straight over the content digest (older signing tools). */
  noSignedAttrs?: boolean;
  /** Signer identified by subjectKeyIdentifier instead of issuer and serial number. */
  sidBySki?: boolean;
  /** CRLs to embed in SignedData.crls (DER). */
  crls?: Buffer[];
  /** The messageDigest attribute written twice. */
  duplicateAttribute?: boolean;
  /** A second SignerInfo (same signer, same attributes) after the first. */
  secondSignerInfo?: boolean;
}

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
  digest?: Digest;
  variant?: CmsVariant;
}

export type Digest = 'sha1' | 'sha256' | 'sha384' | 'sha512' | 'shake256';
const DIGEST_OID: Record<Digest, string> = {
  sha1: '1.3.14.3.2.26', sha256: '2.16.840.1.101.3.4.2.1', sha384: '2.16.840.1.101.3.4.2.2', sha512: '2.16.840.1.101.3.4.2.3', shake256: '2.16.840.1.101.3.4.2.12',
};
const RSA_OID: Partial<Record<Digest, string>> = { sha1: '1.2.840.113549.1.1.5', sha256: '1.2.840.113549.1.1.11', sha384: '1.2.840.113549.1.1.12', sha512: '1.2.840.113549.1.1.13' };
/** DigestInfo prefixes (RFC 8017 §9.2 note 1), to sign a digest with plain RSA for the no-attribute variant. */
const DIGEST_INFO: Partial<Record<Digest, string>> = {
  sha1: '3021300906052b0e03021a05000414', sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430', sha512: '3051300d060960864801650304020305000440',
};

function certOf(der: Buffer): pkijs.Certificate {
  return new pkijs.Certificate({ schema: asn1js.fromBER(new Uint8Array(der)).result });
}

function attr(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

const ab = (b: Buffer): ArrayBuffer => new Uint8Array(b).buffer;

/** Signature algorithm identifier and value over `tbs` (or, for the no-attribute variant, over the digest). */
function signValue(alg: Alg, digest: Digest, key: KeyObject, tbs: Buffer | null, contentDigest: Buffer): { sigAlg: pkijs.AlgorithmIdentifier; signature: Buffer } {
  if (tbs === null) {
    if (alg !== 'rsa') throw new Error('the no-signed-attributes variant is generated for RSA only');
    const info = Buffer.concat([Buffer.from(DIGEST_INFO[digest]!, 'hex'), contentDigest]);
    return { sigAlg: new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.1', algorithmParams: new asn1js.Null() }), signature: privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, info) };
  }
  if (alg === 'ed25519' || alg === 'ed448') {
    return { sigAlg: new pkijs.AlgorithmIdentifier({ algorithmId: alg === 'ed25519' ? '1.3.101.112' : '1.3.101.113' }), signature: cryptoSign(null, tbs, key) };
  }
  if (alg === 'ecdsa') return { sigAlg: new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.10045.4.3.2' }), signature: cryptoSign('sha256', tbs, key) };
  if (alg === 'pss') {
    const hashAlg = new pkijs.AlgorithmIdentifier({ algorithmId: DIGEST_OID.sha256, algorithmParams: new asn1js.Null() });
    const params = new pkijs.RSASSAPSSParams({
      hashAlgorithm: hashAlg,
      maskGenAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.8', algorithmParams: hashAlg.toSchema() }),
      saltLength: 32,
    });
    return { sigAlg: new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.10', algorithmParams: params.toSchema() }), signature: cryptoSign('sha256', tbs, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }) };
  }
  const hash = digest === 'shake256' ? 'sha256' : digest;
  return { sigAlg: new pkijs.AlgorithmIdentifier({ algorithmId: RSA_OID[hash]!, algorithmParams: new asn1js.Null() }), signature: cryptoSign(hash, tbs, key) };
}

function subjectKeyId(cert: pkijs.Certificate): asn1js.Constructed {
  const e = cert.extensions?.find((x) => x.extnID === '2.5.29.14');
  const ski = e ? Buffer.from((e.parsedValue as asn1js.OctetString).valueBlock.valueHexView) : createHash('sha1').update(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest();
  return new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.OctetString({ valueHex: ab(ski) })] });
}

/**
 * Builds a CMS SignedData the PAdES baseline way (sorted DER signed attributes, ESS v2, no
 * signingTime unless asked), signed with a Node key, or one of the variants real signers produce.
 * `contentDigest` is the digest of the detached content or, with `encapsulate`, of the eContent.
 */
export function buildCms(contentDigest: Buffer, opts: CmsOptions, encapsulate?: { type: string; content: Buffer }): Buffer {
  const alg = opts.alg ?? 'rsa';
  const digest = opts.digest ?? (alg === 'ed448' ? 'shake256' : 'sha256');
  const v = opts.variant ?? {};
  const cert = certOf(opts.signer.cert);
  const attrs: pkijs.Attribute[] = [
    attr('1.2.840.113549.1.9.3', new asn1js.ObjectIdentifier({ value: encapsulate?.type ?? '1.2.840.113549.1.7.1' })),
    attr('1.2.840.113549.1.9.4', new asn1js.OctetString({ valueHex: ab(contentDigest) })),
  ];
  if (v.duplicateAttribute) attrs.push(attr('1.2.840.113549.1.9.4', new asn1js.OctetString({ valueHex: ab(contentDigest) })));
  if (opts.ess ?? true) {
    const h = createHash('sha256').update(opts.essFor ?? opts.signer.cert).digest();
    attrs.push(attr('1.2.840.113549.1.9.16.2.47', new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: ab(h) })] })] })] })));
  }
  if (opts.signingTime) attrs.push(attr('1.2.840.113549.1.9.5', new asn1js.UTCTime({ valueDate: opts.signingTime })));
  // DER SET OF: members sorted by their encodings.
  attrs.sort((a, b) => Buffer.compare(Buffer.from(a.toSchema().toBER()), Buffer.from(b.toSchema().toBER())));
  const signedAttrs = v.noSignedAttrs ? undefined : new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: attrs });
  const setBytes = v.noSignedAttrs ? null : Buffer.from(new asn1js.Set({ value: attrs.map((a) => a.toSchema()) }).toBER());
  const { sigAlg, signature } = signValue(alg, digest, opts.signer.key, setBytes, contentDigest);
  const digestAlg = new pkijs.AlgorithmIdentifier({ algorithmId: DIGEST_OID[digest], ...(digest === 'shake256' ? {} : { algorithmParams: new asn1js.Null() }) });
  const si = new pkijs.SignerInfo({
    version: v.sidBySki ? 3 : 1,
    sid: v.sidBySki ? subjectKeyId(cert) : new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    digestAlgorithm: digestAlg,
    ...(signedAttrs ? { signedAttrs } : {}),
    signatureAlgorithm: sigAlg,
    signature: new asn1js.OctetString({ valueHex: ab(signature) }),
  });
  if (opts.tsa) {
    const token = buildTimestampToken(createHash('sha256').update(signature).digest(), opts.tsa.id, opts.tsa.time);
    si.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 1, attributes: [attr('1.2.840.113549.1.9.16.2.14', asn1js.fromBER(new Uint8Array(token)).result)] });
  }
  const sd = new pkijs.SignedData({
    version: encapsulate || v.sidBySki ? 3 : 1,
    digestAlgorithms: [digestAlg],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: encapsulate?.type ?? '1.2.840.113549.1.7.1',
      ...(encapsulate ? { eContent: new asn1js.OctetString({ valueHex: ab(encapsulate.content) }) } : {}),
    }),
    certificates: [cert, ...opts.signer.chain.slice(0, 1).map(certOf)],
    ...(v.crls ? { crls: v.crls.map((c) => new pkijs.CertificateRevocationList({ schema: parseBer(c).result })) } : {}),
    signerInfos: v.secondSignerInfo ? [si, new pkijs.SignerInfo({ schema: si.toSchema() })] : [si],
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
  subFilter?: 'ETSI.CAdES.detached' | 'adbe.pkcs7.detached' | 'adbe.pkcs7.sha1';
  /** Builds the /Contents from the signed bytes instead of the standard CMS (odd-structure variants). */
  makeCms?: (signed: Buffer[]) => Buffer;
  /** Writes this /Type whatever the kind (some writers put /Sig on a document timestamp, or the reverse). */
  dictType?: 'Sig' | 'DocTimeStamp';
  /** Makes this a certification signature with DocMDP /P. */
  docMdp?: 1 | 2 | 3;
  /** /M claimed time (default now). */
  claimedTime?: Date;
  contentsBytes?: number;
  /** Document timestamp instead of a signature (uses opts.tsa). */
  docTimestamp?: boolean;
}

/** A PDF date (ISO 32000 §7.9.4) in Vietnam time. */
function pdfDate(d: Date): string {
  const v = isoVietnam(d);
  return `D:${v.slice(0, 4)}${v.slice(5, 7)}${v.slice(8, 10)}${v.slice(11, 13)}${v.slice(14, 16)}${v.slice(17, 19)}+07'00'`;
}

/** The signature dictionary with its ByteRange and /Contents placeholders (filled by fillSignature). */
export function signatureDictionary(opts: PadesOptions): string {
  const contentsLen = opts.contentsBytes ?? 16384;
  const placeholderBr = '/ByteRange [0 0000000000 0000000000 0000000000]';
  const ref = opts.docMdp ? ` /Reference [<</Type /SigRef /TransformMethod /DocMDP /TransformParams <</Type /TransformParams /P ${opts.docMdp} /V /1.2>>>>]` : '';
  const type = opts.dictType ?? (opts.docTimestamp ? 'DocTimeStamp' : 'Sig');
  const sigType = `/Type /${type} /Filter /Adobe.PPKLite /SubFilter /${opts.docTimestamp ? 'ETSI.RFC3161' : opts.subFilter ?? 'ETSI.CAdES.detached'}`;
  return `<<${sigType} ${placeholderBr} /Contents <${'0'.repeat(contentsLen * 2)}> /M (${pdfDate(opts.claimedTime ?? new Date())})${ref}>>`;
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
  objects.push({ num: sigNum, body: signatureDictionary(opts) });
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
  const signed = [buf.subarray(0, cAt), buf.subarray(cEnd)];
  let cms: Buffer;
  if (opts.makeCms) {
    cms = opts.makeCms(signed);
  } else if (opts.subFilter === 'adbe.pkcs7.sha1') {
    // The document's SHA-1 is the encapsulated content; the SignerInfo signs that (ISO 32000-1 §12.8.3.3.1).
    const inner = hashOf('sha1', ...signed);
    cms = buildCms(hashOf(opts.digest ?? 'sha1', inner), { digest: 'sha1', ...opts }, { type: '1.2.840.113549.1.7.1', content: inner });
  } else {
    const h = hashOf(opts.digest ?? (opts.alg === 'ed448' ? 'shake256' : 'sha256'), ...signed);
    cms = opts.docTimestamp ? buildTimestampToken(h, opts.tsa!.id, opts.tsa!.time) : buildCms(h, opts);
  }
  const hex = cms.toString('hex');
  if (hex.length > cEnd - cAt - 2) throw new Error('placeholder too small');
  buf.write(hex, cAt + 1, 'latin1');
  return buf;
}
