import { CK, type Attribute, type Handle, type Pkcs11Like } from './pkcs11-api';
import { p11 } from './errors';
import { publicKeyMaterial } from './cert-decode';

/** No real token holds more; a hostile module answering millions of handles is cut off here. */
const MAX_OBJECTS = 256;
const MAX_CERT_BYTES = 64 * 1024;

export interface CertObject { handle: Handle; id: Buffer; label: string; der: Buffer }
export interface KeyObject { handle: Handle; id: Buffer; alwaysAuthenticate: boolean | null; modulus: Buffer | null }
export interface PairedCertificate { cert: CertObject; key: KeyObject | null }

export function findObjects(p: Pkcs11Like, session: Handle, template: Attribute[]): Handle[] {
  return p11('find objects', () => {
    p.C_FindObjectsInit(session, template);
    try {
      return p.C_FindObjects(session, MAX_OBJECTS);
    } finally {
      p.C_FindObjectsFinal(session);
    }
  });
}

/** One attribute, or null when the object does not have it (CKR_ATTRIBUTE_TYPE_INVALID and kin). */
function optionalAttr(p: Pkcs11Like, session: Handle, obj: Handle, type: number): Buffer | null {
  try {
    const v = p.C_GetAttributeValue(session, obj, [{ type }])[0]?.value;
    return v && v.length > 0 ? v : null;
  } catch {
    return null;
  }
}

function requiredAttrs(p: Pkcs11Like, session: Handle, obj: Handle, types: number[]): Buffer[] {
  const res = p11('read object attributes', () => p.C_GetAttributeValue(session, obj, types.map((type) => ({ type }))));
  return types.map((t) => res.find((r) => r.type === t)?.value ?? Buffer.alloc(0));
}

export function readCertificates(p: Pkcs11Like, session: Handle): CertObject[] {
  const handles = findObjects(p, session, [{ type: CK.CKA_CLASS, value: CK.CKO_CERTIFICATE }, { type: CK.CKA_CERTIFICATE_TYPE, value: CK.CKC_X_509 }]);
  const out: CertObject[] = [];
  for (const handle of handles) {
    const [id = Buffer.alloc(0), label = Buffer.alloc(0)] = requiredAttrs(p, session, handle, [CK.CKA_ID, CK.CKA_LABEL]);
    const der = optionalAttr(p, session, handle, CK.CKA_VALUE);
    if (!der || der.length > MAX_CERT_BYTES) continue;
    out.push({ handle, id, label: label.toString('utf8').normalize('NFC'), der });
  }
  return out;
}

/** Private keys visible in this session: all of them once logged in, usually none before. */
export function readPrivateKeys(p: Pkcs11Like, session: Handle): KeyObject[] {
  const handles = findObjects(p, session, [{ type: CK.CKA_CLASS, value: CK.CKO_PRIVATE_KEY }]);
  return handles.map((handle) => {
    const [id = Buffer.alloc(0)] = requiredAttrs(p, session, handle, [CK.CKA_ID]);
    const aa = optionalAttr(p, session, handle, CK.CKA_ALWAYS_AUTHENTICATE);
    return { handle, id, alwaysAuthenticate: aa ? aa[0] === 1 : null, modulus: optionalAttr(p, session, handle, CK.CKA_MODULUS) };
  });
}

/** The DER OCTET STRING some modules (SoftHSM) wrap CKA_EC_POINT in is peeled off here. */
function unwrapEcPoint(v: Buffer): Buffer {
  if (v[0] === 0x04 && v.length >= 2) {
    const len = v[1]!;
    if (len < 0x80 && len === v.length - 2 && v[2] === 0x04) return v.subarray(2);
    if (len === 0x81 && v.length >= 3 && v[2] === v.length - 3) return v.subarray(3);
  }
  return v;
}

const stripZeros = (b: Buffer) => { let i = 0; while (i < b.length - 1 && b[i] === 0) i++; return b.subarray(i); };

/**
 * Each certificate with its private key: same CKA_ID first (Viettel-CA and others fail lookups by
 * label); otherwise the key whose public part matches the certificate (RSA modulus on the private
 * key, or for EC the public key object holding the same point, whose CKA_ID then names the key).
 */
export function pairCertificates(p: Pkcs11Like, session: Handle, certs: CertObject[], keys: KeyObject[]): PairedCertificate[] {
  let ecPublics: Array<{ id: Buffer; point: Buffer }> | null = null;
  return certs.map((cert) => {
    const byId = cert.id.length > 0 ? keys.find((k) => k.id.equals(cert.id)) : undefined;
    if (byId) return { cert, key: byId };
    let material: ReturnType<typeof publicKeyMaterial>;
    try {
      material = publicKeyMaterial(cert.der);
    } catch {
      return { cert, key: null };
    }
    if (material.modulus) {
      const m = stripZeros(material.modulus);
      return { cert, key: keys.find((k) => k.modulus && stripZeros(k.modulus).equals(m)) ?? null };
    }
    if (material.ecPoint && keys.length > 0) {
      ecPublics ??= findObjects(p, session, [{ type: CK.CKA_CLASS, value: CK.CKO_PUBLIC_KEY }]).flatMap((h) => {
        const point = optionalAttr(p, session, h, CK.CKA_EC_POINT);
        const id = optionalAttr(p, session, h, CK.CKA_ID);
        return point && id ? [{ id, point: unwrapEcPoint(point) }] : [];
      });
      const pub = ecPublics.find((e) => e.point.equals(material.ecPoint!));
      return { cert, key: pub ? keys.find((k) => k.id.equals(pub.id)) ?? null : null };
    }
    return { cert, key: null };
  });
}
