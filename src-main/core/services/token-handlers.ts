import type { Handlers } from '../../contract/dispatch';
import type { tokenMethods } from '../../contract/token';
import type { TokenService } from '../token';

/**
 * Contract handlers for the token methods. The PIN arrives as a string (JSON has nothing else); it
 * becomes a Buffer here and the token core wipes that Buffer after C_Login.
 */
export function tokenHandlers(tokens: TokenService): Handlers<typeof tokenMethods> {
  return {
    'token.modules': () => ({
      modules: tokens.modules().map(({ path, loaded, errorCode, errorMessage }) => ({ path, loaded, errorCode, errorMessage })),
    }),
    'token.list': () => ({
      tokens: tokens.listTokens().map((t) => ({
        ref: t.ref,
        label: t.label,
        serial: t.serial,
        manufacturer: t.manufacturer,
        model: t.model,
        module: t.module,
        loggedIn: t.loggedIn,
        loginRequired: t.loginRequired,
        pinCountLow: t.pinCountLow,
        pinFinalTry: t.pinFinalTry,
        pinLocked: t.pinLocked,
      })),
    }),
    'token.certificates': ({ token }) => ({
      certificates: tokens.listCertificates(token).map((c) => ({
        keyId: c.keyId,
        label: c.label,
        subject: c.subject,
        commonName: c.commonName,
        organisation: c.organisation,
        title: c.title,
        issuer: c.issuerCommonName ?? c.issuer,
        serial: c.serial,
        notBefore: c.notBefore,
        notAfter: c.notAfter,
        privateKey: c.privateKeyStatus,
        keyAlgorithm: c.keyAlgorithm,
        keySize: c.keySize,
        keyUsage: c.keyUsage,
        outOfValidity: c.outOfValidity,
        expired: c.expired,
        notYetValid: c.notYetValid,
        alwaysAuthenticate: c.alwaysAuthenticate,
      })),
    }),
    'token.login': ({ token, pin }) => {
      tokens.login(token, Buffer.from(pin, 'utf8'));
      return { loggedIn: true as const };
    },
    'token.logout': ({ token }) => {
      tokens.logout(token);
      return { loggedIn: false as const };
    },
  };
}
