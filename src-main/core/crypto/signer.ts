/**
 * What a PDF signer needs from a key holder, whatever it is (a PKCS#11 token, or a software key in
 * tests and benchmarks). The private key never leaves the holder: callers pass the bytes to sign
 * (the DER of the CMS signed attributes) and get the raw signature back.
 */
export type SignatureAlgorithm = 'RSA_PKCS1_SHA256' | 'RSA_PSS_SHA256' | 'ECDSA_SHA256';

export interface KeySigner {
  /** Signer certificate, DER. */
  readonly certificate: Buffer;
  /** Issuer chain (DER), nearest issuer first, root last if known. May be empty. */
  readonly chain: readonly Buffer[];
  readonly algorithm: SignatureAlgorithm;
  /**
   * Sign `data`: the holder hashes with SHA-256 and signs. RSA PKCS#1 v1.5 returns the PKCS#1 block,
   * PSS uses MGF1-SHA256 and a 32-byte salt, ECDSA returns the DER-encoded (r, s) as CMS expects.
   */
  sign(data: Buffer): Promise<Buffer>;
}
