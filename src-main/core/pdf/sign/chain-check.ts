/**
 * Before any PIN is asked: the signer's certificate must chain to a configured trust anchor through the
 * certificates we can embed (CA objects on the token, --chain, the configured intermediate store).
 * A signature embedding a broken chain is found one step too late, by the agency or the recipient;
 * here the clerk is told which issuer is missing (docs/signing.md, "Complete chains").
 */
import { AppError } from '../../../contract/errors';
import { parseCert, type Cert } from '../../verify/certs';
import { buildChain } from '../../verify/chain';
import { loadTrustAnchors } from '../../verify/trust';

/**
 * The chain the signature should embed: from the certificate's issuer up to, not including, the trust
 * anchor. Refused (SIGN_REFUSED) naming the first issuer no available certificate supplies.
 */
export function chainToAnchor(certificate: Buffer, pool: readonly Buffer[], trustDir: string): Buffer[] {
  const leaf = parseCert(certificate);
  const certs = parseAll(pool);
  const anchors = parseAll(loadTrustAnchors(trustDir));
  const built = buildChain(leaf, certs, anchors);
  if (built.path) return built.path.slice(1).filter((c) => !anchors.some((a) => a.id === c.id)).map((c) => c.der);
  const missing = missingIssuer(leaf, certs);
  throw new AppError(
    'SIGN_REFUSED',
    `Chứng thư số của người ký không nối được tới tổ chức chứng thực được tin cậy: thiếu chứng thư của "${commonName(missing)}". `
    + 'Hãy cài chứng thư trung gian đó (trên token, --chain hoặc cấu hình cơ quan) rồi ký lại; chưa nhập mã PIN.',
    `no chain to a trust anchor: missing issuer ${missing.replace(/\n/g, ', ')} (${built.reasons.join('; ')})`,
  );
}

/** The issuer name at which the chain stops: followed through the pool by name and signature. */
function missingIssuer(leaf: Cert, pool: readonly Cert[]): string {
  let cur = leaf;
  for (let depth = 0; depth < pool.length; depth++) {
    const next = pool.find((c) => c.id !== cur.id && c.x509.subject === cur.x509.issuer && cur.x509.checkIssued(c.x509));
    if (!next || next.x509.subject === next.x509.issuer) break;
    cur = next;
  }
  return cur.x509.issuer;
}

function commonName(dn: string): string {
  return /(?:^|\n)CN=([^\n]+)/.exec(dn)?.[1] ?? dn.replace(/\n/g, ', ');
}

function parseAll(ders: readonly Buffer[]): Cert[] {
  return ders.flatMap((d) => {
    try { return [parseCert(d)]; } catch { return []; }
  });
}
