import * as z from 'zod';
import { defineMethod, lazy, lazyMethods, text } from './api';

/**
 * Files cross the API as JSON (base64), the same over IPC and the loopback bridge. The backend keeps
 * them in a workspace and hands back an opaque id: the renderer can never name a path on disk.
 */

import { MAX_FILE_BYTES } from './limits';

export { MAX_FILE_BYTES };
/** Base64 length of MAX_FILE_BYTES (4 characters per 3 bytes, padded). */
export const MAX_FILE_BASE64 = Math.ceil(MAX_FILE_BYTES / 3) * 4;
/** Request body a transport must accept for file.put of the largest file (base64 plus the JSON around it). */
export const MAX_FILE_REQUEST_BYTES = MAX_FILE_BASE64 + 64 * 1024;

/** Opaque workspace token: 32 base64url characters (192 random bits), never a path. */
export const FILE_ID_PATTERN = /^[A-Za-z0-9_-]{32}$/;
export const fileId = z.string().regex(FILE_ID_PATTERN);

// Validated with a search for one bad character (linear, no backtracking: a whole-string pattern
// overflows the regex stack on 90 MB and takes 10× longer), then padding only at the very end. The
// length bound aborts first so oversized input is never scanned.
export function isBase64(s: string): boolean {
  if (s.length % 4 !== 0 || /[^A-Za-z0-9+/=]/.test(s)) return false;
  const pad = s.indexOf('=');
  return pad === -1 || pad === s.length - 1 || (pad === s.length - 2 && s.endsWith('=='));
}

export const base64String = lazy(() => z.string().max(MAX_FILE_BASE64, { abort: true }).refine(isBase64, 'not base64'));

const storedFileDto = lazy(() => z.object({ fileId, name: z.string(), size: z.number().int().nonnegative(), sha256: z.string() }));
export type StoredFileDto = z.infer<ReturnType<typeof storedFileDto>>;

export const fileMethods = lazyMethods({
  'file.put': () => defineMethod(z.strictObject({ name: text(255, 1), base64: base64String() }), storedFileDto()),
  'file.get': () => defineMethod(z.strictObject({ fileId }), z.object({ name: z.string(), size: z.number().int().nonnegative(), base64: z.string() })),
});
