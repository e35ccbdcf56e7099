import { openTokenService, type TokenService } from '../../../src-main/core/token/index';
import type { KeySigner, SignatureAlgorithm } from '../../../src-main/core/crypto/signer';
import type { TestPki } from '../../helpers/pki';

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
