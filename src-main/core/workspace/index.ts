/** The clerk's working files: content-addressed, opaque ids, originals never modified. */
export { Workspace, type StoredFile } from './workspace';

/** Working copies only (registered documents live in the register store): a week covers a working session. */
export const WORKSPACE_MAX_AGE_MS = 7 * 24 * 3600_000;
export { decodeBase64 } from './base64';
export { looksLikePdf, requirePdf } from './pdf-magic';
export { cleanFileName, derivedName } from './file-name';
