import { createRequire } from 'node:module';
import type * as Pkcs11js from 'pkcs11js';

// Required, not imported: a bundle's ES-module interop (the built CLI) would copy each of the thousands
// of constants the addon exports onto a new object at every start, which cost `vanthu token list` ~15 ms.
const pkcs11js = createRequire(import.meta.url)('pkcs11js') as typeof Pkcs11js;

/**
 * The slice of a pkcs11js `PKCS11` object the token core calls. The core takes a factory for it so
 * tests can wrap the real SoftHSM module or inject codes SoftHSM never returns (CKR_PIN_LOCKED,
 * CKR_DEVICE_REMOVED…).
 */
export type Handle = Buffer;
export type Attribute = Pkcs11js.Attribute;
export type Mechanism = Pkcs11js.Mechanism;
export type TokenInfo = Pkcs11js.TokenInfo;

export interface Pkcs11Like {
  load(path: string): void;
  close(): void;
  C_Initialize(options?: Pkcs11js.InitializationOptions): void;
  C_Finalize(): void;
  C_GetInfo(): Pkcs11js.ModuleInfo;
  C_GetSlotList(tokenPresent?: boolean): Handle[];
  C_GetTokenInfo(slot: Handle): TokenInfo;
  C_GetMechanismList(slot: Handle): number[];
  C_OpenSession(slot: Handle, flags: number): Handle;
  C_CloseSession(session: Handle): void;
  C_Login(session: Handle, userType: number, pin?: string): void;
  C_Logout(session: Handle): void;
  C_FindObjectsInit(session: Handle, template: Attribute[]): void;
  C_FindObjects(session: Handle, maxObjectCount: number): Handle[];
  C_FindObjectsFinal(session: Handle): void;
  C_GetAttributeValue(session: Handle, object: Handle, template: Attribute[]): Pkcs11js.AttributeResult[];
  C_SignInit(session: Handle, mechanism: Mechanism, key: Handle): void;
  C_SignAsync(session: Handle, inData: Buffer, outData: Buffer): Promise<Buffer>;
  C_WaitForSlotEvent(flags: number): Handle | null;
}

export type Pkcs11Factory = () => Pkcs11Like;

export const realPkcs11Factory: Pkcs11Factory = () => new pkcs11js.PKCS11();

/** PKCS#11 constants, re-exported so the rest of the core never imports pkcs11js directly. */
export const CK = {
  CKF_SERIAL_SESSION: pkcs11js.CKF_SERIAL_SESSION,
  CKF_DONT_BLOCK: pkcs11js.CKF_DONT_BLOCK,
  CKF_OS_LOCKING_OK: pkcs11js.CKF_OS_LOCKING_OK,
  CKF_LOGIN_REQUIRED: pkcs11js.CKF_LOGIN_REQUIRED,
  CKF_TOKEN_INITIALIZED: pkcs11js.CKF_TOKEN_INITIALIZED,
  CKF_USER_PIN_COUNT_LOW: pkcs11js.CKF_USER_PIN_COUNT_LOW,
  CKF_USER_PIN_FINAL_TRY: pkcs11js.CKF_USER_PIN_FINAL_TRY,
  CKF_USER_PIN_LOCKED: pkcs11js.CKF_USER_PIN_LOCKED,
  CKF_PROTECTED_AUTHENTICATION_PATH: pkcs11js.CKF_PROTECTED_AUTHENTICATION_PATH,
  CKU_USER: pkcs11js.CKU_USER,
  CKU_CONTEXT_SPECIFIC: pkcs11js.CKU_CONTEXT_SPECIFIC,
  CKO_CERTIFICATE: pkcs11js.CKO_CERTIFICATE,
  CKO_PRIVATE_KEY: pkcs11js.CKO_PRIVATE_KEY,
  CKO_PUBLIC_KEY: pkcs11js.CKO_PUBLIC_KEY,
  CKC_X_509: pkcs11js.CKC_X_509,
  CKA_CLASS: pkcs11js.CKA_CLASS,
  CKA_ID: pkcs11js.CKA_ID,
  CKA_LABEL: pkcs11js.CKA_LABEL,
  CKA_VALUE: pkcs11js.CKA_VALUE,
  CKA_CERTIFICATE_TYPE: pkcs11js.CKA_CERTIFICATE_TYPE,
  CKA_KEY_TYPE: pkcs11js.CKA_KEY_TYPE,
  CKA_MODULUS: pkcs11js.CKA_MODULUS,
  CKA_EC_POINT: pkcs11js.CKA_EC_POINT,
  CKA_ALWAYS_AUTHENTICATE: pkcs11js.CKA_ALWAYS_AUTHENTICATE,
  CKM_RSA_PKCS: pkcs11js.CKM_RSA_PKCS,
  CKM_SHA256_RSA_PKCS: pkcs11js.CKM_SHA256_RSA_PKCS,
  CKM_RSA_PKCS_PSS: pkcs11js.CKM_RSA_PKCS_PSS,
  CKM_ECDSA: pkcs11js.CKM_ECDSA,
  CKM_SHA256: pkcs11js.CKM_SHA256,
  CKG_MGF1_SHA256: pkcs11js.CKG_MGF1_SHA256,
  CK_PARAMS_RSA_PSS: pkcs11js.CK_PARAMS_RSA_PSS,
  CKR_OK: 0,
  CKR_CRYPTOKI_ALREADY_INITIALIZED: pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED,
  CKR_USER_ALREADY_LOGGED_IN: pkcs11js.CKR_USER_ALREADY_LOGGED_IN,
  CKR_USER_NOT_LOGGED_IN: pkcs11js.CKR_USER_NOT_LOGGED_IN,
  CKR_FUNCTION_NOT_SUPPORTED: pkcs11js.CKR_FUNCTION_NOT_SUPPORTED,
  CKR_CANT_LOCK: pkcs11js.CKR_CANT_LOCK,
} as const;

/** Pkcs11Error as thrown by pkcs11js: recognised by shape so injected fakes need not subclass it. */
export interface Pkcs11ErrorLike extends Error {
  code: number;
  method: string;
}

export function isPkcs11Error(e: unknown): e is Pkcs11ErrorLike {
  // pkcs11js NativeError carries code 0 ("module not loaded yet"): no CKR value, not a Cryptoki error.
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && typeof code === 'number' && code > 0 && typeof (e as { method?: unknown }).method === 'string';
}

/** A real pkcs11js error, for fakes that must look exactly like the native module. */
export function makePkcs11Error(name: string, code: number, method: string): Pkcs11ErrorLike {
  return new pkcs11js.Pkcs11Error(name, code, method) as Pkcs11ErrorLike;
}
