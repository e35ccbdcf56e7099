/**
 * The verifier cuts a CMS's certificate and CRL sets out of plain DER before asn1js reads the rest
 * (trust/cms-certificates.ts withoutCertificateSets). That must never change a verdict: each CMS below,
 * shapes a review found where a first version disagreed, is judged once that way and once with the cut
 * switched off (the full parse), and the two judgements must be the same.
 */
import { describe, expect, it, vi } from 'vitest';

const cut = vi.hoisted(() => ({ on: true }));
vi.mock('../../src-main/core/trust/cms-certificates', async (original) => {
  const m = await original<typeof import('../../src-main/core/trust/cms-certificates')>();
  return { ...m, withoutCertificateSets: (...args: Parameters<typeof m.withoutCertificateSets>) => (cut.on ? m.withoutCertificateSets(...args) : null) };
});

import { tlv as derTlv } from '../../src-main/core/cms/der';
import { withoutCertificateSets } from '../../src-main/core/trust/cms-certificates';
import { children, element, tlv } from '../../src-main/core/crypto/der-read';
import { verifyCms } from '../../src-main/core/verify/cms';
import { hashOf } from '../../src-main/core/verify/hashes';
import { buildCms } from '../fixtures-gen/pades';
import { identity } from '../fixtures-gen/test-certs';

const content = Buffer.from('hello document');
const signed = { digest: (h: string) => hashOf(h, content), chunks: () => [content] };

/** The CMS with SignedData's elements edited (version, algorithms, content, [0] certificates, [1] CRLs, SignerInfos). */
function editSignedData(der: Buffer, edit: (parts: Buffer[]) => Buffer[]): Buffer {
  const [contentType, explicit] = children(der, tlv(der, 0, der.length)!)!;
  const sd = children(der, explicit!)![0]!;
  const parts = children(der, sd)!.map((t) => Buffer.from(element(der, t)));
  return derTlv(0x30, element(der, contentType!), derTlv(0xa0, derTlv(0x30, ...edit(parts))));
}

const nested = (depth: number): Buffer => {
  let b: Buffer = Buffer.from('0500', 'hex');
  for (let i = 0; i < depth; i++) b = derTlv(0x30, b);
  return b;
};

function judged(der: Buffer) {
  const verdict = () => { const r = verifyCms(der, signed); return { ok: r.ok, failure: r.failure ?? null, reasons: r.reasons, warnings: r.warnings, certificates: r.certificates.map((c) => c.id) }; };
  cut.on = true;
  const withCut = verdict();
  cut.on = false;
  const full = verdict();
  cut.on = true;
  return { withCut, full };
}

describe('cutting the certificate sets before asn1js never changes a verdict', () => {
  const der = buildCms(hashOf('sha256', content), { signer: identity('rsa') });
  const beforeInfos = (extra: Buffer) => editSignedData(der, (p) => [...p.slice(0, -1), extra, p[p.length - 1]!]);
  const addToCertificates = (extra: Buffer) => editSignedData(der, (p) => p.map((b) => (b[0] === 0xa0 ? derTlv(0xa0, ...children(b, tlv(b, 0, b.length)!)!.map((t) => element(b, t)), extra) : b)));
  const denseUnsigned = (() => {
    // An unsigned attribute of 24,000 NULLs, then 40 KB of /Contents zero padding: within the node
    // limit of the whole blob, which the cut parse must keep.
    const withAttr = editSignedData(der, (p) => {
      const infos = p[p.length - 1]!;
      const info = children(infos, tlv(infos, 0, infos.length)!)![0]!;
      const fields = children(infos, info)!.map((t) => element(infos, t));
      const unsigned = derTlv(0xa1, derTlv(0x30, Buffer.from('06032a0304', 'hex'), derTlv(0x31, Buffer.alloc(48_000, Buffer.from('0500', 'hex')))));
      return [...p.slice(0, -1), derTlv(0x31, derTlv(0x30, ...fields, unsigned))];
    });
    return Buffer.concat([withAttr, Buffer.alloc(40_000)]);
  })();

  it.each([
    ['a plain CMS', der],
    ['a CRL set holding a truncated element', beforeInfos(Buffer.from('a10105', 'hex'))],
    ['a CRL set nested 150 deep', beforeInfos(derTlv(0xa1, nested(150)))],
    ['a CRL set of 30,000 NULLs', beforeInfos(derTlv(0xa1, Buffer.alloc(60_000, Buffer.from('0500', 'hex'))))],
    ['a CRL nested 30 deep (well formed)', beforeInfos(derTlv(0xa1, nested(30)))],
    ['a certificate set with a malformed tagged member', addToCertificates(Buffer.from('a30105', 'hex'))],
    ['a certificate set with a primitive member', addToCertificates(Buffer.from('1000', 'hex'))],
    ['a dense unsigned attribute and /Contents padding', denseUnsigned],
  ])('%s', (_, cms) => {
    const { withCut, full } = judged(cms);
    expect(withCut).toEqual(full);
  });

  it('…and the plain CMS takes the cut and passes, so the comparison is neither two full parses nor two failures', () => {
    expect(withoutCertificateSets(der, 1_000_000)).not.toBeNull();
    expect(judged(der).withCut).toMatchObject({ ok: true, reasons: [] });
  });
});
