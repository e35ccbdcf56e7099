/** Certificates in PEM armour: the one splitter for trust folders, stores and AIA answers. */

/**
 * The DER of every PEM certificate block in `bytes`, or null when they hold no complete block (the
 * caller then reads them as DER or PKCS#7, as an AIA answer with a stray marker may be).
 */
export function pemCertificates(bytes: Buffer): Buffer[] | null {
  const text = bytes.toString('latin1');
  if (!text.includes('-----BEGIN CERTIFICATE-----')) return null;
  const out: Buffer[] = [];
  const re = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
  return out.length ? out : null;
}

/** Splits PEM text into DER blobs; a file without PEM armour is taken as one DER certificate. */
export function certificatesFromFile(bytes: Buffer): Buffer[] {
  return pemCertificates(bytes) ?? [bytes];
}
