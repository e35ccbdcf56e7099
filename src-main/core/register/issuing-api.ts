import type { Handlers } from '../../contract/dispatch';
import { registerIssuingMethods, type RegisterIssuingMethods } from '../../contract/issuing';
import { DigitizedFiles } from './digitized';
import { Issuing } from './issuing';
import type { Register } from './open';

export type IssuingApi = Handlers<RegisterIssuingMethods>;
export type IssuingMethod = keyof IssuingApi;

/**
 * The register's side of cấp số, served by its worker to the signing service only (contract/issuing.ts).
 * No dispatch stands in front of these, so each parses its own input as well as its output.
 */
export function issuingApi(reg: Register): IssuingApi {
  const issuing = new Issuing(reg.ctx, reg.registration, reg.handling, reg.attachments);
  const digitized = new DigitizedFiles(reg.ctx);
  const handlers: IssuingApi = {
    'register.nextNumber': ({ book, date, notation, kind }) => issuing.next(book, date, notation, kind),
    'register.reserveIssue': (input) => issuing.reserve(input),
    'register.recordIssued': async ({ id, ...r }) => ({ document: await issuing.record(id, r) }),
    'register.voidIssue': ({ id, reason, code }) => ({ document: issuing.void(id, reason, code) }),
    'register.codeUsed': ({ year, number, notation }) => ({ document: issuing.codeUsed(year, number, notation) }),
    'register.issuedFile': ({ sha256 }) => ({ document: issuing.issuedFile(sha256) }),
    'register.recordDigitized': (r) => ({ recorded: digitized.record(r) }),
  };
  const guarded = (m: IssuingMethod) => async (input: unknown, ctx: never) => {
    const def = registerIssuingMethods[m];
    return def.output.parse(await (handlers[m] as (i: unknown, c: never) => unknown)(def.input.parse(input), ctx));
  };
  return Object.fromEntries(Object.keys(handlers).map((m) => [m, guarded(m as IssuingMethod)])) as unknown as IssuingApi;
}
