/**
 * PKCS#11 token core: load drivers, list tokens and certificates, log in, sign. Plain Node; the
 * contract handlers and the CLI call it, never the renderer.
 */
export { openTokenService, TokenService } from './service';
export type { TokenServiceOptions, TokenDto, TokenCertificateDto, TokenSigner, TokenSignerOptions, ModuleStatusDto, PinStatus, SlotEventDto } from './service';
export { detectModules, candidatePaths, loadCatalogue, type DetectedModule, type ModuleCatalogue } from './catalogue';
export { checkLibraryFile, parseBinaryHeader } from './library-check';
export { formatTokenRef, parseTokenRef, type TokenAddress } from './token-ref';
export { realPkcs11Factory, makePkcs11Error, CK, type Pkcs11Like, type Pkcs11Factory } from './pkcs11-api';
export { ecdsaRawToDer, SHA256_DIGEST_INFO_PREFIX } from './mechanisms';
export { TOKEN_VI } from './errors';
export { chooseKey, assertCertificateUsable, type KeyCandidate } from './choose';
export { BatchPin } from './batch-pin';
