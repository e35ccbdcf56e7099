/**
 * Every bound a value must respect, in one place, zod-free: the contract's schemas, the signer, the
 * CLI and the screens (input maxLength) read them from here, so no layer accepts what another refuses.
 */

/** Số of a document (Phụ lục I: a running number per year); 7 digits is far beyond any agency's year. */
export const DOC_NUMBER_MAX = 9_999_999;

/**
 * Ký hiệu (notation, e.g. "QĐ-UBND"): 30 characters, the width of edXML's CodeNotation (S(30)); a
 * notation the exchange cannot carry must not be signed into a document.
 */
export const NOTATION_MAX_CHARS = 30;

/** "Số, ký hiệu" written together ("12/QĐ-UBND") on an appendix: number, slash and notation, with room to spare. */
export const REF_MAX_CHARS = 60;

/** Name of the copying agency in a copy's text signature. */
export const AGENCY_NAME_MAX_CHARS = 120;

/**
 * Years a document date may carry. 1945: the first documents of the state (archives being digitised
 * go back that far); 2100: a bound that still catches a mistyped 20266.
 */
export const YEAR_MIN = 1945;
export const YEAR_MAX = 2100;

/** Rows a register page or search page may ask for: a screen shows 20–50, a printout reads its own way. */
export const PAGE_SIZE_MAX = 200;

/**
 * Seal diameter in mm, drawn at real size. Agency seals are 30–45 mm and the smallest unit seals about
 * 20 mm; above 60 mm a "seal" would cover the leader's block and the text beside it.
 */
export const SEAL_MM_MIN = 20;
export const SEAL_MM_MAX = 60;
/** Seal diameter when neither the settings nor the caller give one. */
export const SEAL_MM_DEFAULT = 36;

/** Jobs in one batch call: a working session's pile, and a bound on the work one call may ask. */
export const MAX_BATCH_JOBS = 200;
/** Total size of the inputs of one batch (each is copied to scratch space while the batch runs). */
export const MAX_BATCH_INPUT_BYTES = 2 * 1024 ** 3;

/** Largest file carried inside an API call (base64 over IPC or the bridge). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;
/**
 * Largest PDF read from disk by the signer and the verifier (a scanned 500-page file is ~200 MB). One
 * value for both: issuing verifies its input, so a signer bound above the verifier's could never be used.
 * Remote callers are further bound by MAX_FILE_BYTES.
 */
export const MAX_PDF_BYTES = 512 * 1024 * 1024;
/** The same bound in words, for messages. */
export const MAX_PDF_SIZE_VI = '512 MB';
