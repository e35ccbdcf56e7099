import { useEffect, useState } from 'react';
import type { Client } from '../../api/client';
import type { CertificateDto } from '@contract/token';

/**
 * The certificate the backend will sign with when no key is named (the first one valid now with its
 * private key, as pickSigner chooses), so the screen can ask for the signature PIN only when that
 * key needs one (CKA_ALWAYS_AUTHENTICATE).
 */
export function useSigningKey(client: Client, tokenRef: string | null): CertificateDto | null {
  const [cert, setCert] = useState<CertificateDto | null>(null);
  useEffect(() => {
    setCert(null);
    if (!tokenRef) return;
    let live = true;
    client.call('token.certificates', { token: tokenRef }).then(
      (r) => live && setCert(r.certificates.find((c) => c.privateKey === 'present' && !c.outOfValidity) ?? null),
      // No list, no field: signing itself reports a token problem in words the clerk can act on.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, tokenRef]);
  return cert;
}
