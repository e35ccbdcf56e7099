import { openTokenService, type TokenService } from '../../../src-main/core/token/index';
import type { KeySigner, SignatureAlgorithm } from '../../../src-main/core/crypto/signer';
import type { TestPki } from '../../helpers/pki';
import { approvePdf } from '../../../src-main/core/pdf/sign/index';
import { SIGNATURE_PNG, writeSample } from './fixtures';
import { issuingChain } from './software-signer';

/** The provisioned SoftHSM tokens, logged in once per test file (one session per token, as in the app). */
export interface TestTokens {
  service: TokenService;
  leader: (keyId?: string, algorithm?: SignatureAlgorithm) => KeySigner;
  agency: (keyId?: string, algorithm?: SignatureAlgorithm) => KeySigner;
  close: () => void;
}

export function openTestTokens(pki: TestPki): TestTokens {
  const service = openTokenService({ modules: [pki.module], pollIntervalMs: 60_000 });
  const refs = {
    leader: service.findToken(pki.tokens.leader).ref,
    agency: service.findToken(pki.tokens.agency).ref,
  };
  service.login(refs.leader, Buffer.from(pki.userPin));
  service.login(refs.agency, Buffer.from(pki.userPin));
  return {
    service,
    leader: (keyId = pki.keyIds.leader, algorithm) => service.createTokenSigner(refs.leader, keyId, algorithm ? { algorithm } : {}),
    agency: (keyId = pki.keyIds.agency, algorithm) => service.createTokenSigner(refs.agency, keyId, algorithm ? { algorithm } : {}),
    close: () => service.close(),
  };
}

/**
 * The sample document signed by the leader on the leader token, with its issuing chain, written to
 * `out`: what issuing starts from. The token session is closed again before the caller opens its own.
 */
export async function leaderApproved(pki: TestPki, dir: string, out: string): Promise<string> {
  const tokens = openTestTokens(pki);
  try {
    await approvePdf(await writeSample(dir, 'input.pdf'), out, tokens.leader(), { image: SIGNATURE_PNG, intermediates: issuingChain(pki) });
  } finally {
    tokens.close();
  }
  return out;
}
