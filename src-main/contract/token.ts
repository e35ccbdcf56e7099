import * as z from 'zod';
import { defineEvent, defineMethod, lazyMethods, text } from './api';

/** Opaque handle to one token: module + label + serial (never a slot index, which changes). */
export const tokenRef = z.string().min(1).max(600);

export const tokenDto = z.object({
  ref: tokenRef,
  label: z.string(),
  serial: z.string(),
  manufacturer: z.string(),
  model: z.string(),
  module: z.string(),
  loggedIn: z.boolean(),
  /** The token asks for a PIN before private objects (almost all do). */
  loginRequired: z.boolean(),
  pinCountLow: z.boolean(),
  pinFinalTry: z.boolean(),
  pinLocked: z.boolean(),
});
export type TokenDto = z.infer<typeof tokenDto>;

export const certificateDto = z.object({
  keyId: z.string(),
  /** CKA_LABEL of the certificate object. */
  label: z.string(),
  subject: z.string(),
  commonName: z.string(),
  organisation: z.string().nullable(),
  title: z.string().nullable(),
  issuer: z.string(),
  serial: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  /** 'unknown' before login: most tokens hide private-key objects until then. */
  privateKey: z.enum(['present', 'absent', 'unknown']),
  keyAlgorithm: z.string(),
  keySize: z.number().int(),
  keyUsage: z.array(z.string()),
  /** Certificate not valid now (expired or not yet valid). */
  outOfValidity: z.boolean(),
  expired: z.boolean(),
  notYetValid: z.boolean(),
  /** CKA_ALWAYS_AUTHENTICATE: every signature asks for a second PIN; null when unknown (before login). */
  alwaysAuthenticate: z.boolean().nullable(),
});
export type CertificateDto = z.infer<typeof certificateDto>;

/** A PKCS#11 library the workstation is configured to use (or found), and whether it loaded. */
export const moduleStatusDto = z.object({
  path: z.string(),
  loaded: z.boolean(),
  errorCode: z.string().nullable(),
  /** Vietnamese reason when it did not load. */
  errorMessage: z.string().nullable(),
});

export const tokenMethods = lazyMethods({
  'token.modules': () => defineMethod(z.strictObject({}), z.object({ modules: z.array(moduleStatusDto) })),
  'token.list': () => defineMethod(z.strictObject({}), z.object({ tokens: z.array(tokenDto) })),
  'token.certificates': () => defineMethod(z.strictObject({ token: tokenRef }), z.object({ certificates: z.array(certificateDto) })),
  // The PIN crosses the API once, as a string; the host turns it into a Buffer that is wiped after C_Login.
  'token.login': () => defineMethod(z.strictObject({ token: tokenRef, pin: text(64, 4) }), z.object({ loggedIn: z.literal(true) })),
  'token.logout': () => defineMethod(z.strictObject({ token: tokenRef }), z.object({ loggedIn: z.literal(false) })),
});

export const tokenEvents = {
  'token.changed': defineEvent(z.object({ kind: z.enum(['inserted', 'removed']), label: z.string().nullable() })),
};

