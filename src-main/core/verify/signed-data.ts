/**
 * Reads a CMS ContentInfo holding SignedData (RFC 5652 §3, §5) from the asn1js tree the verifier
 * parsed, by walking it. pkijs's classes would match the tree against schemas built of asn1js objects
 * on every call — on a cold `vanthu verify` that schema machinery cost more than the parse itself —
 * and the verifier uses few of the fields: the content type and content, and of each SignerInfo its
 * identifier, algorithms, attributes and signature. The walk is strict where pkijs's schemas are
 * (element kinds, order, counts, optional elements in their places) and throws a SignedDataError on
 * anything else, which the caller reports as a FORMAT_FAILURE. The certificate and CRL sets were cut
 * out before (cms-certificates.ts); should they still be here, they are skipped as pkijs kept them.
 */
import * as asn1js from 'asn1js';

export class SignedDataError extends Error {}

export interface AlgorithmView {
  oid: string;
  /** The parameters element, if any. */
  params: asn1js.AsnType | null;
}

export interface AttributeView {
  type: string;
  values: asn1js.AsnType[];
}

export type SignerIdView =
  | { kind: 'issuerAndSerial'; issuer: asn1js.Sequence; serial: Buffer }
  | { kind: 'keyId'; keyId: Buffer };

export interface SignerInfoView {
  sid: SignerIdView;
  digestAlgorithm: AlgorithmView;
  /** The [0] IMPLICIT signed attributes: their encoding as received and the attributes. */
  signedAttrs: { encoded: Buffer; attributes: AttributeView[] } | null;
  signatureAlgorithm: AlgorithmView;
  signature: Buffer;
  unsignedAttrs: AttributeView[];
}

export interface SignedDataView {
  eContentType: string;
  /** The encapsulated content's octets (a constructed OCTET STRING joined), or null when absent. */
  eContent: Buffer | null;
  signerInfos: SignerInfoView[];
}

const bad = (why: string): never => {
  throw new SignedDataError(why);
};

const isContext = (b: asn1js.AsnType, tag: number): boolean => b.idBlock.tagClass === 3 && b.idBlock.tagNumber === tag;
// asn1js reads a SEQUENCE or SET tag in primitive form (0x10, 0x11) as one too; DER and pkijs do not.
const isSequence = (b: asn1js.AsnType | undefined): b is asn1js.Sequence => b instanceof asn1js.Sequence && b.idBlock.isConstructed;
const isSet = (b: asn1js.AsnType | undefined): b is asn1js.Set => b instanceof asn1js.Set && b.idBlock.isConstructed;
// And an INTEGER or OBJECT IDENTIFIER tag in constructed form, which no encoding allows.
const isInteger = (b: asn1js.AsnType | undefined): b is asn1js.Integer => b instanceof asn1js.Integer && !b.idBlock.isConstructed;
const isOid = (b: asn1js.AsnType | undefined): b is asn1js.ObjectIdentifier => b instanceof asn1js.ObjectIdentifier && !b.idBlock.isConstructed;

/** The elements of a SEQUENCE or SET (or a constructed tagged element). */
function items(b: asn1js.AsnType | undefined, what: string): asn1js.AsnType[] {
  if (!b || !b.idBlock.isConstructed) return bad(`${what} is not constructed`);
  return (b as asn1js.Constructed).valueBlock.value;
}

function oidOf(b: asn1js.AsnType | undefined, what: string): string {
  if (!isOid(b)) return bad(`${what} is not an OBJECT IDENTIFIER`);
  return b.valueBlock.toString();
}

/** An OCTET STRING's octets, a constructed (BER) one's parts joined. */
export function octets(o: asn1js.AsnType | undefined): Buffer | null {
  if (!(o instanceof asn1js.OctetString)) return null;
  if (o.idBlock.isConstructed) {
    const parts = o.valueBlock.value as asn1js.AsnType[];
    return parts.every((p) => p instanceof asn1js.OctetString) ? Buffer.concat(parts.map((p) => octets(p) ?? Buffer.alloc(0))) : null;
  }
  return Buffer.from(o.valueBlock.valueHexView);
}

/** A primitive OCTET STRING's octets: pkijs's schemas take no constructed form for these fields. */
function primitiveOctets(o: asn1js.AsnType | undefined): Buffer | null {
  return o && !o.idBlock.isConstructed ? octets(o) : null;
}

function algorithm(b: asn1js.AsnType | undefined, what: string): AlgorithmView {
  if (!isSequence(b)) return bad(`${what} is not an AlgorithmIdentifier`);
  const [oid, params, ...rest] = b.valueBlock.value;
  if (rest.length > 0) return bad(`${what} has too many elements`);
  return { oid: oidOf(oid, what), params: params ?? null };
}

function attributes(b: asn1js.AsnType, what: string): AttributeView[] {
  return items(b, what).map((a) => {
    if (!isSequence(a) || a.valueBlock.value.length !== 2) return bad(`${what}: an Attribute is not SEQUENCE { type, values }`);
    const [type, values] = a.valueBlock.value;
    if (!isSet(values)) return bad(`${what}: attribute values are not a SET`);
    return { type: oidOf(type, `${what} type`), values: values.valueBlock.value };
  });
}

/** Name: SEQUENCE OF RelativeDistinguishedName (SET OF { type, value }), as pkijs's schema has it. */
function isName(b: asn1js.AsnType | undefined): b is asn1js.Sequence {
  return isSequence(b) && b.valueBlock.value.every((rdn) => isSet(rdn)
    && rdn.valueBlock.value.every((atv) => isSequence(atv) && atv.valueBlock.value.length === 2 && isOid(atv.valueBlock.value[0])));
}

function signerId(b: asn1js.AsnType | undefined): SignerIdView {
  if (isSequence(b)) {
    const [issuer, serial, ...rest] = b.valueBlock.value;
    if (!isName(issuer) || !isInteger(serial) || rest.length > 0) return bad('IssuerAndSerialNumber is malformed');
    return { kind: 'issuerAndSerial', issuer, serial: Buffer.from(serial.valueBlock.valueHexView) };
  }
  // [0] SubjectKeyIdentifier: IMPLICIT as RFC 5652 has it, or wrapped around an OCTET STRING.
  if (b && isContext(b, 0)) {
    const keyId = b.idBlock.isConstructed ? primitiveOctets(items(b, 'sid')[0]) : Buffer.from((b as asn1js.Primitive).valueBlock.valueHexView);
    if (keyId) return { kind: 'keyId', keyId };
  }
  return bad('SignerIdentifier is neither IssuerAndSerialNumber nor [0] SubjectKeyIdentifier');
}

function signerInfo(b: asn1js.AsnType): SignerInfoView {
  if (!isSequence(b)) return bad('SignerInfo is not a SEQUENCE');
  const e = b.valueBlock.value;
  let i = 0;
  if (!isInteger(e[i++])) bad('SignerInfo version is not an INTEGER');
  const sid = signerId(e[i++]);
  const digestAlgorithm = algorithm(e[i++], 'digestAlgorithm');
  let signedAttrs: SignerInfoView['signedAttrs'] = null;
  if (e[i] && isContext(e[i]!, 0)) {
    const block = e[i++]!;
    signedAttrs = { encoded: Buffer.from(block.valueBeforeDecodeView), attributes: attributes(block, 'signedAttrs') };
  }
  const signatureAlgorithm = algorithm(e[i++], 'signatureAlgorithm');
  const signature = primitiveOctets(e[i++]);
  if (!signature) return bad('SignerInfo signature is not a primitive OCTET STRING');
  let unsignedAttrs: AttributeView[] = [];
  if (e[i] && isContext(e[i]!, 1)) unsignedAttrs = attributes(e[i++]!, 'unsignedAttrs');
  if (i !== e.length) return bad('SignerInfo has elements after its last field');
  return { sid, digestAlgorithm, signedAttrs, signatureAlgorithm, signature, unsignedAttrs };
}

/** ContentInfo { contentType, [0] EXPLICIT content }. */
export function readContentInfo(root: asn1js.AsnType): { contentType: string; content: asn1js.AsnType } {
  if (!isSequence(root) || root.valueBlock.value.length !== 2) return bad('ContentInfo is not SEQUENCE { contentType, [0] content }');
  const [type, wrapper] = root.valueBlock.value;
  if (!isContext(wrapper!, 0)) return bad('ContentInfo content is not [0]');
  const inner = items(wrapper, 'ContentInfo content');
  if (inner.length !== 1) return bad('ContentInfo [0] holds more or less than one element');
  return { contentType: oidOf(type, 'contentType'), content: inner[0]! };
}

/** SignedData { version, digestAlgorithms, encapContentInfo, [0] certificates?, [1] crls?, signerInfos }. */
export function readSignedData(content: asn1js.AsnType): SignedDataView {
  if (!isSequence(content)) return bad('SignedData is not a SEQUENCE');
  const e = content.valueBlock.value;
  let i = 0;
  if (!isInteger(e[i++])) bad('SignedData version is not an INTEGER');
  const digests = e[i++];
  if (!isSet(digests)) return bad('digestAlgorithms is not a SET');
  for (const d of digests.valueBlock.value) algorithm(d, 'a digestAlgorithms member');
  const encap = e[i++];
  if (!isSequence(encap) || encap.valueBlock.value.length < 1 || encap.valueBlock.value.length > 2) return bad('encapContentInfo is malformed');
  const [type, wrapped] = encap.valueBlock.value;
  let eContent: Buffer | null = null;
  if (wrapped) {
    if (!isContext(wrapped, 0)) return bad('eContent is not [0]');
    const inner = items(wrapped, 'eContent');
    if (inner.length !== 1) return bad('eContent [0] holds more or less than one element');
    eContent = octets(inner[0]);
    if (!eContent) return bad('eContent is not an OCTET STRING');
  }
  for (const tag of [0, 1]) if (e[i] && isContext(e[i]!, tag) && e[i]!.idBlock.isConstructed) i++;
  const infos = e[i++];
  if (!isSet(infos)) return bad('signerInfos is not a SET');
  if (i !== e.length) return bad('SignedData has elements after signerInfos');
  return { eContentType: oidOf(type, 'eContentType'), eContent, signerInfos: infos.valueBlock.value.map(signerInfo) };
}
