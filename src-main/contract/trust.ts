import * as z from 'zod';
import { defineMethod, lazyMethods } from './api';

const trustedCertificate = z.strictObject({ role: z.enum(['anchor', 'intermediate']), subject: z.string(), sha256: z.string(), notAfter: z.string(), expired: z.boolean() });

const cachedRevocation = z.strictObject({
  kind: z.enum(['crl', 'ocsp']),
  key: z.string(),
  subject: z.string(),
  issuerId: z.string(),
  thisUpdate: z.string(),
  nextUpdate: z.string().nullable(),
  fetchedAt: z.string(),
  url: z.string().nullable(),
  bytes: z.number().int().nonnegative(),
  /** A stale entry is listed, never used as fresh. */
  state: z.enum(['fresh', 'stale']),
  ageSeconds: z.number().int().nonnegative(),
});

export const trustStatusDto = z.strictObject({
  anchors: z.array(trustedCertificate),
  intermediates: z.array(trustedCertificate),
  revocation: z.array(cachedRevocation),
  cacheDir: z.string(),
});

/** Extra CRL addresses a refresh may fetch (an internal mirror): http(s) only, a handful. */
const crlUrl = z.string().max(2048).url().refine((u) => /^https?:\/\//i.test(u), 'http(s) only');

export const trustMethods = lazyMethods({
  /** Trust anchors, intermediates and the age of every cached CRL / OCSP answer. */
  'trust.status': () => defineMethod(z.strictObject({}), trustStatusDto),
  /** Fetches ahead of time the CRLs of every configured CA, for the hours without network. */
  'trust.refresh': () => defineMethod(
    z.strictObject({ extraUrls: z.array(crlUrl).max(16).optional() }),
    z.array(z.strictObject({ url: z.string(), ok: z.boolean(), issuer: z.string().nullable(), detail: z.string() })),
  ),
});
