/** The clerk's working files: content-addressed, opaque ids, originals never modified. */
export { Workspace, type StoredFile } from './workspace';
export { decodeBase64 } from './base64';
export { looksLikePdf, requirePdf } from './pdf-magic';
export { cleanFileName, derivedName } from './file-name';
