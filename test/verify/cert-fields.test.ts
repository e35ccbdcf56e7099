/**
 * The DER field reader (crypto/cert-fields.ts) against pkijs, the parser it replaced on the start-up
 * path, on every certificate at hand: Node's Mozilla root store (decades of CAs: BMPString,
 * TeletexString, UTF8 and PrintableString names, GeneralizedTime past 2049), the test
 * PKI, and certificates openssl makes here with multi-valued and Vietnamese names.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterAll, describe, expect, it } from 'vitest';
import { tlv, timeValue } from '../../src-main/core/crypto/der-read';
import { accessUris, basicConstraintsCa, certificateFields, distributionPointUris, EXT, keyPurposes, keyUsageBits, subjectKeyId } from '../../src-main/core/crypto/cert-fields';
import { decodeCertificate } from '../../src-main/core/token/cert-decode';
import { parseCert, sameName } from '../../src-main/core/verify/certs';
import { loadPki } from '../helpers/pki';

const pemToDer = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');

const work = mkdtempSync(join(tmpdir(), 'vanthu-cert-fields-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Certificates openssl writes with the name shapes the root store lacks. */
function opensslCertificates() {
  const make = (name: string, subj: string, extra: string[], mask = 'utf8only') => {
    const out = join(work, `${name}.der`);
    const config = join(work, `${name}.cnf`);
    // string_mask picks the string types: pkix writes BMPString beyond Latin-1, nombstr TeletexString for Latin-1.
    writeFileSync(config, `[req]\ndistinguished_name = dn\nstring_mask = ${mask}\n[dn]\n`);
    execFileSync('openssl', ['req', '-x509', '-config', config, '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(work, `${name}.key`),
      '-days', '40000', '-utf8', '-subj', subj, '-outform', 'DER', '-out', out, ...extra], { stdio: 'pipe' });
    return readFileSync(out);
  };
  return {
    multi: make('multi', '/CN=Nguyễn Văn A+UID=0123/O=Ủy ban nhân dân tỉnh/C=VN', ['-multivalue-rdn',
      '-addext', 'keyUsage=critical,digitalSignature,nonRepudiation,decipherOnly',
      '-addext', 'extendedKeyUsage=emailProtection,1.3.6.1.4.1.311.10.3.12',
      '-addext', 'crlDistributionPoints=URI:http://crl.example.vn/a.crl,URI:http://crl2.example.vn/a.crl',
      '-addext', 'authorityInfoAccess=OCSP;URI:http://ocsp.example.vn,caIssuers;URI:http://ca.example.vn/ca.crt']),
    ca: make('ca', '/CN=Trần Thị B/title=Chánh Văn phòng', ['-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0', '-addext', 'subjectKeyIdentifier=hash']),
    bmp: make('bmp', '/CN=Lê Văn C/O=Sở Nội vụ', [], 'pkix'),
    teletex: make('teletex', '/CN=José Müller/O=Café', [], 'nombstr'),
  };
}

/** A certificate Node and the DER reader take but pkijs cannot parse: 12,000 NULLs in one extension pass asn1js's node limit. */
function bloatedCertificate(): Buffer {
  const out = join(work, 'bloated.der');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(work, 'bloated.key'),
    '-days', '30', '-subj', '/CN=Hostile CA', '-addext', `1.2.3.4=DER:30825dc0${'0500'.repeat(12000)}`, '-outform', 'DER', '-out', out], { stdio: 'pipe' });
  return readFileSync(out);
}

const made = opensslCertificates();

function corpus(): Buffer[] {
  const local = readdirSync(loadPki().certs).filter((f) => f.endsWith('.der')).map((f) => readFileSync(join(loadPki().certs, f)));
  return [...rootCertificates.map(pemToDer), ...local, ...Object.values(made)];
}

const ders = corpus();

const bytes = (v: ArrayBuffer | Uint8Array) => Buffer.from(v instanceof Uint8Array ? v : new Uint8Array(v));

function pkijsView(der: Buffer) {
  const c = pkijs.Certificate.fromBER(der);
  const ext = (oid: string) => c.extensions?.find((e) => e.extnID === oid);
  const attrs = (n: pkijs.RelativeDistinguishedNames) => n.typesAndValues.map((tv) => {
    const v = (tv.value as { valueBlock?: { value?: unknown } }).valueBlock?.value;
    return { type: tv.type, value: typeof v === 'string' ? v : null };
  });
  const uris = (names: pkijs.GeneralName[] | undefined) => (names ?? []).filter((g) => g.type === 6).map((g) => g.value as string);
  const aia = ext(EXT.AUTHORITY_INFO_ACCESS)?.parsedValue as pkijs.InfoAccess | undefined;
  const cdp = ext(EXT.CRL_DISTRIBUTION_POINTS)?.parsedValue as pkijs.CRLDistributionPoints | undefined;
  const ski = ext(EXT.SUBJECT_KEY_ID)?.parsedValue as asn1js.OctetString | undefined;
  return {
    serial: bytes(c.serialNumber.valueBlock.valueHexView),
    issuer: bytes(c.issuer.valueBeforeDecode),
    subject: bytes(c.subject.valueBeforeDecode),
    issuerAttributes: attrs(c.issuer),
    subjectAttributes: attrs(c.subject),
    notBefore: c.notBefore.value.getTime(),
    notAfter: c.notAfter.value.getTime(),
    publicKeyBits: bytes(c.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView),
    extensions: (c.extensions ?? []).map((e) => ({ oid: e.extnID, critical: e.critical, value: bytes(e.extnValue.valueBlock.valueHexView) })),
    keyUsage: ext(EXT.KEY_USAGE) ? bytes((ext(EXT.KEY_USAGE)!.parsedValue as asn1js.BitString).valueBlock.valueHexView) : null,
    purposes: ext(EXT.EXT_KEY_USAGE) ? (ext(EXT.EXT_KEY_USAGE)!.parsedValue as pkijs.ExtKeyUsage).keyPurposes : null,
    ca: Boolean((ext(EXT.BASIC_CONSTRAINTS)?.parsedValue as pkijs.BasicConstraints | undefined)?.cA),
    ocsp: uris(aia?.accessDescriptions.filter((d) => d.accessMethod === '1.3.6.1.5.5.7.48.1').map((d) => d.accessLocation)),
    caIssuers: uris(aia?.accessDescriptions.filter((d) => d.accessMethod === '1.3.6.1.5.5.7.48.2').map((d) => d.accessLocation)),
    crl: (cdp?.distributionPoints ?? []).flatMap((dp) => (Array.isArray(dp.distributionPoint) ? uris(dp.distributionPoint) : [])),
    ski: ski ? bytes(ski.valueBlock.valueHexView) : null,
  };
}

/** A name as sameName takes it: its bytes as written, and pkijs's form on demand. */
const asWritten = (n: pkijs.RelativeDistinguishedNames) => [new Uint8Array(n.valueBeforeDecode), () => n] as const;

describe('certificate fields read from the DER', () => {
  it('has a corpus worth the name', () => {
    expect(ders.length).toBeGreaterThan(100);
  });

  it('agrees with pkijs on every certificate', () => {
    let withNonString = 0;
    for (const der of ders) {
      const want = pkijsView(der);
      const f = certificateFields(der);
      expect(f, new X509Certificate(der).subject).not.toBeNull();
      const ext = (oid: string) => f!.extensions.get(oid)?.value;
      const got = {
        serial: f!.serial, issuer: f!.issuer, subject: f!.subject,
        issuerAttributes: f!.issuerAttributes, subjectAttributes: f!.subjectAttributes,
        notBefore: f!.notBefore.getTime(), notAfter: f!.notAfter.getTime(), publicKeyBits: f!.publicKeyBits,
        extensions: [...f!.extensions].map(([oid, e]) => ({ oid, critical: e.critical, value: e.value })),
        keyUsage: ext(EXT.KEY_USAGE) ? keyUsageBits(ext(EXT.KEY_USAGE)!) : null,
        purposes: ext(EXT.EXT_KEY_USAGE) ? keyPurposes(ext(EXT.EXT_KEY_USAGE)!) : null,
        ca: ext(EXT.BASIC_CONSTRAINTS) ? basicConstraintsCa(ext(EXT.BASIC_CONSTRAINTS)!) : false,
        ocsp: ext(EXT.AUTHORITY_INFO_ACCESS) ? accessUris(ext(EXT.AUTHORITY_INFO_ACCESS)!, '1.3.6.1.5.5.7.48.1') : [],
        caIssuers: ext(EXT.AUTHORITY_INFO_ACCESS) ? accessUris(ext(EXT.AUTHORITY_INFO_ACCESS)!, '1.3.6.1.5.5.7.48.2') : [],
        crl: ext(EXT.CRL_DISTRIBUTION_POINTS) ? distributionPointUris(ext(EXT.CRL_DISTRIBUTION_POINTS)!) : [],
        ski: ext(EXT.SUBJECT_KEY_ID) ? subjectKeyId(ext(EXT.SUBJECT_KEY_ID)!) : null,
      };
      expect(got, new X509Certificate(der).subject).toEqual(want);
      if (f!.subjectAttributes.some((a) => a.value === null)) withNonString++;
    }
    expect(withNonString).toBe(0);
  });

  it('covers the shapes it claims: string types, multi-valued RDNs, times past 2049', () => {
    const tags = new Set<number>();
    let multi = false, late = false;
    for (const der of ders) {
      const c = pkijs.Certificate.fromBER(der);
      for (const tv of [...c.subject.typesAndValues, ...c.issuer.typesAndValues]) tags.add(tv.value.idBlock.tagNumber);
      multi ||= (c.subject.toSchema() as asn1js.Sequence).valueBlock.value.some((rdn) => (rdn as asn1js.Set).valueBlock.value.length > 1);
      late ||= c.notAfter.value.getUTCFullYear() >= 2050;
    }
    // UTF8String 12, PrintableString 19, TeletexString 20, BMPString 30
    for (const t of [12, 19, 20, 30]) expect(tags, `string tag ${t}`).toContain(t);
    expect({ multi, late }).toEqual({ multi: true, late: true });
  });

  it('matches names byte for byte, and across encodings through pkijs', () => {
    const [a] = ders;
    const cert = parseCert(a!);
    const other = pkijs.Certificate.fromBER(a!);
    expect(sameName(cert, 'subject', ...asWritten(other.subject))).toBe(true);
    expect(sameName(cert, 'issuer', ...asWritten(other.issuer))).toBe(true);
    const stranger = pkijs.Certificate.fromBER(made.multi);
    expect(sameName(cert, 'subject', ...asWritten(stranger.subject))).toBe(false);
  });

  it('gives the token screen the same facts as before', () => {
    const facts = decodeCertificate(made.ca);
    expect(facts.commonName).toBe('Trần Thị B');
    expect(facts.title).toBe('Chánh Văn phòng');
    expect(decodeCertificate(made.bmp)).toMatchObject({ commonName: 'Lê Văn C', organisation: 'Sở Nội vụ', subject: 'O=Sở Nội vụ, CN=Lê Văn C' });
    expect(decodeCertificate(made.teletex)).toMatchObject({ commonName: 'José Müller', organisation: 'Café' });
    const multi = decodeCertificate(made.multi);
    expect(multi).toMatchObject({ commonName: 'Nguyễn Văn A', organisation: 'Ủy ban nhân dân tỉnh', keyUsage: ['digitalSignature', 'nonRepudiation', 'decipherOnly'] });
  });

  it('never throws on damaged bytes, nor do the extension decoders on what it returns', () => {
    for (let round = 0; round < 3000; round++) {
      const der = Buffer.from(ders[round % ders.length]!);
      const flips = 1 + (round % 4);
      for (let k = 0; k < flips; k++) der[randomBytes(4).readUInt32LE() % der.length] = randomBytes(1)[0]!;
      const cut = round % 5 === 0 ? der.subarray(0, randomBytes(2).readUInt16LE() % der.length) : der;
      const f = certificateFields(cut);
      if (!f) continue;
      for (const e of f.extensions.values()) {
        keyUsageBits(e.value); keyPurposes(e.value); basicConstraintsCa(e.value); subjectKeyId(e.value);
        accessUris(e.value, '1.3.6.1.5.5.7.48.1'); distributionPointUris(e.value);
      }
    }
  });

  it('takes a certificate with bytes after it (a .der file\'s newline) as the certificate alone', () => {
    const der = made.ca;
    const padded = parseCert(Buffer.concat([der, Buffer.from('\n')]));
    expect(padded.der).toEqual(der);
    expect(padded.id).toBe(parseCert(der).id);
  });

  it('refuses a BER indefinite length', () => {
    const der = ders[0]!;
    const ber = Buffer.concat([Buffer.from([0x30, 0x80]), der.subarray(der[1]! & 0x80 ? 2 + (der[1]! & 0x7f) : 2), Buffer.from([0, 0])]);
    expect(certificateFields(ber)).toBeNull();
  });

  it('compares names as written when pkijs cannot parse the certificate, instead of failing the whole report', () => {
    const bloated = parseCert(bloatedCertificate());
    expect(() => bloated.pkijs).toThrow();
    const other = pkijs.Certificate.fromBER(made.multi);
    expect(sameName(bloated, 'subject', ...asWritten(other.subject))).toBe(false);
  });

  it('reads the time forms older certificates use, and refuses a field out of range', () => {
    const at = (tag: number, text: string) => {
      const b = Buffer.concat([Buffer.from([tag, text.length]), Buffer.from(text, 'latin1')]);
      return timeValue(b, tlv(b, 0, b.length)!)?.toISOString() ?? null;
    };
    expect(at(0x17, '261206143000Z')).toBe('2026-12-06T14:30:00.000Z');
    expect(at(0x17, '2612061430Z')).toBe('2026-12-06T14:30:00.000Z');
    expect(at(0x17, '261206213000+0700')).toBe('2026-12-06T14:30:00.000Z');
    expect(at(0x17, '491231235959Z')).toBe('2049-12-31T23:59:59.000Z');
    expect(at(0x17, '500101000000Z')).toBe('1950-01-01T00:00:00.000Z');
    expect(at(0x18, '20601206143000Z')).toBe('2060-12-06T14:30:00.000Z');
    for (const bad of ['261306143000Z', '261131143000Z', '261206246000Z', '261206143000', '26120614300Z']) expect(at(0x17, bad), bad).toBeNull();
  });

  it('clears keyUsage\'s unused bits and refuses an extKeyUsage holding anything but OIDs', () => {
    // 07 unused bits: the set bit (nonRepudiation) lies in them.
    expect([...keyUsageBits(Buffer.from('03020740', 'hex'))]).toEqual([0]);
    expect([...keyUsageBits(Buffer.from('030205a0', 'hex'))]).toEqual([0xa0]);
    expect(keyPurposes(Buffer.from('300c06082b060105050703080500', 'hex'))).toEqual([]);
    expect(keyPurposes(Buffer.from('300a06082b06010505070308', 'hex'))).toEqual(['1.3.6.1.5.5.7.3.8']);
  });
});
