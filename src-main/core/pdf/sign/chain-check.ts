/**
 * Before any PIN is asked: the signer's certificate must chain to a configured trust anchor through the
 * certificates we can embed (CA objects on the token, --chain, the configured intermediate store).
 * A signature embedding a broken chain is found one step too late, by the agency or the recipient;
 * here the clerk is told which issuer is missing (docs/signing.md, "Complete chains").
 */
import { AppError } from '../../../contract/errors';
import { parseCert, parseCerts, type Cert } from '../../verify/certs';
import { buildChain, issuersByAia, topOfKnownChain } from '../../verify/chain';
import type { AiaOptions } from '../../trust/aia';
import { loadTrustAnchors } from '../../verify/trust';

/**
 * The chain the signature should embed: from the certificate's issuer up to, not including, the trust
 * anchor. Refused (SIGN_REFUSED) naming the first issuer no available certificate supplies.
 */
export function chainToAnchor(certificate: Buffer, pool: readonly Buffer[], trustDir: string): Buffer[] {
  return chainAmong(parseCert(certificate), parseCerts(pool), parseCerts(loadTrustAnchors(trustDir)));
}

/**
 * chainToAnchor, after asking the AIA "CA Issuers" addresses for what the token, --chain and the
 * intermediate store lack (online, cached: core/trust/aia.ts). The returned chain is what the
 * signature embeds, fetched issuers included; still refused before the PIN when nothing completes it.
 */
export async function chainToAnchorOnline(certificate: Buffer, pool: readonly Buffer[], trustDir: string, aia: AiaOptions): Promise<Buffer[]> {
  const leaf = parseCert(certificate);
  const certs = parseCerts(pool);
  // The trust folder is read and the pool parsed once, for the AIA walk and the chain built after it.
  const anchors = parseCerts(loadTrustAnchors(trustDir));
  const { added } = await issuersByAia(leaf, certs, anchors, aia);
  return chainAmong(leaf, [...certs, ...added], anchors);
}

/** The path from `leaf` to an anchor through `certs` (anchor excluded), or SIGN_REFUSED naming the missing issuer. */
function chainAmong(leaf: Cert, certs: Cert[], anchors: Cert[]): Buffer[] {
  const built = buildChain(leaf, certs, anchors);
  if (built.path) return built.path.slice(1).filter((c) => !anchors.some((a) => a.id === c.id)).map((c) => c.der);
  const missing = topOfKnownChain(leaf, certs).x509.issuer;
  throw new AppError(
    'SIGN_REFUSED',
    `Chứng thư số của người ký không nối được tới tổ chức chứng thực được tin cậy: thiếu chứng thư của "${commonName(missing)}". `
    + 'Hãy cài chứng thư trung gian đó (trên token, --chain hoặc cấu hình cơ quan) rồi ký lại; chưa nhập mã PIN.',
    `no chain to a trust anchor: missing issuer ${missing.replace(/\n/g, ', ')} (${built.reasons.join('; ')})`,
  );
}

function commonName(dn: string): string {
  return /(?:^|\n)CN=([^\n]+)/.exec(dn)?.[1] ?? dn.replace(/\n/g, ', ');
}
